"""Suggestions in the workspace, driven like a user: see, click, Enter, Backspace, undo, accept
all; and the background service computing them while the window stays responsive."""

from __future__ import annotations

import gc
import itertools
import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QInputDialog

from annotator.core.model import Changes, NewSuggestion, SpanSource
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

TEXT = "Baykar sold TB2 drones to Poland. Later Turkey bought Akinci drones from Baykar."


def word_at(word: str, nth: int = 0) -> tuple[int, int]:
    """Code-point offsets of the nth occurrence of `word` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


@pytest.fixture
def doc_id(project):
    project.add_document("An article opened first, with nothing suggested.", "first")
    (doc,) = project.add_document(TEXT, "Drones").documents
    return doc


@pytest.fixture
def win(qtbot, project):
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    yield window
    window.close()


def suggest(project, doc: int, *items: tuple[str, int, int, float]) -> None:
    """Store lexicon suggestions (label, start, end, score) for a document."""
    project.store_suggestions(
        doc, "lexicon", [NewSuggestion(s, e, lab, sc) for lab, s, e, sc in items]
    )


def open_doc(win: MainWindow, doc: int) -> None:
    win.workspace.open_document(doc)
    win.article.setFocus()


def point_of(win: MainWindow, word: str) -> QPoint:
    """A viewport point in the middle of the first `word` (found by Qt, not our converter)."""
    found = win.article.document().find(word, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), word
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(found.selectionStart() + len(word) // 2)
    return win.article.cursorRect(cursor).center()


def click(qtbot, win: MainWindow, word: str) -> None:
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton, pos=point_of(win, word))


def wait_for_accept_all(qtbot, win: MainWindow) -> None:
    """Let the background Accept All deliver its outcome."""
    qtbot.waitUntil(lambda: win.accept_all.handle is not None and win.accept_all.handle.is_done())


def human_spans(win: MainWindow):
    return win.workspace.project.spans(win.workspace.document.id, "alice")


def pending(win: MainWindow):
    return win.workspace.project.suggestions(win.workspace.document.id)


def shown(win: MainWindow) -> set[tuple[str, int, int]]:
    return {(s.label, s.start, s.end) for s in win.article.suggestion_index}


def test_stored_suggestions_are_shown_and_a_click_makes_one_current(qtbot, win, project, doc_id):
    suggest(project, doc_id, ("ACTOR", *word_at("Baykar"), 0.9), ("ACTOR", *word_at("Turkey"), 0.6))
    open_doc(win, doc_id)
    assert shown(win) == {("ACTOR", *word_at("Baykar")), ("ACTOR", *word_at("Turkey"))}
    win.grab()  # the outlines paint without error
    assert not win.actions_by_id["suggest.accept"].isEnabled()
    click(qtbot, win, "Turkey")
    current = win.article.current_suggestion
    assert (current.label, current.start, current.end) == ("ACTOR", *word_at("Turkey"))
    assert "score 0.60" in win.statusBar().currentMessage()
    assert win.actions_by_id["suggest.accept"].isEnabled()


def test_a_click_on_a_human_span_selects_the_span_not_the_suggestion(qtbot, win, project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", *word_at("Poland"))
    suggest(project, doc_id, ("PLATFORM", *word_at("Poland"), 0.9))
    open_doc(win, doc_id)
    click(qtbot, win, "Poland")
    assert win.article.current_suggestion is None
    assert win.workspace.selected_span.label == "ACTOR"


def test_enter_accepts_as_a_suggestion_span_and_ctrl_z_restores(qtbot, win, project, doc_id):
    suggest(project, doc_id, ("ACTOR", *word_at("Baykar"), 0.9), ("ACTOR", *word_at("Turkey"), 0.6))
    open_doc(win, doc_id)
    click(qtbot, win, "Baykar")
    qtbot.keyClick(win.article, Qt.Key.Key_Return)
    (span,) = human_spans(win)
    assert (span.label, span.start, span.end, span.source) == (
        "ACTOR",
        *word_at("Baykar"),
        SpanSource.SUGGESTION,
    )
    assert shown(win) == {("ACTOR", *word_at("Turkey"))}
    assert [(s.start, s.end) for s in pending(win)] == [word_at("Turkey")]
    assert len(win.article.index) == 1  # drawn as an ordinary span
    assert win.article.current_suggestion.start == word_at("Turkey")[0]  # moved on to the next
    qtbot.keyClick(win.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert human_spans(win) == []
    assert shown(win) == {("ACTOR", *word_at("Baykar")), ("ACTOR", *word_at("Turkey"))}
    assert len(pending(win)) == 2 and len(win.article.index) == 0


def test_backspace_rejects_for_good(qtbot, win, project, doc_id):
    item = ("PLATFORM", *word_at("TB2 drones"), 0.8)
    suggest(project, doc_id, item)
    open_doc(win, doc_id)
    click(qtbot, win, "TB2")
    qtbot.keyClick(win.article, Qt.Key.Key_Backspace)
    assert pending(win) == [] and shown(win) == set() and human_spans(win) == []
    assert win.article.current_suggestion is None
    suggest(project, doc_id, item)  # the suggester proposes it again: it stays dismissed
    assert pending(win) == []


def test_enter_also_dismisses_the_suggestions_it_competes_with_in_one_undo_step(
    qtbot, win, project, doc_id
):
    drones = word_at("TB2 drones")
    suggest(
        project,
        doc_id,
        ("PLATFORM", *drones, 0.9),
        ("ACTOR", *drones, 0.5),  # the same extent, another label
        ("PLATFORM", *word_at("TB2"), 0.8),  # inside it, the same suggester
        ("ACTOR", *word_at("Turkey"), 0.6),  # elsewhere: stays
    )
    open_doc(win, doc_id)
    (chosen,) = [s for s in pending(win) if (s.label, s.start, s.end) == ("PLATFORM", *drones)]
    win.suggestions.set_current(chosen)
    qtbot.keyClick(win.article, Qt.Key.Key_Return)
    assert [(s.label, s.start, s.end) for s in human_spans(win)] == [("PLATFORM", *drones)]
    assert shown(win) == {("ACTOR", *word_at("Turkey"))}
    assert "Accept PLATFORM suggestion" in win.actions_by_id["edit.undo"].text()
    qtbot.keyClick(win.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert human_spans(win) == [] and len(shown(win)) == 4 and len(pending(win)) == 4


def test_accept_all_in_document_is_one_undo_step(qtbot, win, project, doc_id):
    suggest(
        project,
        doc_id,
        ("ACTOR", *word_at("Baykar"), 0.9),
        ("ACTOR", *word_at("Baykar", 1), 0.9),
        ("PLATFORM", *word_at("Akinci drones"), 0.4),
    )
    open_doc(win, doc_id)
    stack = win.workspace.undo_stack
    before = stack.count()
    win.actions_by_id["suggest.accept_all"].trigger()
    wait_for_accept_all(qtbot, win)
    assert len(human_spans(win)) == 3 and pending(win) == [] and shown(win) == set()
    assert stack.count() == before + 1
    assert "Accept 3 suggestions" in win.actions_by_id["edit.undo"].text()
    win.actions_by_id["edit.undo"].trigger()
    assert human_spans(win) == [] and len(pending(win)) == 3 and len(shown(win)) == 3


def test_accept_above_a_score_asks_for_the_score(qtbot, win, project, doc_id, monkeypatch):
    asked = []

    def get_double(parent, title, text, value, low, high, decimals):
        asked.append((value, low, high))
        return 0.7, True

    monkeypatch.setattr(QInputDialog, "getDouble", get_double)
    suggest(project, doc_id, ("ACTOR", *word_at("Baykar"), 0.9), ("ACTOR", *word_at("Turkey"), 0.5))
    open_doc(win, doc_id)
    win.actions_by_id["suggest.accept_above"].trigger()
    wait_for_accept_all(qtbot, win)
    assert asked == [(0.8, 0, 1)]
    assert [(s.start, s.end) for s in human_spans(win)] == [word_at("Baykar")]
    assert shown(win) == {("ACTOR", *word_at("Turkey"))}


def test_next_and_previous_suggestion_by_keyboard(qtbot, win, project, doc_id):
    suggest(
        project,
        doc_id,
        ("ACTOR", *word_at("Poland"), 0.5),
        ("ACTOR", *word_at("Baykar"), 0.9),
        ("ACTOR", *word_at("Turkey"), 0.6),
    )
    open_doc(win, doc_id)
    ctrl = Qt.KeyboardModifier.ControlModifier

    def current() -> int:
        return win.article.current_suggestion.start

    qtbot.keyClick(win.article, Qt.Key.Key_Period, ctrl)
    assert current() == word_at("Baykar")[0]
    qtbot.keyClick(win.article, Qt.Key.Key_Period, ctrl)
    assert current() == word_at("Poland")[0]
    qtbot.keyClick(win.article, Qt.Key.Key_Period, ctrl)
    assert current() == word_at("Turkey")[0]
    qtbot.keyClick(win.article, Qt.Key.Key_Comma, ctrl)
    assert current() == word_at("Poland")[0]
    qtbot.keyClick(win.article, Qt.Key.Key_Return)  # Enter accepts the one reached
    assert [(s.start, s.end) for s in human_spans(win)] == [word_at("Poland")]


def test_background_suggestions_keep_the_window_responsive(qtbot, project):
    (first,) = project.add_document("Baykar signed a deal with the ministry.", "one").documents
    project.add_span(first, "alice", "ACTOR", 0, 6)
    second_text = "The ministry ordered more drones from BAYKAR this year."
    (second,) = project.add_document(second_text, "two").documents
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=True), lambda *a: None)
    qtbot.addWidget(win)
    win.show()
    assert win.workspace.document.id == first  # suggesting for it started in the worker
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    # The test session's own objects (hundreds of thousands by now) are frozen: a full garbage
    # collection, triggered by whichever thread allocates, pauses every thread for 150+ ms
    # over them, which would be measured here although no spaCy work is on the GUI thread.
    gc.collect()
    gc.freeze()
    try:
        timer.start()
        ticks.append(time.perf_counter())
        win.workspace.open_document(second)  # queued behind the first document's task
        qtbot.waitUntil(lambda: len(win.article.suggestion_index) > 0, timeout=30_000)
        ticks.append(time.perf_counter())
        timer.stop()
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        assert len(ticks) >= 2  # a fast worker may finish before the first tick
        assert max(gaps) < 0.25, f"the GUI thread was blocked for {max(gaps) * 1000:.0f} ms"
        (found,) = win.article.suggestion_index
        start = second_text.index("BAYKAR")
        assert (found.label, found.start, found.end, found.model) == (
            "ACTOR",
            start,
            start + 6,
            "lexicon:alice",  # alice's own lexicon
        )
    finally:
        timer.stop()
        gc.unfreeze()
        win.close()
    assert win.suggester.runner.active() == [] or win.suggester.runner.wait_all(0)


def test_first_phrase_marked_in_a_fresh_project_is_suggested_in_the_next_document(qtbot, project):
    """The first run finds no available suggester (empty lexicon, no model, no pipeline); the
    lexicon must still join once a person marks a phrase (regression: it never did)."""
    (first,) = project.add_document("Baykar signed a deal with the ministry.", "one").documents
    second_text = "The ministry ordered drones from Baykar."
    (second,) = project.add_document(second_text, "two").documents
    settings = Settings(auto_suggest=True, snap_to_words=False)
    win = MainWindow(Workspace(project, "alice"), settings, lambda *a: None)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    try:
        # the first run starts shortly after the window is shown (spaCy loads after that)
        qtbot.waitUntil(lambda: win.suggester.handle is not None, timeout=5_000)
        first_run = win.suggester.handle
        qtbot.waitUntil(first_run.is_done, timeout=30_000)
        assert first_run.result[1].suggesters == []  # nothing could suggest yet
        found = win.article.document().find("Baykar", 0, QTextDocument.FindFlag.FindCaseSensitively)
        win.article.setTextCursor(found)
        win.article.setFocus()
        qtbot.keyClick(win.article, Qt.Key.Key_1)  # ACTOR
        assert [s.label for s in project.spans(first, "alice")] == ["ACTOR"]
        win.workspace.open_document(second)
        qtbot.waitUntil(lambda: len(win.article.suggestion_index) > 0, timeout=30_000)
        (found,) = win.article.suggestion_index
        assert second_text[found.start : found.end] == "Baykar" and found.label == "ACTOR"
    finally:
        win.close()


def test_the_hint_of_the_current_suggestion_goes_with_it(qtbot, win, project, doc_id):
    """The status bar's key hint for a suggestion stays while it is current, no longer."""
    suggest(project, doc_id, ("ACTOR", *word_at("Turkey"), 0.6))
    open_doc(win, doc_id)
    qtbot.keyClick(win.article, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert "Suggested ACTOR" in win.statusBar().currentMessage()
    qtbot.keyClick(win.article, Qt.Key.Key_Return)  # accepted: none is current any more
    assert win.article.current_suggestion is None and len(human_spans(win)) == 1
    assert win.statusBar().currentMessage() == ""
    win.actions_by_id["edit.undo"].trigger()  # the suggestion is back; Ctrl+. makes it current
    qtbot.keyClick(win.article, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert "Suggested ACTOR" in win.statusBar().currentMessage()
    win.workspace.open_document(doc_id - 1)  # another document: nothing here is current
    assert win.statusBar().currentMessage() == ""


def test_a_phrase_tagged_by_hand_is_suggested_again_in_the_open_article(qtbot, project):
    """Issue 17 item 8: suggestions for the open article did not update after tagging (only
    when the article was opened again)."""
    text = "Baykar signed a deal with the ministry. Later Baykar delivered the drones."
    (doc,) = project.add_document(text, "one").documents
    settings = Settings(auto_suggest=True, snap_to_words=False)
    win = MainWindow(Workspace(project, "alice"), settings, lambda *a: None)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    try:
        qtbot.waitUntil(lambda: win.suggester.handle is not None, timeout=5_000)
        qtbot.waitUntil(win.suggester.handle.is_done, timeout=30_000)
        assert len(win.article.suggestion_index) == 0  # nothing to learn from yet
        found = win.article.document().find("Baykar", 0, QTextDocument.FindFlag.FindCaseSensitively)
        win.article.setTextCursor(found)
        win.article.setFocus()
        qtbot.keyClick(win.article, Qt.Key.Key_1)  # ACTOR, by hand
        assert [s.label for s in project.spans(doc, "alice")] == ["ACTOR"]
        qtbot.waitUntil(lambda: len(win.article.suggestion_index) > 0, timeout=15_000)
        (suggested,) = win.article.suggestion_index
        assert (suggested.start, suggested.label) == (text.rindex("Baykar"), "ACTOR")
        assert win.workspace.document.id == doc  # the same article, not opened again
    finally:
        win.close()


def test_the_current_suggestion_stays_current_when_the_article_is_suggested_for_again(
    qtbot, win, project, doc_id
):
    suggest(project, doc_id, ("ACTOR", *word_at("Turkey"), 0.6), ("ACTOR", *word_at("Poland"), 0.5))
    open_doc(win, doc_id)
    qtbot.keyClick(win.article, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    first = win.article.current_suggestion
    # a new run (after tagging) replaces the undecided suggestions: the same places, their ids
    # given out again in another order
    suggest(project, doc_id, ("ACTOR", *word_at("Poland"), 0.5), ("ACTOR", *word_at("Turkey"), 0.7))
    win.workspace.announce(Changes(suggestions=frozenset({doc_id})))
    current = win.article.current_suggestion
    assert current is not None and current in win.article.suggestion_index
    assert (current.start, current.end, current.label) == (first.start, first.end, first.label)
