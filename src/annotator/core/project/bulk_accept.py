"""The project's set operations behind Accept All: accept, unaccept and re-accept thousands of
suggestions as one transaction with a few statements per 500 rows.

Accepting one suggestion at a time re-read the suggestion and the whole layer and flushed per
suggestion: 7,061 suggestions of a 436k-character article took ~14 minutes. Here every read is
one query per chunk and the spans and decisions are one INSERT each (in chunks). Undo and redo
keep the compare-and-set rule of core.project.undo: they refuse, changing nothing, when another
writer changed a span or decision since.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.orm import Session

from annotator.core.model import Changes, Span, SpanSource, SuggestionStatus
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project.part import Part
from annotator.core.project.rules import changed_since, removed_since, writer
from annotator.core.project.spans import SPAN_FIELDS, span_values
from annotator.core.storage import relation_rows, repo, tombstones
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    RelationRow,
    SpanRow,
    SuggestionDecisionRow,
    SuggestionRow,
    utcnow,
)

CHUNK = 500
"""Ids per IN (...) list."""

_DECISION_COLUMNS = ("suggestion_id",)
_SPAN_KEY_COLUMNS = ("document_id", "label_id", "start", "end")


class BulkAccept(Part):
    """Accept All and its undo and redo: set operations over many suggestions at once."""

    def accept_suggestions(
        self, suggestion_ids: Sequence[int], annotator: str, progress: Progress | None = None
    ) -> tuple[Changes, list[Span]]:
        """Accept pending suggestions of `annotator` as their spans (source `suggestion`; a span
        they already have is not added twice) in one transaction; returns the changes and the
        spans added. A suggestion gone or decided by them since: ConflictError."""
        progress = progress or NullProgress()
        ids = list(dict.fromkeys(suggestion_ids))
        with self._write() as s:
            conn = s.connection()
            annotator_id = writer(s, annotator)
            found: list[tuple[int, int, int, int, int]] = []
            for chunk in _chunks(ids):
                check_cancelled(progress)
                found += conn.execute(
                    select(
                        SuggestionRow.id,
                        SuggestionRow.document_id,
                        SuggestionRow.label_id,
                        SuggestionRow.start,
                        SuggestionRow.end,
                    ).where(SuggestionRow.id.in_(chunk))
                ).all()
                progress.report(len(found) // 2, len(ids))
            if len(found) != len(ids):
                raise removed_since(f"{len(ids) - len(found)} of the suggestions")
            if _decided(s, ids, annotator_id):
                raise changed_since(f"{annotator}'s decision on some of the suggestions")
            documents = sorted({row[1] for row in found})
            have = set(
                conn.execute(
                    select(SpanRow.document_id, SpanRow.label_id, SpanRow.start, SpanRow.end).where(
                        SpanRow.document_id.in_(documents), SpanRow.annotator_id == annotator_id
                    )
                ).all()
            )
            wanted = list(dict.fromkeys(row[1:] for row in found if tuple(row[1:]) not in have))
            check_cancelled(progress)
            added = _insert_spans(s, wanted, annotator, annotator_id)
            progress.report(len(ids) * 3 // 4, len(ids))
            check_cancelled(progress)
            _insert_decisions(conn, ids, annotator_id)
            progress.report(len(ids), len(ids))
            check_cancelled(progress)  # the last moment a cancel still stores nothing
        touched = frozenset(documents)
        changes = Changes(
            documents=touched, spans_added=tuple(span.id for span in added), suggestions=touched
        )
        return changes, added

    def unaccept_suggestions(
        self, suggestion_ids: Sequence[int], annotator: str, spans: Sequence[Span]
    ) -> Changes:
        """Undo of `accept_suggestions`: remove the `spans` it added and the annotator's
        decisions, while every one is still as that accept left it (else ConflictError)."""
        with self._write() as s:
            annotator_id = repo.annotator_id(s, annotator, create=False)
            accepted = _decided(s, suggestion_ids, annotator_id, SuggestionStatus.ACCEPTED)
            if len(accepted) != len(set(suggestion_ids)):
                raise changed_since(f"{annotator}'s decision on some of the suggestions")
            _require_unchanged(s, spans)
            span_ids = [span.id for span in spans]
            _require_unlinked(s, span_ids)
            for chunk in _chunks(span_ids):
                buried = tombstones.span_keys(s, SpanRow.id.in_(chunk))
                s.execute(delete(SpanRow).where(SpanRow.id.in_(chunk)))
                tombstones.bury_now(s, buried)
            for chunk in _chunks(list(suggestion_ids)):
                s.execute(
                    delete(SuggestionDecisionRow).where(
                        SuggestionDecisionRow.annotator_id == annotator_id,
                        SuggestionDecisionRow.suggestion_id.in_(chunk),
                    )
                )
            documents = frozenset(span.document_id for span in spans) | frozenset(
                _documents_of_rows(s, suggestion_ids).values()
            )
        return Changes(documents=documents, spans_removed=tuple(span_ids), suggestions=documents)

    def reaccept_suggestions(
        self, suggestion_ids: Sequence[int], annotator: str, spans: Sequence[Span]
    ) -> Changes:
        """Redo of `accept_suggestions`: the same decisions and the very same spans come back,
        while the suggestions are still there and pending for the annotator (else
        ConflictError)."""
        with self._write() as s:
            annotator_id = writer(s, annotator)
            existing = _documents_of_rows(s, suggestion_ids)
            if len(existing) != len(set(suggestion_ids)):
                raise removed_since("some of the suggestions")
            documents = frozenset(existing.values())
            if _decided(s, suggestion_ids, annotator_id):
                raise changed_since(f"{annotator}'s decision on some of the suggestions")
            _insert_decisions(s.connection(), list(dict.fromkeys(suggestion_ids)), annotator_id)
            _restore_spans(s, spans, annotator_id)
        return Changes(
            documents=documents,
            spans_added=tuple(span.id for span in spans),
            suggestions=documents,
        )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for first in range(0, len(ids), CHUNK):
        yield ids[first : first + CHUNK]


def _decided(
    s: Session,
    suggestion_ids: Sequence[int],
    annotator_id: int | None,
    status: SuggestionStatus | None = None,
) -> set[int]:
    """The suggestions the annotator decided (with `status`, or any), locked until the write."""
    if annotator_id is None:
        return set()
    found: set[int] = set()
    ids = list(suggestion_ids)
    for chunk in _chunks(ids):
        query = select(SuggestionDecisionRow.suggestion_id).where(
            SuggestionDecisionRow.annotator_id == annotator_id,
            SuggestionDecisionRow.suggestion_id.in_(chunk),
        )
        if status is not None:
            query = query.where(SuggestionDecisionRow.status == status.value)
        found |= set(s.scalars(query.with_for_update()))
    return found


def _documents_of_rows(s: Session, suggestion_ids: Sequence[int]) -> dict[int, int]:
    """Document id by suggestion id, of the suggestions that still exist."""
    found: dict[int, int] = {}
    ids = list(suggestion_ids)
    for chunk in _chunks(ids):
        query = select(SuggestionRow.id, SuggestionRow.document_id).where(
            SuggestionRow.id.in_(chunk)
        )
        found.update(s.execute(query).all())
    return found


def _insert_spans(
    s: Session, keys: Sequence[tuple[int, int, int, int]], annotator: str, annotator_id: int
) -> list[Span]:
    """Add the annotator's spans with these (document, label id, start, end) keys, from
    suggestions, in multi-row statements; the spans as stored, in the keys' order."""
    if not keys:
        return []
    now = utcnow()
    inserted = insert_rows(
        s.connection(),
        SpanRow.__table__,
        _SPAN_KEY_COLUMNS,
        keys,
        {
            "annotator_id": annotator_id,
            "source": SpanSource.SUGGESTION.value,
            "note": "",
            "created_at": now,
            "updated_at": now,
        },
        returning=("id", *_SPAN_KEY_COLUMNS),
    )
    span_id = {tuple(key): found_id for found_id, *key in inserted}
    label = {label_id: name for name, label_id in repo.label_ids(s).items()}
    spans = [
        Span(
            span_id[key],
            key[0],
            annotator,
            label[key[1]],
            key[2],
            key[3],
            SpanSource.SUGGESTION,
            "",
            now,
            now,
        )
        for key in map(tuple, keys)
    ]
    buried = tombstones.tombstones(s, {key[0] for key in keys})
    back = [(d, annotator_id, label[lab], st, en) for d, lab, st, en in keys]
    tombstones.unbury(s, [key for key in back if key in buried])
    return spans


