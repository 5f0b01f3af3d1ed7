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


def learner(qtbot, project, runner, *, read_only: bool = False):
    workspace = Workspace(project, "alice", read_only=read_only)
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = StatusBarController(bar, workspace)
    return workspace, BackgroundTraining(workspace, runner, status, max_steps=2)


def mark_done(workspace: Workspace, doc_id: int) -> None:
    assert workspace.execute(SetStatusCommand(doc_id, "alice", Status.DONE))


def test_marking_done_trains_in_the_background_once_enough_were_done(
    qtbot, project, runner, corpus
):
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=17))
    workspace, learning = learner(qtbot, project, runner)
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


def test_no_run_when_turned_off_or_read_only(qtbot, project, runner, corpus):
    save_retrain_policy(project, RetrainPolicy(enabled=False, after=1))
    workspace, learning = learner(qtbot, project, runner)
    mark_done(workspace, corpus[0])
    assert learning.handle is None
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=1))
    _, read_only = learner(qtbot, project, runner, read_only=True)
    assert read_only.train_if_due() is None


def test_a_cancelled_run_saves_nothing_and_says_nothing(qtbot, project, runner, corpus):
    save_retrain_policy(project, RetrainPolicy(enabled=True, after=1))
    workspace, learning = learner(qtbot, project, runner)
    mark_done(workspace, corpus[0])
    assert learning.handle is not None
    with qtbot.waitSignal(learning.handle.finished, timeout=WAIT_MS):
        runner.cancel_all()  # what closing the window does (TaskRunner.shut_down)
    assert recorded_model(project) is None and learning.running_label.isHidden()
    assert not learning.status.bar.currentMessage().startswith("Background training")
