"""Review mode driven like a reviewer: pick annotators, accept and reject with keys, accept all
agreed, undo, move from disagreement to disagreement, then export the gold layer."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.core.adjudication import CandidateState
from annotator.core.settings import Settings
from annotator.io.exporter import export
from annotator.ui import review_controller
from annotator.ui.main_window import MainWindow
from annotator.ui.review_dialog import ReviewSetupDialog
from annotator.ui.review_model import ReviewCandidateModel
from annotator.ui.workspace import Workspace

TEXT = "Baykar Makina sold TB2 drones to Poland and Ukraine."
SECOND = "Later Turkey bought Akinci drones."
COMPARED = ["alice", "bob", "carol"]


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def docs(project):
    (first,) = project.add_document(TEXT, "Drones").documents
    (second,) = project.add_document(SECOND, "Akinci").documents
    for who, label, word in [
        ("alice", "ACTOR", "Baykar Makina"),  # extent choice against bob's: they overlap,
        ("bob", "ACTOR", "Makina sold"),  # neither contains the other
        ("alice", "PLATFORM", "TB2"),  # agreed
        ("bob", "PLATFORM", "TB2"),
        ("carol", "PLATFORM", "TB2"),
        ("alice", "ACTOR", "Poland"),  # agreed
        ("bob", "ACTOR", "Poland"),
        ("carol", "ACTOR", "Poland"),
        ("carol", "ACTOR", "Ukraine"),  # only carol
    ]:
        project.add_span(first, who, label, *at(TEXT, word))
    for who, label in [("alice", "PLATFORM"), ("bob", "ACTOR"), ("carol", "PLATFORM")]:
        project.add_span(second, who, label, *at(SECOND, "Akinci"))  # label choice
    return first, second


@pytest.fixture
def win(qtbot, project, docs, monkeypatch):
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: COMPARED)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.workspace.open_document(docs[0])
    window.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: window.review.tally.ready)  # progress is counted on a worker
    window.article.setFocus()
    yield window
    window.close()


def gold(project, doc_id) -> set[tuple[str, int, int]]:
    return {(s.label, s.start, s.end) for s in project.spans(doc_id, "gold")}


def press(qtbot, win, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    win.article.setFocus()
    qtbot.keyClick(win.article, key, modifier)


def test_start_review_compares_the_chosen_annotators_as_gold(win, project, docs):
    review = win.review
    assert review.active and win.workspace.annotator == "gold"
    assert project.gold_annotator() == "gold"
    assert review.panel.model.rowCount() == 5
    assert review.current == ("ACTOR", *at(TEXT, "Baykar Makina"))  # the first disagreement
    assert win.article.review_layer.current == review.current
    assert "0 / 5 decided in this document · 0 of 2 documents adjudicated" in (
        review.panel.progress.text()
    )
    assert win.actions_by_id["review.accept"].isEnabled()
    menu = {a.text() for a in win.menuBar().actions()}
    assert "&Review" in menu


def test_shift_enter_accepts_shift_backspace_rejects_and_undo(qtbot, win, project, docs):
    first, _ = docs
    press(qtbot, win, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert gold(project, first) == {("ACTOR", *at(TEXT, "Baykar Makina"))}
    # accepting alice's extent supersedes bob's: the next open disagreement is Ukraine
    assert win.review.current == ("ACTOR", *at(TEXT, "Ukraine"))
    press(qtbot, win, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ShiftModifier)
    assert project.rejections(first) == {("ACTOR", *at(TEXT, "Ukraine"))}
    states = {c.key: c.state for c in win.review.review.candidates}
    assert states[("ACTOR", *at(TEXT, "Ukraine"))] is CandidateState.REJECTED
    assert "3 / 5 decided" in win.review.panel.progress.text()  # Makina sold superseded
    win.actions_by_id["edit.undo"].trigger()
    assert project.rejections(first) == set()
    win.actions_by_id["edit.undo"].trigger()
    assert gold(project, first) == set()
    win.actions_by_id["edit.redo"].trigger()
    assert gold(project, first) == {("ACTOR", *at(TEXT, "Baykar Makina"))}


def test_accept_all_agreed_is_one_undo_step(qtbot, win, project, docs):
    first, _ = docs
    steps = win.workspace.undo_stack.count()
    qtbot.keyClick(
        win, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert gold(project, first) == {("PLATFORM", *at(TEXT, "TB2")), ("ACTOR", *at(TEXT, "Poland"))}
    assert win.workspace.undo_stack.count() == steps + 1
    assert win.article.index.__len__() == 2  # gold spans are tinted in the article
    win.actions_by_id["edit.undo"].trigger()
    assert gold(project, first) == set()


NESTED = "Azerbaijan's Ministry of Defense signed the contract."
OUTER = ("ACTOR", *at(NESTED, "Azerbaijan's Ministry of Defense"))
INNER = ("ACTOR", *at(NESTED, "Azerbaijan"))


@pytest.fixture
def nested(project):
    """Every compared annotator marks the ministry and the country nested inside it."""
    (doc_id,) = project.add_document(NESTED, "Ministry").documents
    for who in COMPARED:
        for key in (OUTER, INNER):
            project.add_span(doc_id, who, *key)
    return doc_id


@pytest.mark.parametrize("order", [(INNER, OUTER), (OUTER, INNER)], ids=["inner", "outer"])
def test_shift_enter_on_nested_candidates_keeps_both_in_gold(qtbot, nested, win, project, order):
    win.workspace.open_document(nested)
    assert win.review.current == INNER  # no disagreement here: the first open candidate
    for key in order:
        win.review._on_panel_candidate_chosen(key)
        press(qtbot, win, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert gold(project, nested) == {OUTER, INNER}
    states = {c.key: c.state for c in win.review.review.candidates}
    assert states == {OUTER: CandidateState.ACCEPTED, INNER: CandidateState.ACCEPTED}
    assert "2 / 2 decided" in win.review.panel.progress.text()
    win.actions_by_id["edit.undo"].trigger()  # one step per decision
    assert gold(project, nested) == {order[0]}
    win.actions_by_id["edit.undo"].trigger()
    assert gold(project, nested) == set()
    win.actions_by_id["edit.redo"].trigger()
    win.actions_by_id["edit.redo"].trigger()
    assert gold(project, nested) == {OUTER, INNER}


def test_next_disagreement_walks_the_document_then_the_next_one(qtbot, win, docs):
    first, second = docs
    assert win.review.current == ("ACTOR", *at(TEXT, "Baykar Makina"))
    press(qtbot, win, Qt.Key.Key_F8)
    assert win.review.current == ("ACTOR", *at(TEXT, "Makina sold"))
    press(qtbot, win, Qt.Key.Key_F8)
    assert win.review.current == ("ACTOR", *at(TEXT, "Ukraine"))
    press(qtbot, win, Qt.Key.Key_F8)
    assert win.workspace.document.id == second
    assert win.review.current == ("ACTOR", *at(SECOND, "Akinci"))
    press(qtbot, win, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert win.workspace.document.id == first
    assert win.review.current == ("ACTOR", *at(TEXT, "Ukraine"))


def test_label_choice_then_gold_exports_the_decisions(qtbot, win, project, docs, tmp_path):
    _, second = docs
    win.workspace.open_document(second)
    win.review._on_panel_candidate_chosen(("PLATFORM", *at(SECOND, "Akinci")))
    press(qtbot, win, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert gold(project, second) == {("PLATFORM", *at(SECOND, "Akinci"))}
    assert win.review.review.adjudicated  # bob's ACTOR is superseded by the label choice
    assert "1 of 2 documents adjudicated" in win.review.panel.progress.text()
    win.review._on_panel_candidate_chosen(("ACTOR", *at(SECOND, "Akinci")))
    press(qtbot, win, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # change of mind
    assert gold(project, second) == {("ACTOR", *at(SECOND, "Akinci"))}  # relabelled
    out = tmp_path / "gold.jsonl"
    export(project, "jsonl", out, layer="gold")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    spans = {
        line["text"]: [(s["label"], s["start"], s["end"]) for s in line["spans"]] for line in lines
    }
    assert spans[SECOND] == [("ACTOR", *at(SECOND, "Akinci"))]
    assert spans[TEXT] == []


def test_clicking_a_row_makes_it_current_and_typing_a_label_edits_gold(qtbot, win, project, docs):
    first, _ = docs
    table = win.review.panel.table
    row = win.review.panel.model.row_of(("ACTOR", *at(TEXT, "Poland")))
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.review.current == ("ACTOR", *at(TEXT, "Poland"))
    assert win.article.hasFocus()
    win.article.scroll_to(0)
    cursor = win.article.textCursor()
    cursor.setPosition(at(TEXT, "drones")[0])
    cursor.setPosition(at(TEXT, "drones")[1], cursor.MoveMode.KeepAnchor)
    win.article.setTextCursor(cursor)
    win.annotate.apply_label("PLATFORM")  # the reviewer's own marks go to gold
    assert ("PLATFORM", *at(TEXT, "drones")) in gold(project, first)


def test_leave_review_restores_the_annotator_and_layer(win, project, docs):
    win.actions_by_id["review.leave"].trigger()
    assert not win.review.active and win.workspace.annotator == "alice"
    assert win.article.review_layer is None
    assert not win.actions_by_id["review.accept"].isEnabled()
    assert len(win.article.index) == 3  # alice's spans again


def test_review_needs_two_annotators(qtbot, project, monkeypatch):
    (doc,) = project.add_document("Only alice worked here.").documents
    project.add_span(doc, "alice", "ACTOR", 0, 4)
    shown = []
    monkeypatch.setattr(review_controller, "show_error", lambda *a: shown.append(a[-1]))
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.actions_by_id["review.start"].trigger()
    assert shown == ["Reviewing needs at least two annotators' work."]
    assert not window.review.active and window.workspace.annotator == "alice"
    assert project.gold_annotator() is None
    assert not window.review.enter(["alice", "nobody"])
    assert shown[-1] == "no annotator named 'nobody'"


def test_candidate_model_passes_the_model_tester(qtmodeltester, project, docs):
    model = ReviewCandidateModel()
    model.show_review(project.document_review(docs[0], COMPARED), TEXT)
    qtmodeltester.check(model)
    assert model.rowCount() == 5


def test_changing_the_annotator_ends_review_mode(win, monkeypatch):
    monkeypatch.setattr(
        "annotator.ui.project_controller.dialogs.ask_annotator_name", lambda *a: "dave"
    )
    monkeypatch.setattr("annotator.ui.project_controller.save_settings", lambda *a: None)
    win.actions_by_id["file.annotator"].trigger()
    assert not win.review.active and win.workspace.annotator == "dave"
    assert win.article.review_layer is None


def test_clicking_a_candidate_in_the_article_makes_it_current(qtbot, win):
    view = win.article
    cursor = QTextCursor(view.document())
    cursor.setPosition(at(TEXT, "Ukraine")[0] + 2)
    point = view.cursorRect(cursor).center() + QPoint(1, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert win.review.current == ("ACTOR", *at(TEXT, "Ukraine"))
    row = win.review.panel.table.selectionModel().currentIndex().row()
    assert win.review.panel.model.candidate_at(row).key == win.review.current
    assert "marked by carol" in win.review.panel.model.index(row, 0).data(
        Qt.ItemDataRole.ToolTipRole
    )


def test_setup_dialog_needs_two_ticked_annotators(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = ReviewSetupDialog(["alice", "bob", "carol"], ["alice"], "gold", None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.chosen() == ["alice"] and not ok.isEnabled()
    dialog.names.item(2).setCheckState(Qt.CheckState.Checked)
    assert dialog.chosen() == ["alice", "carol"] and ok.isEnabled()


def test_a_label_key_settles_a_label_choice(qtbot, win, project, docs):
    _, second = docs
    win.workspace.open_document(second)
    assert win.review.current == ("ACTOR", *at(SECOND, "Akinci"))
    win.article.clear_selection()
    press(qtbot, win, Qt.Key.Key_2)  # PLATFORM, the other side of the choice
    assert gold(project, second) == {("PLATFORM", *at(SECOND, "Akinci"))}
    assert win.review.review.adjudicated
    win.actions_by_id["edit.undo"].trigger()
    assert gold(project, second) == set()


def test_review_layer_finds_candidates_and_explains_them():
    from annotator.core.adjudication import review_document
    from annotator.ui.review_overlay import ReviewLayer

    marks = [("a<b>", "ACTOR", 0, 13), ("b", "ACTOR", 0, 6), ("b", "PLATFORM", 0, 6)]
    layer = ReviewLayer(review_document(1, marks, ["a<b>", "b"]).candidates)
    assert [c.key for c in layer.at(2)] == [("ACTOR", 0, 6), ("PLATFORM", 0, 6), ("ACTOR", 0, 13)]
    assert layer.at(13) == []
    assert layer.tooltip_lines(8) == ["<b>ACTOR</b> marked by a&lt;b&gt; — disagreement, open"]


def test_the_candidate_hint_is_taken_down_when_review_mode_ends(qtbot, win):
    """Review mode and normal mode share the status bar: the review's key hint for the current
    candidate must not linger after leaving review mode."""
    assert "marked by" in win.statusBar().currentMessage()  # the first disagreement is current
    win.actions_by_id["review.leave"].trigger()
    assert not win.review.active
    assert "marked by" not in win.statusBar().currentMessage()
