"""Batch pre-annotation: run the suggesters over documents and store what they propose."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.calibration import Calibration
from annotator.core.collector import collector_paused
from annotator.core.errors import AnnotatorError, Cancelled, NotFoundError
from annotator.core.lexicon_names import is_foreign
from annotator.core.model import NewSuggestion, Status
from annotator.core.progress import NullProgress, Progress
from annotator.nlp.calibration import project_calibration
from annotator.nlp.lexicon import LexiconSuggester
from annotator.nlp.pretrained import PipelineSuggester
from annotator.nlp.projectmodel import ProjectModelSuggester
from annotator.nlp.streaming import BATCH_SIZE, CancelOnlyProgress, chunked
from annotator.nlp.suggesters import DEFAULT_ORDER, ORDER_SETTING, Suggester, kind_of, ordered


@dataclass(slots=True)
class SuggestReport:
    """What a batch run did: documents done, suggestions stored and documents skipped, per
    suggester, and `outdated`: documents it had run over at an older version (a lexicon changed
    since), suggested again; `done_skipped`: documents left alone because the annotator marked
    them done; `cancelled` when stopped early (what was stored stays: run again to resume)."""

    documents: int = 0
    total: int = 0
    done_skipped: int = 0
    stored: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    outdated: Counter = field(default_factory=Counter)
    hidden: Counter = field(default_factory=Counter)
    suggesters: list[str] = field(default_factory=list)
    cancelled: bool = False


def suggester_order(project: Any) -> list[str]:
    """The configured order of suggester kinds (first wins on identical suggestions)."""
    return list(project.get_setting(ORDER_SETTING, list(DEFAULT_ORDER)) or DEFAULT_ORDER)


def all_suggesters(project: Any, annotator: str | None = None) -> list[Suggester]:
    """One suggester of each kind, configured from the project, in the configured order; the
    lexicon learns from `annotator`'s and gold's spans (everyone's when None)."""
    every = [
        LexiconSuggester.from_project(project, annotator),
        ProjectModelSuggester.from_project(project),
        PipelineSuggester.from_project(project),
    ]
    return ordered(every, suggester_order(project))


def default_suggesters(project: Any, annotator: str | None = None) -> list[Suggester]:
    """The available suggesters, in the configured order (see `all_suggesters`)."""
    return [s for s in all_suggesters(project, annotator) if s.available()]


def available_suggesters_report(project: Any) -> list[tuple[str, bool, str]]:
    """(name, available, reason/hint) for every suggester kind, in the configured order."""
    return [(s.name, s.available(), s.unavailable_reason()) for s in all_suggesters(project)]


def suggest_documents(
    location: str | Path,
    document_ids: Sequence[int] | None = None,
    suggesters: Sequence[Suggester] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    redo: bool = False,
    skip_annotated: bool = True,
    annotator: str | None = None,
    include_done: bool = False,
    progress: Progress | None = None,
    calibration: Calibration | None = None,
) -> SuggestReport:
    """Suggest for the documents (None: all) batch by batch in a project opened here.

    Each suggester's results are stored per document with store_suggestion_batch, a group of
    documents (STORE_DOCUMENTS, or fewer holding STORE_CHARACTERS of text) in one transaction;
    a cancel stops after the current batch and stores what was suggested so far. A document
    that already holds pending suggestions of a suggester is skipped for it unless `redo`, so a
    cancelled run resumes where it stopped. Within a document the first suggester (in order)
    wins an identical label+offsets, and with `skip_annotated` nothing is proposed that a
    person already marked. Documents `annotator` marked done get no new suggestions unless
    `include_done`; without `suggesters` the lexicon learns from `annotator`'s spans.
    A suggestion whose precision is reliably below the project's minimum is not stored
    (`calibration`, by default the project's now: nlp.calibration).
    """
    from annotator.core.project import DocumentFilter, Project

    progress = progress or NullProgress()
    with Project(location) as project:
        chosen = _chosen(project, suggesters, annotator)
        where = (
            DocumentFilter() if document_ids is None else DocumentFilter(ids=tuple(document_ids))
        )
        total = project.count_documents(where)
        if document_ids is not None and total < len(set(document_ids)):
            missing = sorted(set(document_ids) - {d.id for d in project.documents(where)})
            raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
        writer = ThreadPoolExecutor(1, thread_name_prefix="suggestion-store")
        run = _Run(
            project,
            chosen,
            annotator,
            calibration or project_calibration(project),
            done_before={s.name: _earlier_runs(project, s) for s in chosen},
            marked_done=(
                set()
                if annotator is None or include_done
                else set(project.document_ids(DocumentFilter(annotator, Status.DONE)))
            ),
            redo=redo,
            skip_annotated=skip_annotated,
            report=SuggestReport(total=total, suggesters=[s.name for s in chosen]),
            writer=writer,
        )
        progress.report(0, total)
        with writer:  # on the way out, waits for what it is storing
            try:
                with collector_paused():
                    for group in _store_groups(project.iter_texts(where)):
                        run.group(group, batch_size, progress)
            except Cancelled:
                run.report.cancelled = True
            run.wait_stored()
        return run.report


STORE_DOCUMENTS = 512
"""Documents whose suggestions are stored in one transaction (one commit: fewer, bigger
transactions cost less, and each still holds the write lock only for a moment)."""
STORE_CHARACTERS = 2_000_000
"""At most this much text (code points) per stored group, so long documents' suggestions are
not held by the thousand."""

Text = tuple[int, str]
"""A document's id and text."""


def _store_groups(texts: Iterable[Text]) -> Iterator[list[Text]]:
    """Consecutive groups of at most STORE_DOCUMENTS documents and STORE_CHARACTERS of text
    (a longer document alone)."""
    group: list[Text] = []
    size = 0
    for item in texts:
        if group and (len(group) == STORE_DOCUMENTS or size + len(item[1]) > STORE_CHARACTERS):
            yield group
            group, size = [], 0
        group.append(item)
        size += len(item[1])
    if group:
        yield group


@dataclass
class EarlierRuns:
    """The documents a suggester was run over before: at its current version (done), and at
    another one (a lexicon whose phrases changed since: out of date, to do again)."""

    current: set[int]
    outdated: set[int]


def _earlier_runs(project: Any, suggester: Suggester) -> EarlierRuns:
    """Which documents the suggester went through before, and at which version ("" for a
    suggester without versions: any run is current)."""
    ran = project.documents_with_suggestions(suggester.name)
    if not suggester.version:
        return EarlierRuns(ran, set())
    current = project.documents_with_suggestions(suggester.name, suggester.version)
    return EarlierRuns(current, ran - current)


def _chosen(
    project: Any, suggesters: Sequence[Suggester] | None, annotator: str | None
) -> list[Suggester]:
    """The given suggesters (each must be available) or the available defaults."""
    if suggesters is None:
        chosen = default_suggesters(project, annotator)
        if not chosen:
            reasons = "; ".join(
                f"{name}: {why}" for name, _, why in available_suggesters_report(project)
            )
            raise AnnotatorError(f"no suggester is available ({reasons})")
        return chosen
    for suggester in suggesters:
        if not suggester.available():
            raise AnnotatorError(f"{suggester.name}: {suggester.unavailable_reason()}")
    return list(suggesters)


@dataclass
class _Run:
    """One suggestion run's settings and report; suggests for groups of documents."""

    project: Any
    suggesters: list[Suggester]
    annotator: str | None
    calibration: Calibration
    done_before: dict[str, EarlierRuns]
    marked_done: set[int]
    redo: bool
    skip_annotated: bool
    report: SuggestReport
    writer: ThreadPoolExecutor
    """Stores each group's suggestions (one transaction a group) while the next is matched."""
    _stored: Future[None] | None = None

    def group(self, group: list[Text], batch_size: int, progress: Progress) -> None:
        """Suggest for a group batch by batch (progress and a cancel check per batch), then
        store every suggester's results in one transaction (on a cancel too, then re-raise),
        in the writer thread while the next group is matched (`store_behind`)."""
        keys = self.project.taken_keys([doc_id for doc_id, _ in group])
        kept: dict[str, dict[int, list[NewSuggestion]]] = {s.name: {} for s in self.suggesters}
        try:
            for batch in chunked(group, batch_size):
                if progress.cancelled():
                    raise Cancelled("cancelled by the user")
                todo = [(i, text) for i, text in batch if i not in self.marked_done]
                self.report.done_skipped += len(batch) - len(todo)
                self._batch(todo, keys, kept, CancelOnlyProgress(progress))
                self.report.documents += len(batch)
                progress.report(self.report.documents, self.report.total)
        except Cancelled:
            self.store_behind(kept, group)
            raise
        self.store_behind(kept, group)

    def store_behind(
        self, kept: dict[str, dict[int, list[NewSuggestion]]], group: list[Text]
    ) -> None:
        """Store a group's suggestions in the writer thread once the previous group's are
        stored (a failure there is raised here). SQLite writes with Python's lock released, so
        the next group's matching goes on beside it; at most one group waits."""
        self.wait_stored()
        lengths = {doc_id: len(text) for doc_id, text in group}
        self._stored = self.writer.submit(self._store, kept, lengths)

    def wait_stored(self) -> None:
        """Wait until the group handed to the writer is stored (raising what failed there)."""
        stored, self._stored = self._stored, None
        if stored is not None:
            stored.result()

    def _batch(
        self,
        batch: list[Text],
        keys: dict[int, set[tuple[str, int, int, str]]],
        kept: dict[str, dict[int, list[NewSuggestion]]],
        progress: Progress,
    ) -> None:
        """Suggest for one batch, suggester by suggester, into `kept` (by suggester, then
        document): what no person marked (`skip_annotated`) and no earlier suggester proposed,
        and the calibration shows (what it hides neither stored nor blocking a later one)."""
        # marked by people (skip_annotated), or proposed by another suggester / earlier here
        taken = {
            i: {k[:3] for k in keys[i] if k[3] == ""} if self.skip_annotated else set()
            for i, _ in batch
        }
        # another annotator's private lexicon's suggestions are not shown here: they block nothing
        others = {
            i: [k for k in keys[i] if k[3] and not is_foreign(k[3], self.annotator)]
            for i, _ in batch
        }
        for position, suggester in enumerate(self.suggesters, 1):
            runs = self.done_before[suggester.name]
            todo = [d for d in batch if self.redo or d[0] not in runs.current]
            if not self.redo:
                self.report.outdated[suggester.name] += sum(d[0] in runs.outdated for d in todo)
            self.report.skipped[suggester.name] += len(batch) - len(todo)
            if not todo:
                continue
            results = suggester.suggest([text for _, text in todo], progress)
            more_to_come = position < len(self.suggesters)
            kind = kind_of(suggester.name)
            for (doc_id, text), items in zip(todo, results, strict=True):
                shown = self.calibration.shown_among(kind, text, items)
                self.report.hidden[suggester.name] += len(items) - len(shown)
                items = shown
                blocked = taken[doc_id] | {
                    key[:3] for key in others[doc_id] if key[3] != suggester.name
                }
                if blocked:  # a key is built only where a blocked place starts
                    starts = {start for _, start, _ in blocked}
                    items = [
                        i
                        for i in items
                        if i.start not in starts or (i.label, i.start, i.end) not in blocked
                    ]
                if more_to_come:
                    taken[doc_id].update((i.label, i.start, i.end) for i in items)
                kept[suggester.name][doc_id] = items
                self.report.stored[suggester.name] += len(items)

    def _store(
        self, kept: dict[str, dict[int, list[NewSuggestion]]], lengths: dict[int, int]
    ) -> None:
        """Store what each suggester proposed for a group, in one transaction (the texts'
        `lengths` known here: the writer reads no text back, which would take Python's lock
        from the matching once a row)."""
        with self.project.transaction():
            for suggester in self.suggesters:
                if kept[suggester.name]:
                    self.project.store_suggestion_batch(
                        suggester.name, kept[suggester.name], suggester.version, lengths
                    )
