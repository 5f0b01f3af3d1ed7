"""Layers an export can take: gold, one annotator, all, the majority, or model suggestions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.layer_names import ALL as ALL
from annotator.core.layer_names import GOLD as GOLD
from annotator.core.layer_names import MAJORITY as MAJORITY
from annotator.core.layer_names import SUGGESTIONS as SUGGESTIONS
from annotator.core.layer_names import no_default_layer, no_gold_layer
from annotator.core.layer_relations import majority_relations, suggested_relations
from annotator.core.model import Annotator, Document, Relation, Span, SpanSource, Status
from annotator.core.project import DocumentFilter, Project
from annotator.core.storage import repo

CHUNK = 500
"""Documents read together: each chunk costs the same few statements, whatever its layer."""


@dataclass(frozen=True, slots=True)
class DocumentInLayer:
    """One document of a layer: its text, the layer's spans by position, (single-annotator
    layers) that annotator's status, and the layer's relations between its spans when asked."""

    document: Document
    spans: list[Span]
    status: Status | None
    relations: tuple[Relation, ...] = ()


def default_layer(annotators: Sequence[Annotator]) -> str | None:
    """The layer taken when none is chosen (layer_names.DEFAULT_LAYER): gold if an annotator is
    marked gold, else the only annotator; None when that would mean choosing among several (or
    there is no annotator), so no default can mix annotators. The CLI and the dialogs ask here."""
    if any(a.is_gold for a in annotators):
        return GOLD
    return annotators[0].name if len(annotators) == 1 else None


def layer_or_default(
    project: Project, name: str | None, doing: str, others: Sequence[str] = (ALL, MAJORITY)
) -> str:
    """`name`, or when None the default layer; without a default, an error listing the layers
    `doing` ("export", "train") may choose: each annotator, then `others`."""
    if name is not None:
        return name
    annotators = project.annotators()
    chosen = default_layer(annotators)
    if chosen is None:
        raise AnnotatorError(no_default_layer(doing, [a.name for a in annotators], [*others]))
    return chosen


class Layer:
    """A named layer resolved against a project: which spans and which statuses it exports."""

    def __init__(self, project: Project, name: str) -> None:
        self.project = project
        self.name = name
        chosen = self._annotator_of(name)
        self.annotator = chosen.name if chosen else None
        self._annotator_id = chosen.id if chosen else None

    def _annotator_of(self, name: str) -> Annotator | None:
        """The single annotator a layer stands for (None for all, majority, suggestions)."""
        if name in (ALL, MAJORITY, SUGGESTIONS):
            return None
        names = {a.name: a for a in self.project.annotators()}
        if name == GOLD:
            gold = [a for a in names.values() if a.is_gold]
            if not gold:
                raise NotFoundError(no_gold_layer("export"))
            return gold[0]
        if name not in names:
            known = ", ".join(sorted(names)) or "none yet"
            raise NotFoundError(f"no annotator named {name!r} (annotators: {known})")
        return names[name]

    def done_filter(self) -> DocumentFilter:
        """Documents this layer counts as finished."""
        return DocumentFilter(annotator=self.annotator, status=Status.DONE)

    def read(
        self, document_ids: Sequence[int], *, relations: bool = False
    ) -> Iterator[DocumentInLayer]:
        """The documents with these ids (missing ones left out) with the layer's spans and
        status, CHUNK documents at a time, each chunk in id order and read at one moment in
        at most three statements (documents, spans, statuses): nothing per document. Rows
        come as the driver gives them, not ORM instances, and spans without their timestamps
        (repo.spans_by_document). With `relations`, also the layer's relations (one statement
        more a chunk; the majority's and the suggestions' see `_relations`)."""
        made = relations and self.name in (MAJORITY, SUGGESTIONS)  # from others' relations
        symmetric = self._symmetric_types() if made else frozenset()
        for start in range(0, len(document_ids), CHUNK):
            chunk = document_ids[start : start + CHUNK]
            with self.project.snapshot(), _session(self.project) as s:
                documents = repo.documents_with_ids(s, chunk)
                spans = self._spans(s, chunk)
                statuses = self._statuses(s, chunk)
                links = self._relations(s, chunk, spans, symmetric) if relations else {}
            for doc in documents:
                found = tuple(links.get(doc.id, ()))
                yield DocumentInLayer(doc, spans[doc.id], statuses.get(doc.id), found)

    def has_relations(self) -> bool:
        """Whether the layer may hold relations (the project's of its annotator, of any for
        the layers of several, pending relation suggestions for the suggestions): one
        statement, for an export choosing its shape."""
        if self.name == SUGGESTIONS:
            return self.project.has_pending_relation_suggestions()
        return self.project.has_relations(self.annotator)

    def _symmetric_types(self) -> frozenset[str]:
        return frozenset(kind.name for kind in self.project.relation_types() if not kind.directed)

    def _relations(
        self,
        s: Session,
        chunk: Sequence[int],
        spans: dict[int, list[Span]],
        symmetric: frozenset[str],
    ) -> dict[int, list[Relation]]:
        """The layer's relations in a chunk, by document. The majority's: those more than half
        of the voters have (every annotator's spans read once more). The suggestions': the
        pending relation suggestions, whose linked spans the layer lacks are added to `spans`
        (by position; read once more when the chunk has any)."""
        if self.name == SUGGESTIONS:
            pending = self.project.pending_relation_suggestions_of_documents(chunk)
            if not any(pending.values()):
                return {}
            every = repo.spans_by_document(s, chunk)
            found = {}
            for doc_id, suggestions in pending.items():
                linked = {span.id: span for span in every[doc_id]}
                added, found[doc_id] = suggested_relations(
                    suggestions, linked, spans[doc_id], symmetric
                )
                spans[doc_id] = sorted([*spans[doc_id], *added], key=_place)
            return found
        stored = self.project.relations_of_documents(chunk)
        if self.name == MAJORITY:
            every = repo.spans_by_document(s, chunk)
            states = repo.states_by_document(s, chunk)
            return {
                doc_id: majority_relations(
                    stored[doc_id],
                    every[doc_id],
                    spans[doc_id],
                    _voters(every[doc_id], states[doc_id]),
                    symmetric,
                )
                for doc_id in chunk
                if stored.get(doc_id)
            }
        if self.annotator is None:
            return stored
        return {
            doc_id: [r for r in found if r.annotator == self.annotator]
            for doc_id, found in stored.items()
        }

    def spans(self, document_id: int) -> list[Span]:
        """The layer's spans in one document, by position."""
        return self.spans_of_documents([document_id])[document_id]

    def spans_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Span]]:
        """The layer's spans in several documents, by document: a few statements per CHUNK."""
        found: dict[int, list[Span]] = {}
        for start in range(0, len(document_ids), CHUNK):
            with self.project.snapshot(), _session(self.project) as s:
                found.update(self._spans(s, document_ids[start : start + CHUNK]))
        return found

    def _spans(self, s: Session, chunk: Sequence[int]) -> dict[int, list[Span]]:
        """The layer's spans in a chunk of documents: one statement, two for the majority."""
        if self.name == SUGGESTIONS:
            found = self.project.suggestions_of_documents(chunk)
            return {
                doc_id: [
                    Span(x.id, doc_id, x.model, x.label, x.start, x.end, SpanSource.SUGGESTION)
                    for x in suggestions
                ]
                for doc_id, suggestions in found.items()
            }
        every = repo.spans_by_document(s, chunk, self._annotator_id)
        if self.name != MAJORITY:
            return every
        states = repo.states_by_document(s, chunk)
        return {
            doc_id: _majority(spans, _voters(spans, states[doc_id]))
            for doc_id, spans in every.items()
        }

    def _statuses(self, s: Session, chunk: Sequence[int]) -> dict[int, Status]:
        """The layer annotator's status of each document in a chunk (todo when never touched):
        one statement; none for the layers of many annotators."""
        if self.annotator is None:
            return {}
        states = repo.states_by_document(s, chunk, self._annotator_id)
        return {doc_id: found.get(self.annotator, Status.TODO) for doc_id, found in states.items()}


def _session(project: Project) -> AbstractContextManager[Session]:
    """The project's read session: inside `project.snapshot()`, that snapshot's."""
    return project.store.read()


def _voters(spans: Sequence[Span], states: Iterable[str]) -> int:
    """How many annotators vote on a document: those with a span or a status in it."""
    return len({span.annotator for span in spans} | set(states))


def _place(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.label


def _majority(spans: list[Span], voters: int) -> list[Span]:
    """Spans (label and exact offsets) marked by more than half of the voters."""
    marked = {(s.annotator, s.label, s.start, s.end) for s in spans}
    votes = Counter((label, start, end) for _, label, start, end in marked)
    kept: dict[tuple[str, int, int], Span] = {}
    for span in spans:
        key = (span.label, span.start, span.end)
        if votes[key] * 2 > voters and key not in kept:
            kept[key] = replace(span, annotator=MAJORITY)
    return list(kept.values())
