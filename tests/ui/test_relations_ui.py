"""Relations in the main window, keyboard first: R, Tab, a type's key, Enter; Esc cancels; the
mouse drags with Alt or uses a span's menu; Delete removes the selected relation; every edit is
undoable, and a span's removal takes its relations along until undone."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.core.open_document import RelationChange
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.relation_arcs import arcs_in_view
from annotator.ui.workspace import Workspace

SEED = (  # from the seed article (Azerbaijan and Baykar, 2024-03-08)
    "This transition is highlighted by Azerbaijan's recent agreement with Pakistan to purchase "
    "JF-17C Thunder fighter jets and its participation in Turkey's TF Kaan fifth-generation "
    "fighter program. The shift is motivated by concerns over the reliability of Russian "
    "military technology, notably the troubled Su-57 and Su-75 jets."
)
MARKS = (
    ("Azerbaijan", Qt.Key.Key_1),
    ("Pakistan", Qt.Key.Key_1),
    ("JF-17C Thunder", Qt.Key.Key_2),
    ("Turkey", Qt.Key.Key_1),
    ("TF Kaan", Qt.Key.Key_2),
    ("concerns over the reliability of Russian military technology", Qt.Key.Key_3),
)


@pytest.fixture
def window(qtbot, project):
    project.add_document(SEED, "Azerbaijan and Baykar")
    workspace = Workspace(project, "alice")
    win = MainWindow(
        workspace, Settings(snap_to_words=False, auto_suggest=False), lambda *args: None
    )
    qtbot.addWidget(win)
    win.resize(1300, 700)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    win.article.setFocus()
    for word, key in MARKS:  # the spans, labelled by key as an annotator does
        select(win, word)
        qtbot.keyClick(win.article, key)
    return win


def select(win: MainWindow, word: str) -> None:
    found = win.article.document().find(word, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), word
    win.article.setTextCursor(found)


def caret_at(win: MainWindow, word: str) -> None:
    """Put the caret at the start of `word` (as the arrow keys would)."""
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.document().find(word).selectionStart())
    win.article.setTextCursor(cursor)


def span_of(win: MainWindow, word: str):
    return next(s for s in win.workspace.layer if SEED[s.start : s.end] == word)


def relations(win: MainWindow) -> list[tuple[str, str, str]]:
    ws = win.workspace
    stored = ws.project.relations(ws.document.id, "alice")
    return sorted(
        (
            r.type,
            SEED[ws.layer.get(r.head).start : ws.layer.get(r.head).end],
            SEED[ws.layer.get(r.tail).start : ws.layer.get(r.tail).end],
        )
        for r in stored
    )


def test_keyboard_only_makes_buys_from_azerbaijan_to_the_jets_and_undo_redo(qtbot, window):
    caret_at(window, "Azerbaijan")
    qtbot.keyClick(window.article, Qt.Key.Key_R)
    message = window.statusBar().currentMessage()
    assert message.startswith("Relation from 'Azerbaijan': Tab to choose the other span")
    assert "B/S/P/M for the type" in message
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # nearest first: Pakistan (PARTNERS_WITH)
    assert window.relations.tail == span_of(window, "Pakistan")
    qtbot.keyClick(window.article, Qt.Key.Key_B)  # BUYS: only platforms; the nearest one
    assert window.relations.tail == span_of(window, "JF-17C Thunder")
    assert "Relation BUYS: 'Azerbaijan' → 'JF-17C Thunder'" in window.statusBar().currentMessage()
    assert window.article.pending_relation is not None
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]
    assert not window.relations.active and window.article.pending_relation is None
    assert [r.type for r in window.article.relations.values()] == ["BUYS"]
    assert window.actions_by_id["edit.undo"].text().startswith("&Undo")
    window.actions_by_id["edit.undo"].trigger()
    assert relations(window) == [] and window.article.relations == {}
    window.actions_by_id["edit.redo"].trigger()
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]
    assert window.relation_list.model.rowCount() == 1


def test_tab_and_shift_tab_walk_the_candidates_and_a_directed_type_turns_round(qtbot, window):
    caret_at(window, "concerns")
    qtbot.keyClick(window.article, Qt.Key.Key_R)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    first = window.relations.tail
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Backtab)
    assert window.relations.tail == first
    assert all(s.label == "ACTOR" for s in window.relations._candidates)  # MOTIVATES only
    qtbot.keyClick(window.article, Qt.Key.Key_M)
    caret_target = window.relations.tail
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    ws = window.workspace
    (stored,) = ws.project.relations(ws.document.id, "alice")
    assert (stored.type, stored.head, stored.tail) == (
        "MOTIVATES",
        span_of(window, "concerns over the reliability of Russian military technology").id,
        caret_target.id,
    )


def test_esc_cancels_and_label_keys_do_not_relabel_meanwhile(qtbot, window):
    caret_at(window, "Azerbaijan")
    qtbot.keyClick(window.article, Qt.Key.Key_R)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # PLATFORM's key: not while relating
    assert span_of(window, "Azerbaijan").label == "ACTOR"
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)  # nor does Delete remove the span
    assert window.statusBar().currentMessage().startswith("Del is not a relation key.")
    assert len(window.workspace.layer) == len(MARKS)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert not window.relations.active
    assert window.article.pending_relation is None
    assert relations(window) == []


def test_two_fitting_types_ask_with_a_short_menu(qtbot, window, monkeypatch):
    caret_at(window, "Azerbaijan")
    qtbot.keyClick(window.article, Qt.Key.Key_R)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # JF-17C Thunder: BUYS and SUPPLIES fit
    assert window.relations.tail == span_of(window, "JF-17C Thunder")
    offered = []

    def choose(fits, _where):
        offered.extend(f.type.name for f in fits)
        return fits[1]

    monkeypatch.setattr(window.relations, "_pick", lambda fits, where: choose(fits, where))
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    assert offered == ["BUYS", "SUPPLIES"]
    assert relations(window) == [("SUPPLIES", "Azerbaijan", "JF-17C Thunder")]


def make_buys(qtbot, window) -> None:
    caret_at(window, "Azerbaijan")
    for key in (Qt.Key.Key_R, Qt.Key.Key_B, Qt.Key.Key_Return):
        qtbot.keyClick(window.article, key)
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]


def test_removing_a_span_removes_its_relations_and_undo_brings_both_back(qtbot, window):
    make_buys(qtbot, window)
    window.workspace.select_span(span_of(window, "JF-17C Thunder"))
    window.actions_by_id["edit.delete_span"].trigger()
    assert relations(window) == [] and window.article.relations == {}
    assert window.relation_list.model.rowCount() == 0
    window.actions_by_id["edit.undo"].trigger()
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]
    assert [r.type for r in window.article.relations.values()] == ["BUYS"]
    assert window.relation_list.model.rowCount() == 1


def test_a_click_on_an_arc_selects_it_and_delete_removes_the_relation_only(qtbot, window):
    make_buys(qtbot, window)
    window.article.viewport().repaint()
    (arc,) = arcs_in_view(window.article)
    qtbot.mouseClick(
        window.article.viewport(), Qt.MouseButton.LeftButton, pos=arc.label.center().toPoint()
    )
    selected = window.workspace.selected_relation
    assert selected is not None and selected.type == "BUYS"
    assert window.workspace.selected_span is None
    assert window.article.selected_relation_id == selected.id
    assert window.relation_list.current_relation() == selected
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert relations(window) == []
    assert len(window.workspace.layer) == len(MARKS)  # no span went
    window.actions_by_id["edit.undo"].trigger()
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]


def test_the_relations_panel_lists_them_and_a_click_selects_one(qtbot, window):
    make_buys(qtbot, window)
    model = window.relation_list.model
    assert [model.index(0, c).data() for c in range(3)] == ["BUYS", "Azerbaijan", "JF-17C Thunder"]
    window.relations_dock.raise_()
    view = window.relation_list.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 1)).center()
    )
    assert window.workspace.selected_relation.type == "BUYS"
    toggle = window.relations_dock.toggleViewAction()
    assert toggle in window._menu_of("view.snap").actions()
    toggle.trigger()
    assert not window.relations_dock.isVisible()
    window.spans_dock.raise_()
    toggle.trigger()  # shown again: in front of the Spans tab it shares
    qtbot.waitUntil(lambda: not window.relation_list.visibleRegion().isEmpty())
    assert window.span_list.visibleRegion().isEmpty()


def word_point(win: MainWindow, word: str) -> QPoint:
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(win.article.document().find(word).selectionStart() + 2)
    return win.article.cursorRect(cursor).center() + QPoint(1, 0)


def test_alt_drag_from_one_span_to_another_adds_the_relation_the_types_allow(qtbot, window):
    viewport = window.article.viewport()
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, alt, word_point(window, "Azerbaijan"))
    qtbot.mouseMove(viewport, word_point(window, "Turkey"))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, alt, word_point(window, "Turkey"))
    assert relations(window) == [("PARTNERS_WITH", "Azerbaijan", "Turkey")]


def test_a_spans_menu_offers_relate_and_its_relations_to_select_or_remove(qtbot, window):
    make_buys(qtbot, window)
    menu = window.relations.span_menu(span_of(window, "Azerbaijan"))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Relate to…",
        "Select BUYS: 'Azerbaijan' → 'JF-17C Thunder'",
        "Remove BUYS: 'Azerbaijan' → 'JF-17C Thunder'",
    ]
    menu.actions()[-1].trigger()
    assert relations(window) == []
    menu.actions()[0].trigger()  # Relate to…: relation making starts from the span
    assert window.relations.active and window.relations.head == span_of(window, "Azerbaijan")
    window.relations.cancel()


def test_esc_closes_the_find_bar_while_a_span_is_selected(qtbot, window):
    """The keyboard way to a span (Ctrl+F, Enter, Esc, ←) works with a span selected: the find
    bar's Esc is not lost to the window's Deselect, which shares the key."""
    window.workspace.select_span(span_of(window, "Pakistan"))
    window.actions_by_id["edit.find"].trigger()
    qtbot.keyClicks(window.find_bar.edit, "Azerbaijan's recent")
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.article.hasFocus()


def test_the_arrow_keys_in_the_relations_panel_select_and_delete_removes(qtbot, window):
    make_buys(qtbot, window)
    caret_at(window, "concerns")
    for key in (Qt.Key.Key_R, Qt.Key.Key_M, Qt.Key.Key_Return):
        qtbot.keyClick(window.article, key)
    window.relations_dock.raise_()
    view = window.relation_list.view
    view.setFocus()
    view.setCurrentIndex(window.relation_list.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    second = window.workspace.selected_relation
    qtbot.keyClick(view, Qt.Key.Key_Up)
    first = window.workspace.selected_relation
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert {first.type, second.type} == {"BUYS", "MOTIVATES"}
    assert window.article.selected_relation_id == second.id
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [t for t, _, _ in relations(window)] == [first.type]


def test_the_relations_panel_follows_the_relations_a_change_names_row_by_row(qtbot, window):
    make_buys(qtbot, window)
    model = window.relation_list.model
    (buys,) = window.workspace.relations.values()
    resets, inserted, removed = [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    model.rowsRemoved.connect(lambda _parent, first, _last: removed.append(first))
    model.refresh(RelationChange(came=(buys,)))  # listed with that value: nothing to do
    assert (resets, inserted, removed) == ([], [], [])
    retyped = replace(buys, type="SUPPLIES")
    model.refresh(RelationChange(came=(retyped,), gone=(999,)))  # 999: never listed
    assert (resets, inserted, removed) == ([], [0], [0])
    assert [model.index(0, c).data() for c in range(3)] == [
        "SUPPLIES",
        "Azerbaijan",
        "JF-17C Thunder",
    ]
    model.refresh(RelationChange(gone=(buys.id,)))
    assert model.rowCount() == 0 and resets == []


def test_a_label_key_that_would_break_a_relation_shows_why_and_keeps_the_span(
    qtbot, window, monkeypatch
):
    shown: list[str] = []
    monkeypatch.setattr("annotator.ui.main_window.show_error", lambda *a: shown.append(str(a[-1])))
    caret_at(window, "Azerbaijan")
    for key in (Qt.Key.Key_R, Qt.Key.Key_B, Qt.Key.Key_Return):
        qtbot.keyClick(window.article, key)
    azerbaijan = span_of(window, "Azerbaijan")
    window.workspace.select_span(azerbaijan)
    qtbot.keyClick(window.article, Qt.Key.Key_3)  # MOTIVATION: BUYS wants an ACTOR head
    assert len(shown) == 1 and "BUYS links ACTOR → PLATFORM; remove the relation first" in shown[0]
    assert span_of(window, "Azerbaijan") == azerbaijan  # same label, same offsets
    assert window.workspace.project.span(azerbaijan.id).label == "ACTOR"
    assert relations(window) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]
