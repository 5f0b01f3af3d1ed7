"""Learn continuously: once enough documents were marked done since the project model was
trained (nlp.retraining's policy), train it again in a worker, never blocking annotation.

No dialog: a quiet label in the status bar while it runs, a note with the new scores when it
ends. One run at a time, on its own worker thread at the lowest CPU priority (annotating, and
the suggestions' worker, come first); the window shuts its runner down on close, which cancels
the run (nothing is saved then).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import threading
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.model import Changes, Status
from annotator.core.progress import Progress
from annotator.core.storage.orm import utcnow
from annotator.nlp.retraining import background_options, training_due
from annotator.nlp.train_options import DEFAULTS, TrainOptions
from annotator.ui.plain import plain_label
from annotator.ui.status_bar import StatusBarController
from annotator.ui.training_dialog import run_training
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

RUNNING_TEXT = "Training the project model in the background…"
RESULT_NOTE_MS = 15_000
LOWEST_NICE = 19


def train_quietly(location: str, options: TrainOptions, *, progress: Progress):
    """Task body: lower this worker thread's CPU priority, then train (run_training). The
    thread is the background runner's own, so no other task inherits the priority."""
    lower_thread_priority()
    return run_training(location, options, progress=progress)


def lower_thread_priority() -> None:
    """Give the calling thread the lowest CPU priority where the system allows it per thread
    (Linux: the nice value of one thread; threads it starts inherit it); elsewhere nothing."""
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_NICE)
    except OSError as exc:  # not allowed: train at the usual priority
        log.info("background training keeps its priority: %s", exc)


class BackgroundTraining(QObject):
    """Starts a training run when a document marked done makes one due; `trained` then."""

    trained = Signal(object)  # nlp.training.TrainReport

    def __init__(
        self,
        workspace: Workspace,
        status: StatusBarController,
        parent: QObject | None = None,
        *,
        max_steps: int = DEFAULTS.max_steps,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = TaskRunner(self, max_threads=1)
        self.status = status
        self.handle: TaskHandle | None = None
        self._max_steps = max_steps
        self._tried: datetime | None = None  # when the last run started (a failed one counts)
        self.running_label = plain_label(RUNNING_TEXT, status.bar)
        self.running_label.setToolTip(
            "Suggestions go on with the current model; the new one is used once trained "
            "(Suggestion Settings turns this off)"
        )
        self.running_label.hide()
        status.add_permanent(self.running_label)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    def is_training(self) -> bool:
        """Whether a background run is under way."""
        return self.handle is not None and not self.handle.is_done()

    def train_if_due(self) -> TaskHandle | None:
        """Start a run if the project is writable, none runs and the policy asks for one."""
        if self.is_training() or self.workspace.read_only:
            return None
        project = self.workspace.project
        try:
            if not training_due(project, self._tried):
                return None
            options = background_options(project, self.workspace.annotator)
        except AnnotatorError as exc:  # the project went away (a server): try again later
            log.warning("background training not considered: %s", exc)
            return None
        options = dataclasses.replace(options, max_steps=self._max_steps)
        self._tried = utcnow()
        handle = self.runner.submit(
            train_quietly, project.location, options, title="Background training"
        )
        handle.succeeded.connect(self._on_task_succeeded)
        handle.failed.connect(self._on_task_failed)
        handle.finished.connect(self._on_task_finished)
        self.handle = handle
        self.running_label.show()
        return handle

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if any(change.now is Status.DONE for change in changes.statuses):
            self.train_if_due()

    def _on_task_succeeded(self, report) -> None:
        overall = report.overall
        self.status.note(
            f"Project model updated: precision {overall.precision:.0%}, recall "
            f"{overall.recall:.0%} on {report.dev_documents} held-out documents",
            RESULT_NOTE_MS,
        )
        self.trained.emit(report)

    def _on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            return
        if not isinstance(error, AnnotatorError):
            log.error("background training failed", exc_info=error)
        self.status.note(f"Background training not possible: {error}", RESULT_NOTE_MS)

    def _on_task_finished(self) -> None:
        self.running_label.hide()
