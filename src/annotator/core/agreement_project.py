"""Agreement read from a project: choose annotators, find the documents they all finished."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.core.agreement import AgreementReport, DocumentLayers, compute_agreement
from annotator.core.agreement_spans import Key
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.layers import ALL, CHUNK, Layer
from annotator.core.model import Status
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import DocumentFilter, Project
from annotator.core.relation_keys import RelationKey, relation_key


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
    """Each document's text and the chosen annotators' spans and relations, read a chunk at a
    time (core.layers: a few statements per chunk, and one for the chunk's relations)."""
    wanted = set(annotators)
    directed = {t.name: t.directed for t in project.relation_types()}
    for first in range(0, len(document_ids), CHUNK):
        chunk = document_ids[first : first + CHUNK]
        relations = project.relations_of_documents(chunk)
        for read in Layer(project, ALL).read(chunk):
            layers: dict[str, list[Key]] = {name: [] for name in annotators}
            ends: dict[int, Key] = {}
            for s in read.spans:
                if s.annotator in wanted:
                    layers[s.annotator].append((s.label, s.start, s.end))
                    ends[s.id] = (s.label, s.start, s.end)
            links: dict[str, list[RelationKey]] = {name: [] for name in annotators}
            for r in relations.get(read.document.id, ()):
                if r.annotator in wanted:
                    is_directed = directed.get(r.type, True)
                    key = relation_key(r.type, ends[r.head], ends[r.tail], directed=is_directed)
                    links[r.annotator].append(key)
            doc = read.document
            yield DocumentLayers(doc.id, doc.title, doc.text, layers, links)


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
