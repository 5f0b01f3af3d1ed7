"""File > Export from the window reports its outcome after the dialog closed (issue 17 item 2).

The dialog is gone when the export ends; the controller that receives the task's success or
failure belongs to the window, so the report (files, split parts, spans) or the error
(`PATH: reason; nothing was written`) still reaches the user.
"""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from annotator.core.settings import Settings
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000


@pytest.fixture
def window(qtbot, project):
    for n in range(10):
        doc = next(iter(project.add_document(f"Doc {n}: Baykar TB2").documents))
        project.add_span(doc, "alice", "ACTOR", 7, 13)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *args: None)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def boxes(monkeypatch):
    """(title, text) of every message box shown; each is answered with OK."""
    seen: list[tuple[str, str]] = []

    def record(box: QMessageBox) -> int:
        seen.append((box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", record)
    return seen


def _export_through_the_dialog(qtbot, window, out, *, split: str | None = None) -> None:
    """File > Export, fill in the dialog, press OK; returns once the dialog has closed."""

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        if split:
            dialog.split_check.setChecked(True)
            dialog.split_edit.setText(split)
        dialog.path_edit.setText(str(out))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        filled.append(not dialog.isVisible())

    filled: list[bool] = []
    QTimer.singleShot(0, fill_in)  # runs inside the dialog's loop, or right after open()
    window.export()
    qtbot.waitUntil(lambda: bool(filled), timeout=WAIT_MS)
    assert filled == [True]  # OK closed the dialog
    gc.collect()  # nothing the closed dialog held may be needed for the report


def test_a_split_export_reports_files_parts_and_spans_after_the_dialog_closed(
    qtbot, window, boxes, tmp_path
):
    out = tmp_path / "corpus"
    _export_through_the_dialog(qtbot, window, out, split="0.6,0.2,0.2")
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert boxes == [
        (
            "Export Finished",
            f"wrote 10 document(s) to {out}; spans: ACTOR 10\n"
            "train.jsonl: 6 document(s)\ndev.jsonl: 2 document(s)\ntest.jsonl: 2 document(s)",
        )
    ]
    assert len((out / "train.jsonl").read_text(encoding="utf-8").splitlines()) == 6


def test_an_export_to_an_unwritable_place_says_why_after_the_dialog_closed(qtbot, window, boxes):
    out = "/proc/annotator-export.jsonl"  # not writable, even for root
    _export_through_the_dialog(qtbot, window, out)
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    ((title, text),) = boxes
    assert title == "Export Failed"
    assert text.startswith(out + ": ") and text.endswith("; nothing was written")
