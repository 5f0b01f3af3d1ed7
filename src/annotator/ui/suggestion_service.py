"""Suggestions computed in the background: for the open document, or the whole corpus.

spaCy is imported only inside the worker, on first use, so the window is usable at once. The
built suggesters are kept between runs (loading a pipeline is slow); the lexicon is rebuilt
when people have marked new spans or the annotator changed, everything when the settings or
the model change. The lexicon learns from the workspace annotator's spans and gold's, and
documents that annotator marked done get no new suggestions unless asked for by name.
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
    annotator: str,
    progress: Progress,
    redo: bool = True,
    include_done: bool = False,
):
    """Worker body: (re)build the suggesters as needed, then suggest for the documents.

    Returns the suggesters used (to keep for the next run) and the runner's report.
    """
    from annotator.nlp.lexicon import LexiconSuggester
    from annotator.nlp.runner import default_suggesters, suggest_documents
    from annotator.nlp.suggesters import LEXICON, kind_of

    with Project(location) as project:
        if suggesters is None or (
            rebuild_lexicon and all(kind_of(s.name) != LEXICON for s in suggesters)
        ):
            suggesters = default_suggesters(project, annotator)
        elif rebuild_lexicon:
            suggesters = [
                LexiconSuggester.from_project(project, annotator)
                if kind_of(s.name) == LEXICON
                else s
                for s in suggesters
            ]
            suggesters = [s for s in suggesters if s.available()]  # a new annotator: no phrases
    report = suggest_documents(
        location,
        document_ids,
        suggesters,
        progress=progress,
        redo=redo,
        annotator=annotator,
        include_done=include_done,
    )
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
        self._lexicon_annotator: str | None = None  # whose spans the kept lexicon learned
        self._pending: tuple[list[int] | None, bool, bool] | None = None
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

    def suggest_document(
        self, document_id: int, *, include_done: bool = False
    ) -> TaskHandle | None:
        """Suggest for one document in the background (queued behind a running task); one the
        annotator marked done only with `include_done` (asked for by name)."""
        return self._request([document_id], redo=True, include_done=include_done)

    def suggest_all(self, *, redo: bool = False) -> TaskHandle | None:
        """Suggest for every document; without `redo`, documents already done are skipped,
        so a cancelled run resumes where it stopped."""
        return self._request(None, redo=redo, include_done=False)

    def _request(
        self, document_ids: list[int] | None, *, redo: bool, include_done: bool
    ) -> TaskHandle | None:
        if self._workspace.read_only:
            return None
        if self.handle is not None and not self.handle.is_done():
            self._pending = (document_ids, redo, include_done)  # only the latest request waits
            return None
        annotator = self._workspace.annotator
        self.handle = self._runner.submit(
            suggest_task,
            self._workspace.project.location,
            document_ids,
            self._suggesters,
            self._lexicon_stale or annotator != self._lexicon_annotator,
            annotator=annotator,
            redo=redo,
            include_done=include_done,
            title="Suggesting",
        )
        self._lexicon_stale = False
        self._lexicon_annotator = annotator
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
            document_ids, redo, include_done = self._pending
            self._pending = None
            self._request(document_ids, redo=redo, include_done=include_done)

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if changes.spans_added or changes.spans_updated or changes.gold:
            self._lexicon_stale = True  # the lexicon learns the own and the gold layer's phrases
        if changes.labels:
            self.invalidate()
