"""Learning continuously: marking documents done retrains the project model in a worker once
the project's policy asks for it (no dialog, a status-bar label and note, one run at a time)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QStatusBar
from test_training_dialog import fill_tiny_corpus

from annotator.core.commands import SetStatusCommand
from annotator.core.model import Status
from annotator.nlp.projectmodel import recorded_model
from annotator.nlp.retraining import RetrainPolicy, save_retrain_policy
from annotator.ui.background_training import RUNNING_TEXT, BackgroundTraining
from annotator.ui.status_bar import StatusBarController
from annotator.ui.workspace import Workspace

WAIT_MS = 60_000


@pytest.fixture
def corpus(project) -> list[int]:
    """16 annotated articles marked done by alice, and three more still to do."""
    fill_tiny_corpus(project)
    return [
        next(iter(project.add_document(f"Saab sold K2 tanks {n}.").documents)) for n in range(3)
    ]


@pytest.fixture
def learner(qtbot, project):
    """learner(read_only=False) -> (Workspace, BackgroundTraining training 2 steps); their
    runners are shut down when the test ends, as the window does on close."""
    made: list[BackgroundTraining] = []

    def make(*, read_only: bool = False):
        workspace = Workspace(project, "alice", read_only=read_only)
        bar = QStatusBar()
        qtbot.addWidget(bar)
        learning = BackgroundTraining(workspace, StatusBarController(bar, workspace), max_steps=2)
        made.append(learning)
        return workspace, learning

    yield make
    for learning in made:
        assert learning.runner.shut_down(5000)


def mark_done(workspace: Workspace, doc_id: int) -> None:
    assert workspace.execute(SetStatusCommand(doc_id, "alice", Status.DONE))


def test_marking_done_trains_in_the_background_once_enough_were_done(
    qtbot, project, learner, corpus
):
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=17))
    workspace, learning = learner()
    workspace.execute(SetStatusCommand(corpus[0], "alice", Status.IN_PROGRESS))
    assert learning.handle is None  # not done: nothing considered
    mark_done(workspace, corpus[0])  # the 17th document done, no model yet
    handle = learning.handle
    assert handle is not None and learning.is_training()
    assert not learning.running_label.isHidden() and learning.running_label.text() == RUNNING_TEXT
    mark_done(workspace, corpus[1])
    assert learning.handle is handle  # one run at a time
    with qtbot.waitSignal(learning.trained, timeout=WAIT_MS) as blocker:
        pass
    assert blocker.args[0].steps == 2 and recorded_model(project) is not None
    assert learning.status.bar.currentMessage().startswith("Project model updated: precision")
    qtbot.waitUntil(lambda: learning.running_label.isHidden())
    mark_done(workspace, corpus[2])  # 1 or 2 done since the new model: not 17
    assert learning.handle is handle and not learning.is_training()


def test_no_run_when_turned_off_or_read_only(qtbot, project, learner, corpus):
    save_retrain_policy(project, RetrainPolicy(enabled=False, after=1))
    workspace, learning = learner()
    mark_done(workspace, corpus[0])
    assert learning.handle is None
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=1))
    _, read_only = learner(read_only=True)
    assert read_only.train_if_due() is None


def test_a_cancelled_run_saves_nothing_and_says_nothing(qtbot, project, learner, corpus):
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=1))
    workspace, learning = learner()
    mark_done(workspace, corpus[0])
    assert learning.handle is not None
    with qtbot.waitSignal(learning.handle.finished, timeout=WAIT_MS):
        learning.runner.cancel_all()  # what closing the window does (TaskRunner.shut_down)
    assert recorded_model(project) is None and learning.running_label.isHidden()
    assert not learning.status.bar.currentMessage().startswith("Background training")


def test_the_training_thread_runs_at_the_lowest_priority():
    """train_quietly lowers its own thread's priority (Linux: per thread), not the caller's."""
    import os
    import sys
    import threading

    from annotator.ui.background_training import LOWEST_NICE, lower_thread_priority

    if sys.platform != "linux":
        pytest.skip("per-thread priorities are Linux's")
    seen: list[int] = []

    def body() -> None:
        lower_thread_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, 0)
    worker = threading.Thread(target=body)
    worker.start()
    worker.join()
    assert seen == [LOWEST_NICE] and os.getpriority(os.PRIO_PROCESS, 0) == before


def test_in_the_window_done_starts_it_train_waits_for_it_and_closing_cancels_it(
    qtbot, project, corpus
):
    from annotator.core.settings import Settings
    from annotator.ui.main_window import MainWindow

    save_retrain_policy(project, RetrainPolicy(enabled=True, after=17))
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.show()
    window.workspace.open_document(corpus[0])
    window.actions_by_id["doc.done"].trigger()  # Ctrl+Enter
    learning = window.suggestions.learning
    assert learning.is_training()
    window.actions_by_id["suggest.train"].trigger()  # no second run, no dialog meanwhile
    assert "training in the background already" in window.statusBar().currentMessage()
    window.close()  # the default 400 steps take seconds: the run is cancelled
    qtbot.waitUntil(lambda: not learning.is_training(), timeout=WAIT_MS)
    assert recorded_model(project) is None
