"""Undo and redo of a bulk step (Accept All over thousands of suggestions) run in a worker as
Accept All does: the loop keeps running (the watchdog fails a stall over 250 ms: 7,000 spans
reach the views as one reset), a progress dialog shows after 300 ms, the undo stack moves only
when the step has committed, further presses wait their turn, and a refused or cancelled step
stays where it was."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QTimer

from annotator.core.commands import AddSpanCommand, RemoveLabelCommand
from annotator.core.model import NewSuggestion
from annotator.core.project import Project
from annotator.core.project.store import WRITE_LOCK
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

SENTENCE = "Baykar sold TB2 drones to Poland, and Roketsan sold missiles to Turkey. "
WORDS = ("Baykar", "TB2", "Poland", "Roketsan", "Turkey")
SUGGESTIONS = 1_000
UNDOING = "Undo Accept 1,000 suggestions"


@pytest.fixture
def count() -> int:
    """How many suggestions the article has (a test parametrises more)."""
    return SUGGESTIONS


@pytest.fixture
def doc_id(project, count) -> int:
    text = SENTENCE * (count // len(WORDS))
    (doc,) = project.add_document(text, "long").documents
    items = [
        NewSuggestion(m.start(), m.end(), "ACTOR")
        for word in WORDS
        for m in re.finditer(word, text)
    ]
    project.store_suggestions(doc, "lexicon", items)
    return doc


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("annotator.ui.main_window.show_error", lambda *a: shown.append(str(a[-1])))
    return shown


@pytest.fixture
def win(qtbot, project, doc_id, count, errors):
    """The window on the article: a span of its own added ('sold', undo step 1), then every
    suggestion accepted (step 2)."""
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(window)
    window.show()
    ws = window.workspace
    ws.open_document(doc_id)
    assert ws.execute(AddSpanCommand(doc_id, "alice", "ACTOR", 7, 11))
    window.actions_by_id["suggest.accept_all"].trigger()
    qtbot.waitUntil(window.accept_all.handle.is_done, timeout=10000)
    assert len(ws.layer) == count + 1 and ws.undo_stack.index() == 2
    yield window
    window.close()


@pytest.fixture
def other(project):
    """A second writer on the same file (a CLI, a second window)."""
    second = Project(project.path)
    yield second
    second.close()


def _press(win, action: str, times: int = 1) -> None:
    """Key presses as the loop delivers them (the watchdog times what they run)."""
    for _ in range(times):
        QTimer.singleShot(0, win.actions_by_id[action].trigger)


def _spans(project, doc_id) -> list[tuple[int, int, int]]:
    return [(s.id, s.start, s.end) for s in project.spans(doc_id, "alice")]


def test_undo_and_redo_of_accept_all_run_in_a_worker_one_press_after_another(
    qtbot, win, project, doc_id, errors
):
    ws, stack = win.workspace, win.workspace.undo_stack
    accepted = _spans(project, doc_id)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with WRITE_LOCK:  # another writer holds the lock: the undo waits in its worker
        _press(win, "edit.undo", times=2)
        qtbot.waitUntil(lambda: win.undo_steps.progress_dialog is not None)
        dialog = win.undo_steps.progress_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=3000)  # shown after 300 ms
        assert len(ticks) >= 10  # the event loop kept running meanwhile
        assert dialog.labelText() == "Undoing Accept 1,000 suggestions…"
        assert stack.index() == 2  # nothing committed: the stack has not moved
        assert win.statusBar().currentMessage() == f"Waiting for '{UNDOING}' to end, then: undo."
        assert not ws.execute(AddSpanCommand(doc_id, "alice", "ACTOR", 17, 23))
        # said in the status bar: no box opens over the progress dialog
        assert win.statusBar().currentMessage() == (
            f"Wait until '{UNDOING}' ends; nothing was changed."
        )
    # the worker commits, then the press that waited undoes the span added first
    qtbot.waitUntil(lambda: stack.index() == 0, timeout=10000)
    timer.stop()
    assert project.spans(doc_id, "alice") == [] and len(ws.layer) == 0
    assert len(project.suggestions(doc_id, annotator="alice")) == SUGGESTIONS
    assert len(ws.opened.suggestions) == SUGGESTIONS

    _press(win, "edit.redo", times=2)  # the span (at once), then Accept All (in a worker)
    qtbot.waitUntil(lambda: stack.index() == 2 and win.undo_steps.handle.is_done(), timeout=10000)
    assert _spans(project, doc_id) == accepted and len(ws.layer) == SUGGESTIONS + 1
    assert project.suggestions(doc_id, annotator="alice") == [] and ws.opened.suggestions == []
    assert errors == []


@pytest.mark.parametrize("count", [7_000])
def test_the_views_take_a_bulk_undo_and_redo_as_one_reset_each(qtbot, win, project, doc_id):
    model = win.span_list.model
    seen: list[str] = []
    model.modelReset.connect(lambda: seen.append("reset"))
    model.rowsRemoved.connect(lambda *_: seen.append("removed"))
    _press(win, "edit.undo")
    qtbot.waitUntil(lambda: win.workspace.undo_stack.index() == 1, timeout=10000)
    assert seen == ["reset"] and model.rowCount() == 1
    _press(win, "edit.redo")
    qtbot.waitUntil(lambda: win.workspace.undo_stack.index() == 2, timeout=10000)
    assert seen == ["reset", "reset"] and model.rowCount() == 7_001


def test_a_refused_bulk_undo_stays_put_and_drops_the_presses_behind_it(
    qtbot, win, project, other, doc_id, errors
):
    ws, stack = win.workspace, win.workspace.undo_stack
    accepted = _spans(project, doc_id)
    span_id = next(span_id for span_id, start, _end in accepted if start == 0)
    other.relabel_span(span_id, "PLATFORM")  # another writer changed one accepted span
    with WRITE_LOCK:
        _press(win, "edit.undo", times=2)
        qtbot.waitUntil(lambda: win.undo_steps.handle is not None)
    qtbot.waitUntil(lambda: win.undo_steps.handle.is_done(), timeout=10000)
    qtbot.wait(50)  # the dropped press would run now
    assert errors == [
        "Cannot undo Accept 1,000 suggestions: 1 of the accepted spans was changed by someone else "
        "since; nothing was changed. The undo or redo asked after it was not run"
    ]
    assert stack.index() == 2 and stack.undoText() == "Accept 1,000 suggestions"
    assert len(project.spans(doc_id, "alice")) == SUGGESTIONS + 1
    assert len(ws.layer) == SUGGESTIONS + 1 and ws.background is None


def test_a_cancelled_bulk_undo_changes_nothing(qtbot, win, project, doc_id):
    stack = win.workspace.undo_stack
    with WRITE_LOCK:
        _press(win, "edit.undo")
        qtbot.waitUntil(lambda: win.undo_steps.progress_dialog is not None)
        dialog = win.undo_steps.progress_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=3000)
        dialog.cancel_button.click()
    qtbot.waitUntil(win.undo_steps.handle.is_done, timeout=10000)
    assert stack.index() == 2 and len(project.spans(doc_id, "alice")) == SUGGESTIONS + 1
    assert win.statusBar().currentMessage() == (
        "Undoing 'Accept 1,000 suggestions' cancelled; nothing was changed."
    )
    _press(win, "edit.undo")  # the next press undoes it
    qtbot.waitUntil(lambda: stack.index() == 1, timeout=10000)
    assert len(project.spans(doc_id, "alice")) == 1


def test_removing_a_label_with_its_spans_is_undone_and_redone_in_a_worker(qtbot, project):
    (doc,) = project.add_document(SENTENCE * 60, "short").documents
    for n in range(60):
        project.add_span(doc, "alice", "PLATFORM", n * len(SENTENCE), n * len(SENTENCE) + 6)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(window)
    window.show()
    ws = window.workspace
    ws.open_document(doc)
    assert ws.execute(RemoveLabelCommand("PLATFORM", force=True))
    assert len(ws.layer) == 0 and ws.label("PLATFORM") is None
    began: list[str] = []  # recorded as the step starts: a quick worker may end before a poll
    original_begin = ws.begin_background
    ws.begin_background = lambda name: (began.append(name), original_begin(name))[1]
    _press(window, "edit.undo")
    qtbot.waitUntil(lambda: window.undo_steps.handle is not None)
    assert began == ["Undo Remove label PLATFORM"]
    qtbot.waitUntil(lambda: ws.undo_stack.index() == 0, timeout=10000)
    assert len(ws.layer) == 60 and ws.label("PLATFORM") is not None
    _press(window, "edit.redo")
    qtbot.waitUntil(lambda: ws.undo_stack.index() == 1, timeout=10000)
    assert len(ws.layer) == 0 and ws.label("PLATFORM") is None and ws.background is None
    window.close()


def test_accepting_every_agreed_span_runs_in_a_worker_and_is_one_step(qtbot, project, monkeypatch):
    """The first apply of a bulk command (Review → Accept All Agreed over 60 candidates) runs
    in a worker too: 300 took ~3 s on the GUI thread of a loaded machine."""
    from annotator.ui import review_controller

    (doc,) = project.add_document(SENTENCE * 60, "agreed").documents
    for who in ("alice", "bob"):
        for n in range(60):
            project.add_span(doc, who, "ACTOR", n * len(SENTENCE), n * len(SENTENCE) + 6)
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: ["alice", "bob"])
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.show()
    ws = window.workspace
    ws.open_document(doc)
    window.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: window.review.tally.ready)
    steps = ws.undo_stack.count()
    with WRITE_LOCK:  # the accept waits in its worker: nothing is stored, the stack waits
        _press(window, "review.accept_agreed")
        qtbot.waitUntil(lambda: ws.background == "Accept 60 agreed spans")
        assert project.spans(doc, "gold") == [] and ws.undo_stack.count() == steps
    qtbot.waitUntil(lambda: ws.background is None, timeout=10000)
    assert len(project.spans(doc, "gold")) == 60
    assert ws.undo_stack.count() == steps + 1
    assert ws.undo_stack.undoText() == "Accept 60 agreed spans"
    _press(window, "edit.undo")  # and back, in a worker
    qtbot.waitUntil(lambda: ws.undo_stack.count() == steps + 1 and ws.undo_stack.index() == steps)
    qtbot.waitUntil(lambda: ws.background is None, timeout=10000)
    assert project.spans(doc, "gold") == []
    window.close()
