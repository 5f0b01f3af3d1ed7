"""Suggestions computed in the background: for the open document, or the whole corpus.

spaCy is imported only inside the worker, on first use, so the window is usable at once. The
built suggesters are kept between runs (loading a pipeline is slow); the lexicon is rebuilt
when people have marked new spans, everything when the settings or the model change.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import Cancelled
from annotator.core.model import Changes
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)


def suggest_task(
    location: str | Path,
    document_ids: Sequence[int] | None,
    suggesters: list | None,
    rebuild_lexicon: bool,
    *,
    progress: Progress,
    redo: bool = True,
):
    """Worker body: (re)build the suggesters as needed, then suggest for the documents.

    Returns the suggesters used (to keep for the next run) and the runner's report.
    """
    from annotator.nlp.lexicon import LexiconSuggester
    from annotator.nlp.runner import default_suggesters, suggest_documents

    with Project(location) as project:
        if suggesters is None or (rebuild_lexicon and all(s.name != "lexicon" for s in suggesters)):
            suggesters = default_suggesters(project)
        elif rebuild_lexicon:
            suggesters = [
                LexiconSuggester.from_project(project) if s.name == "lexicon" else s
                for s in suggesters
            ]
    report = suggest_documents(location, document_ids, suggesters, progress=progress, redo=redo)
    return suggesters, report


class SuggestionService(QObject):
    """Runs suggestion tasks one at a time and announces the documents they changed."""

    suggested = Signal(object)  # the runner's report
    failed = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = TaskRunner(self, max_threads=1)
        self._suggesters: list | None = None
        self._lexicon_stale = False
        self._pending: tuple[list[int] | None, bool] | None = None
        self._generation = 0  # bumped by invalidate(): results built before it are dropped
        self._submitted_generation = 0
        self.handle: TaskHandle | None = None
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    @property
    def runner(self) -> TaskRunner:
        """The runner of suggestion tasks (one at a time), for waiting and cancelling."""
        return self._runner

    def invalidate(self) -> None:
        """Forget the built suggesters (settings or the project model changed)."""
        self._suggesters = None
        self._generation += 1

    def suggest_document(self, document_id: int) -> TaskHandle | None:
        """Suggest for one document in the background (queued behind a running task)."""
        return self._request([document_id], redo=True)

    def suggest_all(self, *, redo: bool = False) -> TaskHandle | None:
        """Suggest for every document; without `redo`, documents already done are skipped,
        so a cancelled run resumes where it stopped."""
        return self._request(None, redo=redo)

    def _request(self, document_ids: list[int] | None, *, redo: bool) -> TaskHandle | None:
        if self._workspace.read_only:
            return None
        if self.handle is not None and not self.handle.is_done():
            self._pending = (document_ids, redo)  # only the latest request waits
            return None
        self.handle = self._runner.submit(
            suggest_task,
            self._workspace.project.location,
            document_ids,
            self._suggesters,
            self._lexicon_stale,
            redo=redo,
            title="Suggesting",
        )
        self._lexicon_stale = False
        self._submitted_generation = self._generation
        self.handle.succeeded.connect(self._on_task_succeeded)
        self.handle.failed.connect(self._on_task_failed)
        self.handle.finished.connect(self._on_task_finished)
        return self.handle

    def _on_task_succeeded(self, result) -> None:
        suggesters, report = result
        if self._submitted_generation == self._generation:  # else settings changed meanwhile
            self._suggesters = suggesters
        current = self._workspace.document
        if current is not None:  # other documents read theirs when they open
            self._workspace.announce(Changes(suggestions=frozenset({current.id})))
        self.suggested.emit(report)

    def _on_task_failed(self, error: Exception) -> None:
        if not isinstance(error, Cancelled):
            log.warning("suggesting failed: %s", error)
            self.failed.emit(str(error))

    def _on_task_finished(self) -> None:
        if self._pending is not None:
            document_ids, redo = self._pending
            self._pending = None
            self._request(document_ids, redo=redo)

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if changes.spans_added or changes.spans_updated:
            self._lexicon_stale = True  # a newly marked phrase is suggested everywhere else
        if changes.labels:
            self.invalidate()
