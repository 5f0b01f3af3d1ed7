"""The everyday window beyond one's own layer: work written by another process shows up, other
annotators' layers can be shown read-only, labels and the theme are changed in the app, a new
annotator gets a hint, and the app reopens where the reader left."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMenu

from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui import label_editor, live_refresh
from annotator.ui.first_use import FirstUseBanner
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

ARTICLE = "Azerbaijan signed a deal with Pakistan for JF-17C Thunder jets.\n" * 60


@pytest.fixture(autouse=True)
def _quick_polls(monkeypatch):
    monkeypatch.setattr(live_refresh, "FILE_POLL_MS", 30)


def open_window(qtbot, project, annotator="alice") -> MainWindow:
    win = MainWindow(
        Workspace(project, annotator),
        Settings(snap_to_words=False, auto_suggest=False),
        lambda *args: None,
    )
    qtbot.addWidget(win)
    win.resize(900, 600)
    with qtbot.waitExposed(win):
        win.show()
    return win


@pytest.fixture
def doc(project):
    return next(iter(project.add_document(ARTICLE, "Deal").documents))


def menu(win: MainWindow, name: str) -> QMenu:
    found = win.findChild(QMenu, name)
    assert found is not None, name
    found.aboutToShow.emit()
    return found


def test_a_span_stored_by_another_process_appears_in_the_open_article(qtbot, project, doc):
    win = open_window(qtbot, project)
    assert win.workspace.document.id == doc
    with Project.open(project.location) as other:  # e.g. the same annotator in a second app
        other.add_span(doc, "alice", "ACTOR", 0, 10)
    qtbot.waitUntil(lambda: len(win.article.index) == 1, timeout=5000)
    assert [(s.start, s.end) for s in win.workspace.layer] == [(0, 10)]
    assert win.status.spans.text() == "1 span · todo"


def test_documents_imported_by_another_process_are_listed(qtbot, project, doc):
    win = open_window(qtbot, project)
    assert win.navigator.model.rowCount() == 1
    with Project.open(project.location) as other:  # e.g. `annotator import` meanwhile
        other.add_document("Pakistan ordered the JF-17C Thunder.", "Order")
    qtbot.waitUntil(lambda: win.navigator.model.rowCount() == 2, timeout=5000)


def test_another_annotators_layer_is_shown_read_only_from_the_view_menu(qtbot, project, doc):
    project.add_span(doc, "bob", "ACTOR", 0, 10)
    win = open_window(qtbot, project)
    assert win.status.annotator.text() == "Editing alice's layer"
    layers = menu(win, "other_annotators_layers")
    (bob,) = [a for a in layers.actions() if a.text() == "bob"]
    bob.trigger()
    assert [name for name, _ in win.article.other_layers] == ["bob"]
    assert len(win.article.other_layers[0][1]) == 1 and len(win.article.index) == 0


def test_edit_labels_opens_the_label_editor(qtbot, project, doc, monkeypatch):
    win = open_window(qtbot, project)
    opened = []
    monkeypatch.setattr(
        label_editor.LabelEditor,
        "exec",
        lambda dialog: opened.append(dialog.list.count()) or QDialog.DialogCode.Rejected,
    )
    win.actions_by_id["edit.labels"].trigger()
    assert opened == [3]


def test_the_theme_is_chosen_in_the_view_menu_and_kept(qtbot, project, doc, monkeypatch):
    saved = []
    monkeypatch.setattr("annotator.ui.view_controller.save_settings", saved.append)
    win = open_window(qtbot, project)
    themes = menu(win, "theme")
    # each with its key: a keyboard user reaches them (Alt+V, T, D)
    assert [a.text() for a in themes.actions()] == ["&System", "&Light", "&Dark"]
    (dark,) = [a for a in themes.actions() if a.text() == "&Dark"]
    dark.trigger()
    assert win.settings.theme == "dark" and saved and saved[-1].theme == "dark"
    from annotator.ui.theme import is_dark

    assert is_dark()
    next(a for a in menu(win, "theme").actions() if a.text() == "&Light").trigger()
    assert not is_dark()


def test_a_new_annotator_gets_the_hint_until_the_first_span(qtbot, project, doc):
    win = open_window(qtbot, project)
    banner = win.findChild(FirstUseBanner)
    assert banner is not None and banner.isVisible()
    win.article.setFocus()
    cursor = win.article.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(10, cursor.MoveMode.KeepAnchor)
    win.article.setTextCursor(cursor)
    win.annotate.apply_label("ACTOR")
    assert not banner.isVisible()


def test_the_app_reopens_the_last_document_where_it_was_read(qtbot, project, doc):
    second = next(iter(project.add_document(ARTICLE, "Second").documents))
    win = open_window(qtbot, project)
    win.workspace.open_document(second)
    target = ARTICLE.index("Pakistan", len(ARTICLE) // 2)
    from annotator.ui.reading_place import scroll_to_top, top_position

    scroll_to_top(win.article, target)
    kept = top_position(win.article)
    win.close()
    again = open_window(qtbot, project)
    assert again.workspace.document.id == second
    qtbot.waitUntil(lambda: top_position(again.article) == kept, timeout=3000)
