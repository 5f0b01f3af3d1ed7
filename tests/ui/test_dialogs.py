"""Dialogs: annotator name validation, read-only offer, shortcut sheet, about box."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox

from annotator import __version__
from annotator.core.model import Label
from annotator.ui import dialogs
from annotator.ui.actions import ACTIONS
from annotator.ui.dialogs import (
    ShortcutSheet,
    about_text,
    ask_annotator_name,
    ask_open_read_only,
    show_about,
)
from annotator.ui.workspace import Workspace

LABELS = [
    Label(1, "ACTOR", "#0072B2", "1", "Who acts"),
    Label(2, "PLATFORM", "#E69F00", "p", "A weapon system"),
    Label(3, "MOTIVATION", "#009E73", None, "Why"),
]


@pytest.fixture
def answers(monkeypatch):
    """Script QInputDialog.getText replies; record prompts and warnings."""
    script: list[tuple[str, bool]] = []
    seen: dict[str, list] = {"defaults": [], "warnings": []}

    def get_text(parent, title, label, echo=None, text="", *args, **kwargs):
        seen["defaults"].append(text)
        return script.pop(0)

    def warning(box):
        seen["warnings"].append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(QMessageBox, "exec", warning)
    return script, seen


def test_name_is_trimmed(qapp, answers):
    script, seen = answers
    script.append(("  Ada Lovelace \t", True))
    assert ask_annotator_name(None, "Ada") == "Ada Lovelace"
    assert seen["defaults"] == ["Ada"]
    assert seen["warnings"] == []


def test_blank_names_are_refused_with_a_message_and_asked_again(qapp, answers):
    script, seen = answers
    script.extend([("", True), ("   ", True), (" Bob ", True)])
    assert ask_annotator_name(None, None) == "Bob"
    assert len(seen["warnings"]) == 2
    assert all("needs a name" in w for w in seen["warnings"])
    assert seen["defaults"] == ["", "", "   "]  # re-asked with what was typed


@pytest.mark.parametrize(
    ("bad", "message"),
    [("x" * 129, "too long"), ("Ada\u200bL", "invisible or control"), ("A\tB", "control")],
)
def test_other_bad_names_are_refused(qapp, answers, bad, message):
    script, seen = answers
    script.extend([(bad, True), ("", False)])
    assert ask_annotator_name(None, None) is None
    assert len(seen["warnings"]) == 1 and message in seen["warnings"][0]


def test_cancel_gives_none(qapp, answers):
    script, seen = answers
    script.append(("Typed but cancelled", False))
    assert ask_annotator_name(None, "Ada") is None
    assert seen["warnings"] == []


@pytest.mark.parametrize(
    ("button", "expected"),
    [(QMessageBox.StandardButton.Yes, True), (QMessageBox.StandardButton.No, False)],
)
def test_ask_open_read_only(qapp, monkeypatch, tmp_path, button, expected):
    shown = []

    def exec_(box):
        shown.append((box.text(), box.textFormat(), box.defaultButton().text()))
        return int(button)  # exec() returns a plain int

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    holder = "annotator (pid 42) on host lab"
    assert ask_open_read_only(None, tmp_path / "<i>study.db", holder) is expected
    text, fmt, default = shown[0]
    assert text == (
        "<i>study.db is open in another annotator window "
        "(annotator (pid 42) on host lab). Open it read-only?"
    )
    assert fmt == Qt.TextFormat.PlainText
    assert default.replace("&", "") == "No"


def test_sheet_lists_every_action_shortcut_and_label_hotkeys(qtbot):
    sheet = ShortcutSheet(LABELS)
    qtbot.addWidget(sheet)
    rows = sheet.rows()
    for spec in ACTIONS:
        for key in spec.shortcuts:
            native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            assert any(
                native in row[2].split(", ") and row[1] == spec.text.replace("&", "")
                for row in rows
            ), (spec.id, key)
    assert ("Labels", "Label selection as ACTOR", "1") in rows
    assert ("Labels", "Label selection as PLATFORM", "P") in rows
    assert not any("MOTIVATION" in row[1] for row in rows)  # no hotkey, nothing to list
    assert all("&" not in cell for row in rows for cell in row[:2])
    expected = sum(1 for s in ACTIONS if s.shortcuts) + 2
    assert len(rows) == expected


def test_sheet_filter(qtbot):
    sheet = ShortcutSheet(LABELS)
    qtbot.addWidget(sheet)
    qtbot.keyClicks(sheet.filter_edit, "UNDO")
    assert sheet.rows(visible_only=True) == [("Edit", "Undo", "Ctrl+Z")]
    sheet.filter_edit.setText("labels platform")
    assert [r[1] for r in sheet.rows(visible_only=True)] == ["Label selection as PLATFORM"]
    sheet.filter_edit.setText("ctrl+shift")
    assert {r[1] for r in sheet.rows(visible_only=True)} >= {"Import Folder…", "Redo"}
    sheet.filter_edit.setText("no such thing")
    assert sheet.rows(visible_only=True) == []
    sheet.filter_edit.clear()
    assert len(sheet.rows(visible_only=True)) == len(sheet.rows())


@pytest.mark.parametrize("target", ["dialog", "filter"])
def test_sheet_closes_with_escape(qtbot, target):
    sheet = ShortcutSheet(LABELS)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    widget = sheet.filter_edit if target == "filter" else sheet
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert not sheet.isVisible()


def test_about_mentions_version_and_offline(qapp, monkeypatch):
    assert f"annotator {__version__}" in about_text()
    assert "offline" in about_text().lower()
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    show_about(None)
    (box,) = shown
    assert box.windowTitle() == "About annotator"
    assert box.text() == about_text()
    assert not box.iconPixmap().isNull()


def test_dialogs_module_needs_no_window(qapp):
    assert dialogs.annotator_name_problem("Ada") is None


def test_the_name_is_stored_nfc_so_the_workspace_finds_its_own_spans(qapp, answers, project):
    script, _seen = answers
    script.append(("  Rene\u0301 ", True))  # an input method that writes decomposed accents
    name = ask_annotator_name(None)
    assert name == "Ren\u00e9"
    workspace = Workspace(project, "Rene\u0301 ")
    (doc,) = project.add_document("Some text.").documents
    project.add_span(doc, workspace.annotator, "ACTOR", 0, 4)
    assert workspace.annotator == name and len(project.spans(doc, workspace.annotator)) == 1
