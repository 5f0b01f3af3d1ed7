"""The project's compare-and-set writes for undo and redo (core.commands).

An undo or redo changes only what its command changed, and only while the row still holds
what the command (or its undo) left there: each method checks that and writes in one
transaction, or raises ConflictError naming what another writer (a server reviewer, a CLI
merge, a second window) changed, ending in "; nothing was changed". A checked span, status or
suggestion-decision row is locked until the write (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the transaction's writer lock, taken at BEGIN IMMEDIATE, already keeps everyone else out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from annotator.core.errors import ConflictError
from annotator.core.model import Changes, Span, Status, SuggestionStatus
from annotator.core.project.part import Part
from annotator.core.project.spans import Spans
from annotator.core.project.statuses import Statuses
from annotator.core.project.store import Store
from annotator.core.project.suggestions import Suggestions
from annotator.core.storage import repo
from annotator.core.storage.orm import (
    DocumentRow,
    DocumentStateRow,
    SpanRow,
    SuggestionDecisionRow,
    SuggestionRow,
)

SPAN_FIELDS = ("document_id", "annotator", "label", "start", "end", "note")
"""A span's values as a command leaves them; edits name a few of them (label; start, end)."""


def changed_since(what: str) -> ConflictError:
    """The refusal of an undo or redo whose target another writer changed meanwhile."""
    return ConflictError(f"{what} was changed by someone else since; nothing was changed")


def removed_since(what: str) -> ConflictError:
    """The refusal of an undo or redo whose target another writer removed meanwhile."""
    return ConflictError(f"{what} was removed by someone else since; nothing was changed")


def span_values(span: Span) -> dict[str, Any]:
    """Every field of SPAN_FIELDS of the span."""
    return {key: getattr(span, key) for key in SPAN_FIELDS}


class Undo(Part):
    """Undo and redo writes: each checks the row still holds what the command left there,
    then writes through the spans, statuses or suggestions part, in one transaction."""

    def __init__(
        self, store: Store, spans: Spans, statuses: Statuses, suggestions: Suggestions
    ) -> None:
        super().__init__(store)
        self._spans = spans
        self._statuses = statuses
        self._suggestions = suggestions

    def replace_span_values(
        self, span_id: int, was: Mapping[str, Any], now: Mapping[str, Any]
    ) -> Changes:
        """Set some of a span's label, start, end and note from `was` to `now`."""
        with self.transaction():
            self._require_span(span_id, was)
            return self._spans.update_span(span_id, **now)

    def remove_unchanged_span(self, span: Span) -> Changes:
        """Delete the span if it still has the values of `span` (undo of an add)."""
        with self.transaction():
            self._require_span(span.id, span_values(span))
            return self._spans.remove_span(span.id)

    def restore_removed_spans(self, spans: Sequence[Span]) -> Changes:
        """Put removed spans back with their ids, unless a document or label of theirs is gone
        or the layer has an equal span again (undo of a removal)."""
        with self.transaction():
            with self._write() as s:
                _require_restorable(s, spans)
            return self._spans.restore_spans(spans)

    def replace_status(self, document_id: int, annotator: str, was: Status, now: Status) -> Changes:
        """Set the annotator's status of the document from `was` to `now` (no row: todo)."""
        with self.transaction():
            with self._write() as s:
                _require_document(s, document_id)
                current = _own_status(s, DocumentStateRow.document_id, document_id, annotator)
            if Status(current or Status.TODO) != was:
                raise changed_since(f"{annotator}'s status of document {document_id}")
            return self._statuses.set_status(document_id, annotator, now)

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
                current = _own_status(
                    s, SuggestionDecisionRow.suggestion_id, suggestion_id, annotator
                )
            if SuggestionStatus(current or SuggestionStatus.PENDING) != was:
                raise changed_since(f"{annotator}'s decision on the suggestion")
            return self._suggestions.set_suggestion_status(suggestion_id, now, annotator)

    def _require_span(self, span_id: int, was: Mapping[str, Any]) -> None:
        with self._write() as s:
            found = s.execute(
                repo.span_marks(SpanRow.note)
                .where(SpanRow.id == span_id)
                .with_for_update(of=SpanRow)
            ).one_or_none()
        if found is None:
            raise removed_since("the span")
        current = dict(zip(SPAN_FIELDS, found, strict=True))
        if any(current[key] != value for key, value in was.items()):
            raise changed_since("the span")


def _own_status(s: Session, key_column: Any, key: int, annotator: str) -> str | None:
    """The annotator's status in the table of `key_column` (document states, suggestion
    decisions) for `key`, None without a row; the row is locked until the write."""
    table = key_column.class_
    return s.scalar(
        select(table.status)
        .where(
            key_column == key, table.annotator_id == repo.annotator_id(s, annotator, create=False)
        )
        .with_for_update()
    )


def _require_document(s: Session, document_id: int) -> None:
    if s.scalar(select(DocumentRow.id).where(DocumentRow.id == document_id)) is None:
        raise removed_since(f"document {document_id}")


def _require_restorable(s: Session, spans: Sequence[Span]) -> None:
    labels = repo.label_ids(s)
    for document_id in {span.document_id for span in spans}:
        _require_document(s, document_id)
    for span in spans:
        if span.label not in labels:
            raise removed_since(f"label {span.label!r}")
        annotator_id = repo.annotator_id(s, span.annotator, create=False)
        same = and_(
            SpanRow.document_id == span.document_id,
            SpanRow.annotator_id == annotator_id,
            SpanRow.label_id == labels[span.label],
            SpanRow.start == span.start,
            SpanRow.end == span.end,
        )
        if s.scalar(select(SpanRow.id).where(or_(SpanRow.id == span.id, same)).limit(1)):
            raise ConflictError(
                f"{span.annotator} has {span.label} [{span.start}, {span.end}) again (added by "
                "someone else since); nothing was changed"
            )
