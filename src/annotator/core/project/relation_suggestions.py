"""Proposed relations between two spans of one annotator's layer, and that annotator's decisions
on them: stored per run, accepted into relations or rejected, each one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import Changes, RelationSuggestion, SpanSource, SuggestionStatus
from annotator.core.project.part import Part
from annotator.core.project.relations import Relations
from annotator.core.project.rules import changed_since, removed_since
from annotator.core.project.store import Store
from annotator.core.storage import repo
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    RelationRow,
    RelationSuggestionRow,
    RelationTypeRow,
    utcnow,
)

Proposed = tuple[str, int, int, float]
"""(type name, head span id, tail span id, score) as a relation suggester proposes it."""


@dataclass(frozen=True, slots=True)
class RelationSuggesterQuality:
    """Decisions on one model's relation proposals of one type."""

    model: str
    type: str
    pending: int
    accepted: int
    rejected: int

    @property
    def precision(self) -> float | None:
        """Accepted share of decided proposals (None before any decision)."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


class RelationSuggestions(Part):
    """Reads, runs and decisions of relation suggestions."""

    def __init__(self, store: Store, relations: Relations) -> None:
        super().__init__(store)
        self._relations = relations

    def relation_suggestions(
        self, document_id: int, annotator: str, *, pending_only: bool = True
    ) -> list[RelationSuggestion]:
        """The annotator's relation suggestions in a document (only pending ones by default),
        best score first."""
        with self._read() as s:
            conditions = [
                RelationSuggestionRow.document_id == document_id,
                RelationSuggestionRow.annotator_id == repo.annotator_id_of(annotator),
            ]
            if pending_only:
                conditions.append(RelationSuggestionRow.status == SuggestionStatus.PENDING.value)
            return _suggestions_where(s, *conditions)

    def pending_relation_suggestions_of_documents(
        self, document_ids: Sequence[int]
    ) -> dict[int, list[RelationSuggestion]]:
        """Every annotator's pending relation suggestions in several documents, by document,
        best score first (for the export of the suggestions layer): one statement."""
        found: dict[int, list[RelationSuggestion]] = {doc_id: [] for doc_id in document_ids}
        with self._read() as s:
            for suggestion in _suggestions_where(
                s,
                RelationSuggestionRow.document_id.in_(list(found)),
                RelationSuggestionRow.status == SuggestionStatus.PENDING.value,
            ):
                found[suggestion.document_id].append(suggestion)
        return found

    def has_pending_relation_suggestions(self) -> bool:
        """Whether any annotator has a pending relation suggestion: one statement."""
        query = select(RelationSuggestionRow.id).where(
            RelationSuggestionRow.status == SuggestionStatus.PENDING.value
        )
        with self._read() as s:
            return s.scalar(query.limit(1)) is not None

    def relation_decisions(self, annotator: str) -> dict[int, list[tuple[str, int, int, str]]]:
        """The annotator's decided relation suggestions per document: (type, head, tail,
        status), for learning from them."""
        found: dict[int, list[tuple[str, int, int, str]]] = {}
        with self._read() as s:
            query = (
                select(
                    RelationSuggestionRow.document_id,
                    RelationTypeRow.name,
                    RelationSuggestionRow.head_span_id,
                    RelationSuggestionRow.tail_span_id,
                    RelationSuggestionRow.status,
                )
                .join(RelationTypeRow, RelationSuggestionRow.type_id == RelationTypeRow.id)
                .where(
                    RelationSuggestionRow.annotator_id == repo.annotator_id_of(annotator),
                    RelationSuggestionRow.status != SuggestionStatus.PENDING.value,
                )
            )
            for document_id, kind, head, tail, status in s.execute(query):
                found.setdefault(document_id, []).append((kind, head, tail, status))
        return found

    def store_relation_suggestions(
        self, document_id: int, annotator: str, proposed: Sequence[Proposed], model: str
    ) -> Changes:
        """Replace the annotator's pending suggestions of `model` in a document with
        `proposed`, leaving out pairs already related or decided (one transaction)."""
        annotator = labelrules.normal_name(annotator)
        with self._write() as s:
            annotator_id = repo.annotator_id(s, annotator, create=False)
            if annotator_id is None:
                raise NotFoundError(f"no annotator named {annotator!r}")
            s.execute(
                delete(RelationSuggestionRow).where(
                    RelationSuggestionRow.document_id == document_id,
                    RelationSuggestionRow.annotator_id == annotator_id,
                    RelationSuggestionRow.model == model,
                    RelationSuggestionRow.status == SuggestionStatus.PENDING.value,
                )
            )
            type_ids = {
                name: tid
                for name, tid in s.execute(select(RelationTypeRow.name, RelationTypeRow.id))
            }
            taken = _taken_pairs(s, document_id, annotator_id)
            rows = []
            for kind, head, tail, score in proposed:
                key = (type_ids[kind], head, tail)
                if key not in taken:
                    taken.add(key)
                    rows.append((*key, float(score)))
            insert_rows(
                s.connection(),
                RelationSuggestionRow.__table__,
                ("type_id", "head_span_id", "tail_span_id", "score"),
                rows,
                constants={
                    "document_id": document_id,
                    "annotator_id": annotator_id,
                    "model": model,
                    "status": SuggestionStatus.PENDING.value,
                    "created_at": utcnow(),
                },
            )
        return Changes(
            documents=frozenset({document_id}), relation_suggestions=frozenset({document_id})
        )

    def accept_relation_suggestion(self, suggestion_id: int) -> Changes:
        """Link the suggestion's spans with its type (source 'suggestion') and mark it
        accepted, in one transaction; refused as add_relation refuses (nothing changed)."""
        with self.transaction():
            found = self._pending(suggestion_id)
            changes = self._relations.add_relation(
                found.document_id,
                found.annotator,
                found.type,
                found.head,
                found.tail,
                source=SpanSource.SUGGESTION,
            )
            return changes | self._set_status(found, SuggestionStatus.ACCEPTED)

    def reject_relation_suggestion(self, suggestion_id: int) -> Changes:
        """Mark a pending suggestion rejected: it is not proposed again."""
        with self.transaction():
            return self._set_status(self._pending(suggestion_id), SuggestionStatus.REJECTED)

    def replace_relation_suggestion_status(
        self, suggestion_id: int, was: SuggestionStatus, now: SuggestionStatus
    ) -> Changes:
        """Set a suggestion's decision from `was` to `now`, refused when it is gone or holds
        another decision (compare-and-set, for undo and redo)."""
        with self.transaction():
            with self._read() as s:
                found = _suggestions_where(s, RelationSuggestionRow.id == suggestion_id)
            if not found:
                raise removed_since("the relation suggestion")
            if found[0].status != was:
                raise changed_since("the decision on the relation suggestion")
            return self._set_status(found[0], now)

    def relation_suggester_quality(
        self, annotator: str | None = None
    ) -> list[RelationSuggesterQuality]:
        """Pending, accepted and rejected relation suggestions per model and type, of
        `annotator` (everyone's when None)."""
        with self._read() as s:
            query = (
                select(
                    RelationSuggestionRow.model,
                    RelationTypeRow.name,
                    RelationSuggestionRow.status,
                    func.count(),
                )
                .join(RelationTypeRow, RelationSuggestionRow.type_id == RelationTypeRow.id)
                .group_by(
                    RelationSuggestionRow.model, RelationTypeRow.name, RelationSuggestionRow.status
                )
            )
            if annotator is not None:
                query = query.where(
                    RelationSuggestionRow.annotator_id == repo.annotator_id_of(annotator)
                )
            counts: dict[tuple[str, str], dict[str, int]] = {}
            for model, kind, status, count in s.execute(query):
                counts.setdefault((model, kind), {})[status] = count
        return [
            RelationSuggesterQuality(
                model,
                kind,
                found.get(SuggestionStatus.PENDING.value, 0),
                found.get(SuggestionStatus.ACCEPTED.value, 0),
                found.get(SuggestionStatus.REJECTED.value, 0),
            )
            for (model, kind), found in sorted(counts.items())
        ]

    def _pending(self, suggestion_id: int) -> RelationSuggestion:
        with self._read() as s:
            found = _suggestions_where(s, RelationSuggestionRow.id == suggestion_id)
        if not found:
            raise NotFoundError(f"no relation suggestion with id {suggestion_id}")
        if found[0].status != SuggestionStatus.PENDING:
            raise ConflictError(
                f"the relation suggestion {suggestion_id} is already {found[0].status.value};"
                " nothing was changed"
            )
        return found[0]

    def _set_status(self, found: RelationSuggestion, status: SuggestionStatus) -> Changes:
        with self._write() as s:
            s.execute(
                update(RelationSuggestionRow)
                .where(RelationSuggestionRow.id == found.id)
                .values(status=status.value)
            )
        return Changes(
            documents=frozenset({found.document_id}),
            relation_suggestions=frozenset({found.document_id}),
        )


def _suggestions_where(s: Session, *conditions: ColumnElement[bool]) -> list[RelationSuggestion]:
    query = (
        select(
            RelationSuggestionRow.id,
            RelationSuggestionRow.document_id,
            AnnotatorRow.name,
            RelationTypeRow.name,
            RelationSuggestionRow.head_span_id,
            RelationSuggestionRow.tail_span_id,
            RelationSuggestionRow.score,
            RelationSuggestionRow.model,
            RelationSuggestionRow.status,
        )
        .join(AnnotatorRow, RelationSuggestionRow.annotator_id == AnnotatorRow.id)
        .join(RelationTypeRow, RelationSuggestionRow.type_id == RelationTypeRow.id)
        .where(*conditions)
        .order_by(RelationSuggestionRow.score.desc(), RelationSuggestionRow.id)
    )
    return [
        RelationSuggestion(sid, doc, who, kind, head, tail, score, model, SuggestionStatus(status))
        for sid, doc, who, kind, head, tail, score, model, status in s.execute(query)
    ]


def _taken_pairs(s: Session, document_id: int, annotator_id: int) -> set[tuple[int, int, int]]:
    """(type id, head, tail) of the layer's relations and of every suggestion still stored."""
    taken: set[tuple[int, int, int]] = set()
    for table in (RelationRow, RelationSuggestionRow):
        query = select(table.type_id, table.head_span_id, table.tail_span_id).where(
            table.document_id == document_id, table.annotator_id == annotator_id
        )
        taken.update((kind, head, tail) for kind, head, tail in s.execute(query))
    return taken
