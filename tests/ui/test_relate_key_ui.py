"""The Relate key r in the app: the label editor refuses it as a hotkey, and a project older
than the rule whose label is keyed r says so in the status bar, while R relates (the label has
no key shortcut, and neither the palette nor the shortcut sheet shows r for it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update
from test_label_editor import fill_in
from test_relations_ui import MARKS, SEED, caret_at, select

from annotator.core.settings import Settings
from annotator.core.storage.orm import LabelRow
from annotator.ui.dialogs import ShortcutSheet
from annotator.ui.label_editor import LabelEditor
from annotator.ui.label_palette import item_text
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace


def test_the_label_editor_refuses_r_and_changes_nothing(qtbot, monkeypatch, project):
    workspace = Workspace(project, "alice")
    editor = LabelEditor(workspace)
    qtbot.addWidget(editor)
    before = project.labels()
    fill_in(monkeypatch, name="WEAPON", hotkey="r")
    editor.add_label()
    assert "hotkey 'r' is the Relate key" in editor.problem.text()
    assert project.labels() == before and workspace.undo_stack.count() == 0


@pytest.fixture
def old_window(qtbot, project):
    """The seed article's spans, in a project whose MOTIVATION label was keyed r before the
    rule (written past the checks, as an old file holds it)."""
    project.add_document(SEED, "Azerbaijan and Baykar")
    with project.engine.begin() as conn:
        conn.execute(update(LabelRow).where(LabelRow.name == "MOTIVATION").values(hotkey="r"))
    win = MainWindow(
        Workspace(project, "alice"),
        Settings(snap_to_words=False, auto_suggest=False),
        lambda *args: None,
    )
    qtbot.addWidget(win)
    win.resize(1300, 700)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    win.article.setFocus()
    for word, key in MARKS[:3]:
        select(win, word)
        qtbot.keyClick(win.article, key)
    return win


def test_a_label_keyed_r_is_warned_of_and_r_still_relates(qtbot, old_window):
    win = old_window
    win.workspace.labels_changed.emit()  # the labels are read again: the warning is repeated
    message = win.statusBar().currentMessage()
    assert message.startswith("Label MOTIVATION's key r is the Relate key: R relates")
    assert not any(s.key().toString() == "R" for s in win.annotate._label_shortcuts)
    caret_at(win, "Azerbaijan")
    qtbot.keyClick(win.article, Qt.Key.Key_R)
    assert win.relations.active  # R started a relation; MOTIVATION labelled nothing
    assert [s.label for s in win.workspace.layer] == ["ACTOR", "ACTOR", "PLATFORM"]
    sheet = ShortcutSheet(win.workspace.labels)
    qtbot.addWidget(sheet)
    assert not any("MOTIVATION" in row[1] for row in sheet.rows())
    assert item_text(win.workspace.project.label("MOTIVATION")) == "MOTIVATION"  # no "[r]"
