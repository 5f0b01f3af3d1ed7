"""Batch pre-annotation: run the suggesters over documents and store what they propose."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.calibration import Calibration
from annotator.core.errors import AnnotatorError, Cancelled, NotFoundError
from annotator.core.lexicon_names import is_foreign
from annotator.core.model import Status
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

    Each suggester's results are stored per document with store_suggestions(doc, name, items).
    A document that already holds pending suggestions of a suggester is skipped for it unless
    `redo`, so a cancelled run resumes where it stopped. Within a document the first suggester
    (in order) wins an identical label+offsets, and with `skip_annotated` nothing is proposed
    that a person already marked. Documents `annotator` marked done get no new suggestions
    unless `include_done`; without `suggesters` the lexicon learns from `annotator`'s spans.
    A suggestion whose precision is reliably below the project's minimum is not stored
    (`calibration`, by default the project's now: nlp.calibration).
    """
    from annotator.core.project import DocumentFilter, Project

    progress = progress or NullProgress()
    with Project(location) as project:
        chosen = _chosen(project, suggesters, annotator)
        calibration = calibration or project_calibration(project)
        where = (
            DocumentFilter() if document_ids is None else DocumentFilter(ids=tuple(document_ids))
        )
        total = project.count_documents(where)
        if document_ids is not None and total < len(set(document_ids)):
            missing = sorted(set(document_ids) - {d.id for d in project.documents(where)})
            raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
        report = SuggestReport(total=total, suggesters=[s.name for s in chosen])
        done_before = {s.name: _earlier_runs(project, s) for s in chosen}
        marked_done = (
            set()
            if annotator is None or include_done
            else set(project.document_ids(DocumentFilter(annotator, Status.DONE)))
        )
        progress.report(0, total)
        try:
            for batch in chunked(project.iter_documents(where), batch_size):
                if progress.cancelled():
                    raise Cancelled("cancelled by the user")
                todo = [d for d in batch if d.id not in marked_done]
                report.done_skipped += len(batch) - len(todo)
                _run_batch(
                    project,
                    todo,
                    annotator,
                    chosen,
                    calibration,
                    done_before,
                    redo,
                    skip_annotated,
                    report,
                    CancelOnlyProgress(progress),
                )
                report.documents += len(batch)
                progress.report(report.documents, total)
        except Cancelled:
            report.cancelled = True
        return report


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


def _run_batch(
    project: Any,
    batch: list,
    annotator: str | None,
    suggesters: list[Suggester],
    calibration: Calibration,
    done_before: dict[str, EarlierRuns],
    redo: bool,
    skip_annotated: bool,
    report: SuggestReport,
    progress: Progress,
) -> None:
    """Suggest for one batch of documents and store, suggester by suggester (what the
    calibration hides neither stored nor blocking a later suggester)."""
    ids = [document.id for document in batch]
    keys = project.taken_keys(ids)
    # marked by people (skip_annotated), or proposed by another suggester / earlier in this run
    taken = {i: {k[:3] for k in keys[i] if k[3] == ""} if skip_annotated else set() for i in ids}
    # another annotator's private lexicon's suggestions are not shown here: they block nothing
    others = {i: [k for k in keys[i] if k[3] and not is_foreign(k[3], annotator)] for i in ids}
    for position, suggester in enumerate(suggesters, 1):
        runs = done_before[suggester.name]
        todo = [d for d in batch if redo or d.id not in runs.current]
        if not redo:
            report.outdated[suggester.name] += sum(d.id in runs.outdated for d in todo)
        report.skipped[suggester.name] += len(batch) - len(todo)
        if not todo:
            continue
        results = suggester.suggest([d.text for d in todo], progress)
        more_to_come = position < len(suggesters)
        kind = kind_of(suggester.name)
        kept: dict[int, list[Any]] = {}
        for document, items in zip(todo, results, strict=True):
            text = document.text
            shown = [
                i
                for i in items
                if calibration.shown_in(kind, i.label, i.score, text, i.start, i.end)
            ]
            report.hidden[suggester.name] += len(items) - len(shown)
            items = shown
            blocked = taken[document.id] | {
                key[:3] for key in others[document.id] if key[3] != suggester.name
            }
            if blocked:
                items = [i for i in items if (i.label, i.start, i.end) not in blocked]
            if more_to_come:
                taken[document.id].update((i.label, i.start, i.end) for i in items)
            kept[document.id] = items
            report.stored[suggester.name] += len(items)
        project.store_suggestion_batch(suggester.name, kept, suggester.version)