def _unbury(s: Session, span_ids: Sequence[int]) -> None:
    """Forget the deletions of these spans' keys (they are back)."""
    for chunk in _chunks(span_ids):
        tombstones.unbury(s, tombstones.span_keys(s, SpanRow.id.in_(chunk)))


def _restore_spans(s: Session, spans: Sequence[Span], annotator_id: int) -> None:
    """Put the annotator's removed `spans` back with their ids, unless a label of theirs is gone
    or the layer has one of them (same id or extent) again (locked until the write)."""
    if not spans:
        return
    labels = repo.label_ids(s)
    gone = sorted({span.label for span in spans} - labels.keys())
    if gone:
        raise removed_since(f"label {gone[0]!r}")
    documents = sorted({span.document_id for span in spans})
    keys = {(span.document_id, labels[span.label], span.start, span.end) for span in spans}
    layer = select(SpanRow.document_id, SpanRow.label_id, SpanRow.start, SpanRow.end).where(
        SpanRow.document_id.in_(documents), SpanRow.annotator_id == annotator_id
    )
    ids = [span.id for span in spans]
    taken = any(tuple(key) in keys for key in s.execute(layer.with_for_update()))
    for chunk in _chunks(ids):
        taken = taken or s.scalar(select(SpanRow.id).where(SpanRow.id.in_(chunk)).limit(1))
    if taken:
        raise changed_since("the layer (one of the accepted spans is there again)")
    now = utcnow()
    s.execute(
        insert(SpanRow),
        [
            {
                "id": span.id,
                "document_id": span.document_id,
                "annotator_id": annotator_id,
                "label_id": labels[span.label],
                "start": span.start,
                "end": span.end,
                "source": span.source.value,
                "note": span.note,
                "created_at": span.created_at or now,
                "updated_at": now,
            }
            for span in spans
        ],
    )
    _unbury(s, ids)


