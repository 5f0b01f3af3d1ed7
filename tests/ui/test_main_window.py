"""The workspace as a researcher drives it: select, press a key, relabel, delete, undo, move on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.core.model import ImportedDocument, Status
from annotator.core.settings import Settings
from annotator.ui.actions import ACTIONS, all_shortcuts
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

TRICKY = (
    "Baykar 🚀 sold the TB2\r\nto Azerbaïjan 👨‍👩‍👧 forces.\r\n"
    "مرحبا Kaan שלום and 日本語 JF-17C Thunder, cafe\u0301 𝔘nicode."
)


@pytest.fixture
def window(qtbot, project):
    project.import_documents([ImportedDocument(TRICKY, "Tricky", verbatim=True)])
    project.add_document("Second article: Pakistan sells the JF-17C Thunder.", "Second")
    project.add_document("Third article: Türkiye and the TF Kaan.", "Third")
    workspace = Workspace(project, "alice")
    win = MainWindow(
        workspace, Settings(snap_to_words=False, auto_suggest=False), lambda *args: None
    )
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    win.article.setFocus()
    return win


def select(win: MainWindow, word: str) -> None:
    """Select `word` the way Qt finds it (Qt positions), independent of our converter."""
    found = win.article.document().find(word, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), word
    win.article.setTextCursor(found)


def spans(win: MainWindow):
    return win.workspace.project.spans(win.workspace.document.id, "alice")


@pytest.mark.parametrize(
    ("word", "key", "label"),
    [
        ("Baykar", Qt.Key.Key_1, "ACTOR"),
        ("Azerbaïjan", Qt.Key.Key_1, "ACTOR"),
        ("Kaan", Qt.Key.Key_2, "PLATFORM"),
        ("JF-17C Thunder", Qt.Key.Key_2, "PLATFORM"),
        ("𝔘nicode", Qt.Key.Key_3, "MOTIVATION"),
        ("שלום", Qt.Key.Key_1, "ACTOR"),
    ],
)
def test_selection_and_hotkey_store_exact_code_point_offsets(qtbot, window, word, key, label):
    assert window.workspace.document.text == TRICKY
    select(window, word)
    qtbot.keyClick(window.article, key)
    (span,) = spans(window)
    assert (span.label, TRICKY[span.start : span.end]) == (label, word)
    assert span.start == TRICKY.index(word)
    assert len(window.article.index) == 1
    assert (
        window.workspace.project.status(window.workspace.document.id, "alice") is Status.IN_PROGRESS
    )


def test_keyboard_selection_over_an_emoji_and_cluster_is_clean(qtbot, window):
    select(window, "sold")
    cursor = window.article.textCursor()
    cursor.setPosition(cursor.selectionStart())
    window.article.setTextCursor(cursor)
    for _ in range(2):  # back over "🚀 " by user-visible characters
        qtbot.keyClick(window.article, Qt.Key.Key_Left)
    for _ in range(6):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_3)
    (span,) = spans(window)
    assert TRICKY[span.start : span.end] == "🚀 sold"


def test_snap_to_words_widens_a_sloppy_selection(qtbot, window):
    window.actions_by_id["view.snap"].setChecked(True)
    select(window, "erbaïj")
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    (span,) = spans(window)
    assert TRICKY[span.start : span.end] == "Azerbaïjan"


def test_click_selects_relabel_delete_and_undo_redo(qtbot, window):
    select(window, "Baykar")
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    (span,) = spans(window)
    window.workspace.select_span(span)
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # hotkey on a selected span relabels it
    assert [s.label for s in spans(window)] == ["PLATFORM"]
    assert window.actions_by_id["edit.undo"].text() == "&Undo Relabel span as PLATFORM"
    window.actions_by_id["edit.delete_span"].trigger()
    assert spans(window) == []
    window.actions_by_id["edit.undo"].trigger()
    assert [s.label for s in spans(window)] == ["PLATFORM"]
    assert spans(window)[0].id == span.id
    window.actions_by_id["edit.undo"].trigger()
    window.actions_by_id["edit.undo"].trigger()
    assert spans(window) == []
    assert len(window.article.index) == 0
    window.actions_by_id["edit.redo"].trigger()
    assert [s.label for s in spans(window)] == ["ACTOR"]
    assert len(window.article.index) == 1


def test_click_on_a_highlight_selects_it_and_overlaps_offer_a_chooser(qtbot, window, monkeypatch):
    select(window, "JF-17C Thunder")
    qtbot.keyClick(window.article, Qt.Key.Key_3)
    select(window, "Thunder")
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    view = window.article
    cursor = QTextCursor(view.document())
    found = view.document().find("Thunder")
    cursor.setPosition(found.selectionStart() + 2)
    point = view.cursorRect(cursor).center() + QPoint(1, 0)
    offered = []

    def fake_choose(spans, _point):
        offered.append([f"{s.label}: {TRICKY[s.start : s.end]}" for s in spans])
        return spans[1]

    monkeypatch.setattr(view, "choose_span", fake_choose)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert offered == [["PLATFORM: Thunder", "MOTIVATION: JF-17C Thunder"]]
    assert window.workspace.selected_span.label == "MOTIVATION"
    select(window, "sold")
    point = view.cursorRect(view.textCursor()).center()
    view.clear_selection()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.workspace.selected_span is None


def test_shift_arrows_resize_the_selected_span(qtbot, window):
    select(window, "Baykar")
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    window.workspace.select_span(spans(window)[0])
    qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert TRICKY[spans(window)[0].start : spans(window)[0].end] == "Baykar 🚀"
    alt_shift = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(window.article, Qt.Key.Key_Right, alt_shift)
    assert TRICKY[spans(window)[0].start : spans(window)[0].end] == "aykar 🚀"
    window.actions_by_id["edit.undo"].trigger()
    assert TRICKY[spans(window)[0].start : spans(window)[0].end] == "Baykar 🚀"


def test_done_moves_on_and_status_is_undoable(qtbot, window):
    first = window.workspace.document.id
    window.actions_by_id["doc.done"].trigger()
    assert window.workspace.project.status(first, "alice") is Status.DONE
    assert window.workspace.document.id != first
    assert "1 / 3 done" in window.status.progress.text()
    window.actions_by_id["edit.undo"].trigger()
    assert window.workspace.project.status(first, "alice") is Status.TODO
    window.workspace.open_document(first)
    window.actions_by_id["doc.skip"].trigger()
    assert window.workspace.project.status(first, "alice") is Status.SKIPPED
    assert window.workspace.document.id != first
    assert window.actions_by_id["edit.undo"].text() == "&Undo Mark document skipped"


def test_next_and_previous_document(qtbot, window):
    ids = [d.id for d in window.workspace.project.documents()]
    assert window.workspace.document.id == ids[0]
    window.actions_by_id["doc.next"].trigger()
    assert window.workspace.document.id == ids[1]
    window.actions_by_id["doc.previous"].trigger()
    assert window.workspace.document.id == ids[0]


def test_find_in_article_marks_hits_and_moves(qtbot, window):
    window.actions_by_id["edit.find"].trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "kaan")
    assert window.article.hit_count == 1
    cursor = window.article.textCursor()
    span = window.article.offsets.selection_to_span(cursor.selectionStart(), cursor.selectionEnd())
    assert TRICKY[span[0] : span[1]] == "Kaan"


def test_zoom_changes_the_font_and_is_remembered(qtbot, window):
    size = window.article.font().pointSize()
    window.actions_by_id["view.zoom_in"].trigger()
    assert window.article.font().pointSize() > size
    assert window.settings.font_size == window.article.font().pointSize()


def test_no_two_actions_or_label_keys_share_a_shortcut(window):
    keys = all_shortcuts(label.hotkey for label in window.workspace.labels if label.hotkey)
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    menus = {
        a.text()
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for a in menu.actions()
    }
    for spec in ACTIONS:
        assert spec.text in menus


def test_read_only_workspace_refuses_edits(qtbot, project, monkeypatch):
    project.add_document("Baykar sells drones.")
    shown = []
    monkeypatch.setattr("annotator.ui.main_window.show_error", lambda *a: shown.append(a[-1]))
    win = MainWindow(
        Workspace(project, "alice", read_only=True), Settings(auto_suggest=False), lambda *a: None
    )
    qtbot.addWidget(win)
    select(win, "Baykar")
    win.annotate.apply_label("ACTOR")
    assert project.spans(win.workspace.document.id) == []
    assert shown and "read-only" in shown[0]
    assert not win.actions_by_id["doc.done"].isEnabled()
    assert "read-only" in win.windowTitle()


def test_open_recent_lists_other_projects(qtbot, project, tmp_path):
    from annotator.core.project import Project

    other = tmp_path / "other.db"
    Project.create(other).close()
    opened = []
    settings = Settings(recent_projects=[str(other), str(tmp_path / "gone.db")], auto_suggest=False)
    win = MainWindow(Workspace(project, "alice"), settings, lambda *a: opened.append(a))
    qtbot.addWidget(win)
    win.recent_menu.aboutToShow.emit()
    actions = win.recent_menu.actions()
    assert [a.text() for a in actions] == ["other.db"]
    actions[0].trigger()
    assert opened == [(other, False)]


def test_an_arabic_article_is_aligned_to_the_right(qtbot, project):
    from PySide6.QtCore import Qt

    project.add_document("أعلنت وزارة الدفاع الأذربيجانية شراء طائرات من باكستان.")
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    option = win.article.document().defaultTextOption()
    assert option.alignment() == Qt.AlignmentFlag.AlignRight


def test_undo_of_the_first_span_puts_the_document_back_to_todo(qtbot, window):
    project, doc_id = window.workspace.project, window.workspace.document.id
    select(window, "Baykar")
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert project.status(doc_id, "alice") is Status.IN_PROGRESS
    assert window.workspace.undo_stack.count() == 1
    window.workspace.undo()
    assert spans(window) == [] and project.status(doc_id, "alice") is Status.TODO
    assert window.status.spans.text() == "0 spans · todo"
    window.workspace.redo()
    assert len(spans(window)) == 1 and project.status(doc_id, "alice") is Status.IN_PROGRESS


def test_the_selected_span_hint_stays_while_it_is_selected_and_a_note_outlives_it(qtbot, window):
    """One status bar for every message: a hint while its subject is current, a note that
    something happened, which a later deselection does not wipe."""
    select(window, "Kaan")
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    (span,) = spans(window)
    window.workspace.select_span(span)
    assert window.statusBar().currentMessage().startswith("PLATFORM selected: press a label key")
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)  # deselect: the hint goes
    assert window.statusBar().currentMessage() == ""
    window.workspace.select_span(span)
    window.status.note("Saved a copy to x.db")
    window.workspace.select_span(None)
    assert window.statusBar().currentMessage() == "Saved a copy to x.db"


def test_label_tags_are_on_by_default_and_the_view_menu_turns_them_off_for_good(window):
    action = window.actions_by_id["view.label_tags"]
    assert action.isChecked() and window.article.label_tags
    action.setChecked(False)
    assert not window.article.label_tags
    assert not window.view.settings.label_tags
