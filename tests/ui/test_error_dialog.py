"""Error dialogs: import problems listed in full, "nothing stored" said plainly, no tracebacks."""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox

from annotator.core.errors import AnnotatorError, Cancelled, ImportFailed, InputError
from annotator.ui.error_dialog import build_error_box, show_error


def test_import_failed_lists_every_path_and_line_and_says_nothing_was_stored(qtbot):
    errors = [
        InputError("data/a.jsonl", 2, "invalid JSON"),
        InputError("data/a.jsonl", 7, '"text" is missing'),
        InputError("data/b.csv", None, "no text column"),
    ]
    box = build_error_box(None, "Import Failed", ImportFailed(errors))
    qtbot.addWidget(box)
    assert box.windowTitle() == "Import Failed"
    assert "3 problems" in box.text() and "2 files" in box.text()
    assert "nothing was stored" in box.text()
    details = box.detailedText().splitlines()
    assert details == [
        "data/a.jsonl:2: invalid JSON",
        'data/a.jsonl:7: "text" is missing',
        "data/b.csv: no text column",
    ]
    assert box.icon() == QMessageBox.Icon.Warning


def test_import_failed_details_are_not_truncated(qtbot):
    errors = [InputError("big.jsonl", n, "bad") for n in range(1, 121)]
    box = build_error_box(None, "Import", ImportFailed(errors))
    qtbot.addWidget(box)
    assert "120 problems in 1 file" in box.text()
    lines = box.detailedText().splitlines()
    assert len(lines) == 120 and lines[-1] == "big.jsonl:120: bad"


def test_cancelled_is_a_gentle_information(qtbot):
    box = build_error_box(None, "Import", Cancelled("cancelled by the user; nothing was stored"))
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Information
    assert box.text() == "Cancelled by the user; nothing was stored"


def test_annotator_error_shows_its_message(qtbot):
    box = build_error_box(None, "Export", AnnotatorError("no annotator named 'zoe'"))
    qtbot.addWidget(box)
    assert box.text() == "no annotator named 'zoe'"
    assert box.detailedText() == ""


def test_unexpected_error_names_the_type_asks_for_a_report_and_logs_the_traceback(qtbot, caplog):
    try:
        raise KeyError("span")
    except KeyError as exc:
        error = exc
    with caplog.at_level(logging.ERROR, logger="annotator.ui.error_dialog"):
        box = build_error_box(None, "Oops", error)
    qtbot.addWidget(box)
    assert box.text() == "Unexpected error: KeyError: 'span'"
    assert "report" in box.informativeText()
    assert "Traceback" not in box.text() + box.informativeText()
    assert box.icon() == QMessageBox.Icon.Critical
    assert any(r.exc_info and r.exc_info[1] is error for r in caplog.records)


def test_plain_text_message_and_show_error_returns_the_result(qtbot, monkeypatch):
    shown: list[QMessageBox] = []

    def fake_exec(box):
        shown.append(box)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    result = show_error(None, "Read-only", "<b>not</b> rich text")
    assert result == QMessageBox.StandardButton.Ok
    assert shown[0].text() == "<b>not</b> rich text"
    assert shown[0].windowTitle() == "Read-only"