def _insert_decisions(conn: Connection, suggestion_ids: Sequence[int], annotator_id: int) -> None:
    insert_rows(
        conn,
        SuggestionDecisionRow.__table__,
        _DECISION_COLUMNS,
        [(suggestion_id,) for suggestion_id in suggestion_ids],
        {
            "annotator_id": annotator_id,
            "status": SuggestionStatus.ACCEPTED.value,
            "decided_at": utcnow(),
        },
    )


def _require_unlinked(s: Session, span_ids: Sequence[int]) -> None:
    """Refuse while relations link any of the spans (another writer's: one's own later
    relations are undone before this undo)."""
    for chunk in _chunks(list(span_ids)):
        if s.scalar(select(RelationRow.id).where(relation_rows.of_spans(chunk)).limit(1)):
            raise changed_since("the relations of the accepted spans")


def _require_unchanged(s: Session, spans: Sequence[Span]) -> None:
    """Every span still exists with the values it was added with (locked until the write)."""
    ids = [span.id for span in spans]
    current: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        query = repo.span_marks(SpanRow.note, SpanRow.id).where(SpanRow.id.in_(chunk))
        for *values, span_id in s.execute(query.with_for_update(of=SpanRow)):
            current[span_id] = dict(zip(SPAN_FIELDS, values, strict=True))
    if len(current) != len(ids):
        raise removed_since(f"{len(ids) - len(current)} of the accepted spans")
    if any(current[span.id] != span_values(span) for span in spans):
        raise changed_since("some of the accepted spans")
