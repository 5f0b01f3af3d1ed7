"""Review mode with relations: relation candidates listed beside span candidates in the Review
dock, chosen with a click, accepted (with their spans) or rejected with the review keys."""

from __future__ import annotations

from itertools import combinations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from annotator.core.adjudication import CandidateState
from annotator.core.settings import Settings
from annotator.ui import review_controller
from annotator.ui.main_window import MainWindow
from annotator.ui.relation_arcs import arcs_in_view
from annotator.ui.workspace import Workspace

TEXT = "Azerbaijan buys 🛩 JF-17C jets from Pakistan, a partner of Turkey."
COMPARED = ["alice", "bob"]


def end(label: str, word: str) -> tuple[str, int, int]:
    start = TEXT.index(word)
    return (label, start, start + len(word))


AZ, JETS, PK, TR = (
    end("ACTOR", "Azerbaijan"),
    end("PLATFORM", "JF-17C jets"),
    end("ACTOR", "Pakistan"),
    end("ACTOR", "Turkey"),
)
BUYS, SUPPLIES, PARTNERS = ("BUYS", AZ, JETS), ("SUPPLIES", PK, JETS), ("PARTNERS_WITH", PK, TR)


@pytest.fixture
def doc(project):
    """alice and bob agree on BUYS and PARTNERS_WITH (bob linked it the other way round);
    alice alone links SUPPLIES."""
    (doc_id,) = project.add_document(TEXT, "Jets", verbatim=True).documents
    for who in COMPARED:
        ids = {
            key: project.add_span(doc_id, who, *key).spans_added[0] for key in (AZ, JETS, PK, TR)
        }
        project.add_relation(doc_id, who, "BUYS", ids[AZ], ids[JETS])
        pair = (ids[PK], ids[TR]) if who == "alice" else (ids[TR], ids[PK])
        project.add_relation(doc_id, who, "PARTNERS_WITH", *pair)
        if who == "alice":
            project.add_relation(doc_id, who, "SUPPLIES", ids[PK], ids[JETS])
    return doc_id


@pytest.fixture
def win(qtbot, project, doc, monkeypatch):
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: COMPARED)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.show()
    window.workspace.open_document(doc)
    window.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: window.review.tally.ready)
    yield window
    window.close()


def rows(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() or "" for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def gold_links(project, doc_id) -> set[tuple]:
    ends = {s.id: (s.label, s.start, s.end) for s in project.spans(doc_id, "gold")}
    return {(r.type, ends[r.head], ends[r.tail]) for r in project.relations(doc_id, "gold")}


def choose(qtbot, win, row: int) -> None:
    table = win.review.panel.relation_table
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_relation_candidates_are_listed_beside_span_candidates(win):
    panel = win.review.panel
    assert panel.relation_table.isVisible() and panel.relations_caption.isVisible()
    assert panel.model.rowCount() == 4  # the span candidates, all agreed
    assert rows(panel.relation_model) == [
        ["=", "BUYS", "Azerbaijan → JF-17C jets", "all"],
        ["≠", "SUPPLIES", "Pakistan → JF-17C jets", "alice"],
        ["=", "PARTNERS_WITH", "Pakistan ↔ Turkey", "all"],
    ]
    assert "0 / 7 decided in this document" in panel.progress.text()


def test_click_then_shift_enter_accepts_with_the_spans_and_undo_takes_both_back(
    qtbot, win, project, doc
):
    choose(qtbot, win, 1)
    assert win.review.current_relation == SUPPLIES and win.review.current is None
    steps = win.workspace.undo_stack.count()
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert gold_links(project, doc) == {SUPPLIES}
    assert {(s.label, s.start, s.end) for s in project.spans(doc, "gold")} == {PK, JETS}
    assert win.workspace.undo_stack.count() == steps + 1
    assert rows(win.review.panel.relation_model)[1][0] == "✓"
    assert win.review.current_relation == PARTNERS  # the next open relation candidate
    win.actions_by_id["edit.undo"].trigger()
    assert project.spans(doc, "gold") == [] and project.relations(doc, "gold") == []


def test_shift_backspace_rejects_the_chosen_relation(qtbot, win, project, doc):
    choose(qtbot, win, 0)
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ShiftModifier)
    assert project.relation_rejections(doc) == {BUYS}
    states = {r.key: r.state for r in win.review.review.relations}
    assert states[BUYS] is CandidateState.REJECTED
    assert rows(win.review.panel.relation_model)[0][0] == "✗"


