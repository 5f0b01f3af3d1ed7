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
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class SuggestRequest:
    """One request for suggestions: some documents (None: every document) and its options."""

    document_ids: tuple[int, ...] | None
    redo: bool
    include_done: bool  # asked for by name: a document marked done gets suggestions too

    @property
    def waiting_key(self) -> object:
        """Requests with the same key share one place in the queue; the newer one wins.

        Every-document runs share one place, so do the automatic requests for the open
        document (only the one in view matters); a document asked for by name keeps its own.
        """
        if self.document_ids is None:
            return "every document"
        return self.document_ids if self.include_done else "open document"


class SuggestionService(QObject):
    """Runs suggestion tasks one at a time and announces the documents they changed.

    A request made while a task runs waits for it and is never dropped: it is only merged
    with a waiting request of the same kind (`SuggestRequest.waiting_key`).
    """

    suggested = Signal(object)  # the runner's report
    failed = Signal(str)
    all_started = Signal(object)  # the TaskHandle of an every-document run, as it starts

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = TaskRunner(self, max_threads=1)
        self._suggesters: list | None = None
        self._lexicon_stale = False
        self._lexicon_annotator: str | None = None  # whose spans the kept lexicon learned
        self._waiting: dict[object, SuggestRequest] = {}  # in the order they were made
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
        return self._request(SuggestRequest((document_id,), True, include_done))

    def suggest_all(self, *, redo: bool = False) -> TaskHandle | None:
        """Suggest for every document; without `redo`, documents already done are skipped,
        so a cancelled run resumes where it stopped. `all_started` carries the run's handle
        when it starts: at once, or when the running task ends (then this returns None)."""
        return self._request(SuggestRequest(None, redo, False))

    def is_busy(self) -> bool:
        """Whether a suggestion task is running (a new request then waits for it)."""
        return self.handle is not None and not self.handle.is_done()

    def _request(self, request: SuggestRequest) -> TaskHandle | None:
        if self._workspace.read_only:
            return None
        if self.is_busy():
            self._wait(request)
            return None
        annotator = self._workspace.annotator
        self.handle = self._runner.submit(
            suggest_task,
            self._workspace.project.location,
            None if request.document_ids is None else list(request.document_ids),
            self._suggesters,
            self._lexicon_stale or annotator != self._lexicon_annotator,
            annotator=annotator,
            redo=request.redo,
            include_done=request.include_done,
            title="Suggesting",
        )
        self._lexicon_stale = False
        self._lexicon_annotator = annotator
        self._submitted_generation = self._generation
        self.handle.succeeded.connect(self._on_task_succeeded)
        self.handle.failed.connect(self._on_task_failed)
        self.handle.finished.connect(self._on_task_finished)
        if request.document_ids is None:
            self.all_started.emit(self.handle)
        return self.handle

    def _wait(self, request: SuggestRequest) -> None:
        earlier = self._waiting.pop(request.waiting_key, None)  # the newer one queues last
        if earlier is not None and earlier.document_ids == request.document_ids:
            request = replace(request, redo=request.redo or earlier.redo)
        self._waiting[request.waiting_key] = request

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
        if self._waiting:
            self._request(self._waiting.pop(next(iter(self._waiting))))

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if changes.spans_added or changes.spans_updated or changes.gold:
            self._lexicon_stale = True  # the lexicon learns the own and the gold layer's phrases
        if changes.labels:
            self.invalidate()
