"""The project's compare-and-set writes for undo and redo (core.commands).

An undo or redo changes only what its command changed, and only while the row still holds
what the command (or its undo) left there: each method checks that and writes in one
transaction, or raises ConflictError naming what another writer (a server reviewer, a CLI
merge, a second window) changed, ending in "; nothing was changed". A checked span, relation,
status or suggestion-decision row is locked until the write (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the transaction's writer lock, taken at BEGIN IMMEDIATE, already keeps everyone else out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.model import Changes, Relation, Span, Status, SuggestionStatus
from annotator.core.project.part import Part
from annotator.core.project.relations import RELATION_FIELDS, Relations
from annotator.core.project.rules import changed_since, removed_since
from annotator.core.project.spans import Spans, span_values
from annotator.core.project.statuses import Statuses
from annotator.core.project.store import Store
from annotator.core.project.suggestions import Suggestions
from annotator.core.storage import repo
from annotator.core.storage.orm import SuggestionDecisionRow, SuggestionRow


class Undo(Part):
    """Undo and redo writes: each checks the row still holds what the command left there,
    then writes through the spans, statuses or suggestions part, in one transaction."""

    def __init__(
        self,
        store: Store,
        spans: Spans,
        statuses: Statuses,
        suggestions: Suggestions,
        relations: Relations,
    ) -> None:
        super().__init__(store)
        self._spans = spans
        self._relations = relations
        self._statuses = statuses
        self._suggestions = suggestions

    def replace_span_values(
        self, span_id: int, was: Mapping[str, Any], now: Mapping[str, Any]
    ) -> Changes:
        """Set some of a span's label, start, end and note from `was` to `now`."""
        return self._spans.update_span(span_id, **now, expected=was)

    def remove_unchanged_span(self, span: Span, *, with_relations: bool = False) -> Changes:
        """Delete the span if it still has the values of `span` (undo of an add); refused if
        relations link it now (another writer's: one's own later ones are undone first),
        unless `with_relations` (redo of a removal, which removes them with it)."""
        with self.transaction():
            changes = self._spans.remove_span(span.id, expected=span_values(span))
            if changes.relations_before and not with_relations:
                raise changed_since("the span's relations")
            return changes

    def restore_removed_spans(self, spans: Sequence[Span]) -> Changes:
        """Put removed spans back with their ids, unless a document or label of theirs is gone
        or the layer has an equal span again (undo of a removal)."""
        return self._spans.restore_spans(spans)

    def restore_removed_spans_with_relations(
        self, spans: Sequence[Span], relations: Sequence[Relation]
    ) -> Changes:
        """Put removed spans back, then the relations their removal took (undo of a span
        removal), in one transaction."""
        with self.transaction():
            return self._spans.restore_spans(spans) | self._relations.restore_relations(relations)

    def remove_unchanged_relation(self, relation: Relation) -> Changes:
        """Delete the relation if it still has the values of `relation` (undo of an add)."""
        expected = {key: getattr(relation, key) for key in RELATION_FIELDS}
        return self._relations.remove_relation(relation.id, expected=expected)

    def restore_removed_relations(self, relations: Sequence[Relation]) -> Changes:
        """Put removed relations back with their ids, unless a span or type of theirs is gone
        or the relation is there again (undo of a removal)."""
        return self._relations.restore_relations(relations)

    def replace_status(self, document_id: int, annotator: str, was: Status, now: Status) -> Changes:
        """Set the annotator's status of the document from `was` to `now` (no row: todo)."""
        return self._statuses.set_status(document_id, annotator, now, expected=was)

    def replace_suggestion_status(
        self, suggestion_id: int, annotator: str, was: SuggestionStatus, now: SuggestionStatus
    ) -> Changes:
        """Set the annotator's decision on a suggestion from `was` to `now` (none: pending).
        Their decision row, when there is one, is locked (annotators may not lock the shared
        suggestion row itself under docs/server-roles.sql)."""
        with self.transaction():
            with self._write() as s:
                if s.get(SuggestionRow, suggestion_id) is None:
                    raise removed_since("the suggestion")
                current = _own_decision(s, suggestion_id, annotator)
            if SuggestionStatus(current or SuggestionStatus.PENDING) != was:
                raise changed_since(f"{annotator}'s decision on the suggestion")
            return self._suggestions.set_suggestion_status(suggestion_id, now, annotator)


def _own_decision(s: Session, suggestion_id: int, annotator: str) -> str | None:
    """The annotator's decision on the suggestion, None without a row; the row is locked
    until the write."""
    return s.scalar(
        select(SuggestionDecisionRow.status)
        .where(
            SuggestionDecisionRow.suggestion_id == suggestion_id,
            SuggestionDecisionRow.annotator_id == repo.annotator_id(s, annotator, create=False),
        )
        .with_for_update()
    )
