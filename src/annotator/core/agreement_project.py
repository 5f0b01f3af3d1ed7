"""Agreement read from a project: choose annotators, find the documents they all finished."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement import AgreementReport, batch_agreement
from annotator.core.agreement_batch import (
    ANNOTATOR,
    DOCUMENT,
    LABEL,
    DocumentLayers,
    LayerBatch,
    documents_of,
)
from annotator.core.agreement_spans import Key
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.layers import CHUNK
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project
from annotator.core.relation_keys import RelationKey, relation_key
from annotator.core.storage import relation_rows, repo


def choose_annotators(project: Project, names: Sequence[str] | None = None) -> list[str]:
    """The annotators to compare: the named ones (checked), else every non-gold annotator."""
    known = {a.name: a for a in project.annotators()}
    if names is None:
        chosen = [name for name, a in known.items() if not a.is_gold]
    else:
        missing = [name for name in names if name not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none yet"
            raise NotFoundError(f"no annotator named {missing[0]!r} (annotators: {listed})")
        chosen = list(dict.fromkeys(names))
    if len(chosen) < 2:
        raise AnnotatorError(
            f"agreement needs at least two annotators; got {len(chosen)} "
            f"({', '.join(chosen) or 'none'})"
        )
    return chosen


def shared_documents(project: Project, annotators: Sequence[str]) -> list[int]:
    """Ids of the documents every one of `annotators` marked done, in id order."""
    with project.store.read() as s:
        return repo.done_by_all(s, annotators)


def iter_batches(
    project: Project, document_ids: Sequence[int], annotators: Sequence[str]
) -> Iterator[LayerBatch]:
    """The documents' texts and the chosen annotators' spans and relations, CHUNK documents a
    batch, read as plain rows (three statements a batch, each batch at one moment)."""
    directed = {t.name: t.directed for t in project.relation_types()}
    names = {annotator.id: annotator.name for annotator in project.annotators()}
    column = {name: place for place, name in enumerate(annotators)}
    chosen = {annotator_id: column[name] for annotator_id, name in names.items() if name in column}
    labels = sorted((label.name, label.id) for label in project.labels())
    by_id = _lookup(chosen)
    label_code = _lookup({label_id: code for code, (_, label_id) in enumerate(labels)})
    for start in range(0, len(document_ids), CHUNK):
        chunk = document_ids[start : start + CHUNK]
        with project.snapshot(), project.store.read() as s:
            documents = repo.document_texts(s, chunk)
            rows = repo.span_rows(s, chunk, list(chosen))
            relations = relation_rows.document_relation_rows(s, chunk)
        ids = [doc_id for doc_id, _, _ in documents]
        spans = np.array(rows, np.int64).reshape(-1, 5)
        spans[:, DOCUMENT] = np.searchsorted(np.array(ids, np.int64), spans[:, DOCUMENT])
        spans[:, ANNOTATOR] = by_id[spans[:, ANNOTATOR]]
        spans[:, LABEL] = label_code[spans[:, LABEL]]
        links: dict[int, dict[str, list[RelationKey]]] = {}
        place = {doc_id: number for number, doc_id in enumerate(ids)}
        for doc_id, annotator_id, key in _relations(relations, directed):
            if annotator_id in chosen:
                layer = links.setdefault(place[doc_id], {name: [] for name in annotators})
                layer[names[annotator_id]].append(key)
        yield LayerBatch(
            ids,
            [title for _, title, _ in documents],
            [text for _, _, text in documents],
            [name for name, _ in labels],
            spans,
            np.bincount(spans[:, DOCUMENT], minlength=len(ids)).tolist(),
            links,
        )


def _relations(
    rows: Sequence[tuple[Any, ...]], directed: dict[str, bool]
) -> Iterator[tuple[int, int, RelationKey]]:
    """(document id, annotator id, agreement key) of each relation row read."""
    for doc_id, annotator_id, kind, *ends in rows:
        head, tail = cast(Key, tuple(ends[:3])), cast(Key, tuple(ends[3:]))
        key = relation_key(kind, head, tail, directed=directed.get(kind, True))
        yield doc_id, annotator_id, key


def _lookup(numbers: dict[int, int]) -> NDArray[np.int64]:
    """An array that maps each key of `numbers` (ids, never negative) to its number."""
    table = np.zeros(max(numbers, default=0) + 1, np.int64)
    table[list(numbers)] = list(numbers.values())
    return table


def iter_layers(
    project: Project, document_ids: Sequence[int], annotators: Sequence[str]
) -> Iterator[DocumentLayers]:
    """Each document's text and the chosen annotators' spans (by position) and relations, read
    as `iter_batches` reads them."""
    for batch in iter_batches(project, document_ids, annotators):
        yield from documents_of(batch, annotators)


def project_agreement(
    project: Project, annotators: Sequence[str] | None = None, *, progress: Progress | None = None
) -> AgreementReport:
    """Agreement of the chosen annotators (default: all but gold) on their shared done
    documents, all read at one moment (one read transaction)."""
    with project.snapshot():
        names = choose_annotators(project, annotators)
        ids = shared_documents(project, names)
        batches = iter_batches(project, ids, names)
        return batch_agreement(batches, names, progress or NullProgress(), len(ids))


def agreement_task(
    location: str, annotators: Sequence[str] | None = None, *, progress: Progress
) -> AgreementReport:
    """Task body for a worker: open the project at `location` and compute its agreement."""
    with Project(location) as project:
        return project_agreement(project, annotators, progress=progress)
