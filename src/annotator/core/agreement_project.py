"""Agreement read from a project: choose annotators, find the documents they all finished."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.core.agreement import AgreementReport, DocumentLayers, compute_agreement
from annotator.core.agreement_spans import Key
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.layers import CHUNK
from annotator.core.model import Status
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import DocumentFilter, Project
from annotator.core.relation_keys import RelationKey, relation_key
from annotator.core.storage import relation_rows, repo
from annotator.core.storage.orm import RelationRow


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
    shared: set[int] | None = None
    for name in annotators:
        done = set(project.document_ids(DocumentFilter(annotator=name, status=Status.DONE)))
        shared = done if shared is None else shared & done
    return sorted(shared or ())


def iter_layers(
    project: Project, document_ids: Sequence[int], annotators: Sequence[str]
) -> Iterator[DocumentLayers]:
    """Each document's text and the chosen annotators' spans and relations, read CHUNK
    documents at a time as plain rows (three statements a chunk, each chunk at one moment)."""
    directed = {t.name: t.directed for t in project.relation_types()}
    names = {annotator.id: annotator.name for annotator in project.annotators()}
    for start in range(0, len(document_ids), CHUNK):
        chunk = document_ids[start : start + CHUNK]
        with project.snapshot(), project.store.read() as s:
            documents = repo.document_texts(s, chunk)
            keys = repo.span_keys_by_document(s, chunk, annotators)
            relations = relation_rows.relation_keys(s, RelationRow.document_id.in_(chunk))
        links_by_document: dict[int, list[tuple[str, RelationKey]]] = {}
        for (
            doc_id,
            annotator_id,
            kind,
            h_label,
            h_start,
            h_end,
            t_label,
            t_start,
            t_end,
        ) in relations:
            head, tail = (h_label, h_start, h_end), (t_label, t_start, t_end)
            key = relation_key(kind, head, tail, directed=directed.get(kind, True))
            links_by_document.setdefault(doc_id, []).append((names[annotator_id], key))
        for doc_id, title, text in documents:
            layers: dict[str, list[Key]] = {name: [] for name in annotators}
            for annotator, label, begin, end in keys[doc_id]:
                layers[annotator].append((label, begin, end))
            links: dict[str, list[RelationKey]] = {name: [] for name in annotators}
            for annotator, key in links_by_document.get(doc_id, ()):
                if annotator in links:
                    links[annotator].append(key)
            yield DocumentLayers(doc_id, title, text, layers, links)


def project_agreement(
    project: Project, annotators: Sequence[str] | None = None, *, progress: Progress | None = None
) -> AgreementReport:
    """Agreement of the chosen annotators (default: all but gold) on their shared done
    documents, all read at one moment (one read transaction)."""
    with project.snapshot():
        names = choose_annotators(project, annotators)
        ids = shared_documents(project, names)
        layers = iter_layers(project, ids, names)
        return compute_agreement(layers, names, progress or NullProgress(), len(ids))


def agreement_task(
    location: str, annotators: Sequence[str] | None = None, *, progress: Progress
) -> AgreementReport:
    """Task body for a worker: open the project at `location` and compute its agreement."""
    with Project(location) as project:
        return project_agreement(project, annotators, progress=progress)