def test_choosing_a_span_candidate_leaves_the_relation(qtbot, win):
    choose(qtbot, win, 0)
    win.review._on_panel_candidate_chosen(AZ)
    assert (win.review.current, win.review.current_relation) == (AZ, None)
    assert not win.review.panel.relation_table.selectionModel().hasSelection()


def test_f8_steps_on_to_relation_disagreements(qtbot, win):
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_F8)  # no span disagreement here: SUPPLIES is next
    assert (win.review.current, win.review.current_relation) == (None, SUPPLIES)
    selected = win.review.panel.relation_table.selectionModel().selectedRows()
    assert [index.row() for index in selected] == [1]
    qtbot.keyClick(win.article, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(win.article, Qt.Key.Key_F8)
    assert win.review.current_relation is None  # nothing open is left to disagree on
    assert "No open disagreements left" in win.statusBar().currentMessage()


def x_range(win, key: tuple[str, int, int]) -> tuple[float, float]:
    """The x extent of a candidate's words in the article (one line here)."""
    article = win.article
    cursor = article.textCursor()
    xs = []
    for at in key[1:]:
        cursor.setPosition(article.offsets.to_qt(at))
        xs.append(article.cursorRect(cursor).x())
    return min(xs), max(xs)


def candidate_arcs(win) -> dict[tuple, object]:
    """The review candidates' arcs in view, by candidate key."""
    keys = {number: key for key, number in win.article.candidate_arcs.ids.items()}
    return {keys[a.relation_id]: a for a in arcs_in_view(win.article) if a.relation_id in keys}


def test_every_relation_candidate_is_drawn_as_an_arc_and_the_chosen_one_stands_out(qtbot, win):
    win.resize(1300, 600)
    drawn = candidate_arcs(win)
    assert set(drawn) == {BUYS, SUPPLIES, PARTNERS}  # all of them, before any is chosen
    for (_, head, tail), arc in drawn.items():  # head → tail, on their words (after the 🛩)
        (head_left, head_right), (tail_left, tail_right) = x_range(win, head), x_range(win, tail)
        assert head_left <= arc.head.x() <= head_right
        assert tail_left <= arc.tail.x() <= tail_right
    names = [arc.label for arc in drawn.values()]
    assert all(names) and not any(a.intersects(b) for a, b in combinations(names, 2))
    assert win.article.current_candidate_arc is None
    choose(qtbot, win, 1)  # SUPPLIES
    assert win.article.current_candidate_arc == win.article.candidate_arcs.ids[SUPPLIES]
    assert set(candidate_arcs(win)) == {BUYS, SUPPLIES, PARTNERS}  # the others stay drawn
    assert win.article.pending_relation is None  # no relation is being made
    win.review._on_panel_candidate_chosen(AZ)  # a span candidate: no arc stands out
    assert win.article.current_candidate_arc is None
    assert set(candidate_arcs(win)) == {BUYS, SUPPLIES, PARTNERS}


def test_a_rejected_candidate_turns_faint_and_an_accepted_one_is_gold_s_relation(
    qtbot, win, project, doc
):
    choose(qtbot, win, 1)  # SUPPLIES
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ShiftModifier)
    article = win.article
    assert article.candidate_arcs.ids[SUPPLIES] in article.candidate_arcs.decided
    choose(qtbot, win, 0)  # BUYS
    qtbot.keyClick(win.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert set(candidate_arcs(win)) == {SUPPLIES, PARTNERS}  # BUYS is drawn as gold's now
    (gold,) = [a for a in arcs_in_view(article) if a.relation_id >= 0]
    assert article.relations[gold.relation_id].type == "BUYS"
    names = [a.label for a in arcs_in_view(article)]
    assert not any(a.intersects(b) for a, b in combinations(names, 2))
    win.actions_by_id["review.leave"].trigger()
    assert article.candidate_arcs.relations == {}
    assert [a for a in arcs_in_view(article) if a.relation_id < 0] == []
