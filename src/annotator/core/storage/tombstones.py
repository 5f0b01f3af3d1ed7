"""Span tombstones: the record that a span was deleted, so the deletion travels with a merge.

A tombstone names the span by (document, annotator, label name, start, end) and holds when it
was deleted. Every removal writes one in the removal's own transaction; putting a span back
(undo, adding it again) removes it. A merge compares times: a deletion wins over a copy of the
span that is not newer than it, a span changed after the deletion wins over it (core.merge).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, select
from sqlalchemy.orm import Session

from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import LabelRow, SpanRow, SpanTombstoneRow, utcnow

TombstoneKey = tuple[int, int, str, int, int]
"""(document id, annotator id, label name, start, end) of a span, live or deleted."""
_SPAN_KEY = (SpanRow.document_id, SpanRow.annotator_id, LabelRow.name, SpanRow.start, SpanRow.end)
_KEY = (
    SpanTombstoneRow.document_id,
    SpanTombstoneRow.annotator_id,
    SpanTombstoneRow.label,
    SpanTombstoneRow.start,
    SpanTombstoneRow.end,
)


def span_keys(s: Session, *where: ColumnElement[bool]) -> list[TombstoneKey]:
    """The keys of the spans matching `where` (read before deleting them)."""
    query = select(*_SPAN_KEY).join(LabelRow, SpanRow.label_id == LabelRow.id).where(*where)
    return [(d, a, lab, st, en) for d, a, lab, st, en in s.execute(query)]


def live_spans(s: Session, document_ids: Iterable[int]) -> dict[TombstoneKey, tuple[int, datetime]]:
    """(id, updated_at) of every span of these documents, by key."""
    query = (
        select(*_SPAN_KEY, SpanRow.id, SpanRow.updated_at)
        .join(LabelRow, SpanRow.label_id == LabelRow.id)
        .where(SpanRow.document_id.in_(sorted(set(document_ids))))
    )
    return {
        (d, a, lab, st, en): (span_id, at) for d, a, lab, st, en, span_id, at in s.execute(query)
    }


def tombstones(s: Session, document_ids: Iterable[int]) -> dict[TombstoneKey, datetime]:
    """When each span of these documents that has a tombstone was deleted, by key."""
    query = select(*_KEY, SpanTombstoneRow.deleted_at).where(
        SpanTombstoneRow.document_id.in_(sorted(set(document_ids)))
    )
    return {(d, a, lab, st, en): at for d, a, lab, st, en, at in s.execute(query)}


def bury(s: Session, deleted: Mapping[TombstoneKey, datetime]) -> None:
    """Record when these spans were deleted, replacing earlier records of the same spans."""
    unbury(s, list(deleted))
    rows = [(*key, when) for key, when in deleted.items()]
    insert_rows(s.connection(), SpanTombstoneRow.__table__, (*_KEY_NAMES, "deleted_at"), rows)


def bury_now(s: Session, keys: Sequence[TombstoneKey]) -> None:
    """Record that these spans are being deleted now."""
    bury(s, dict.fromkeys(keys, utcnow()))


_FORGET = delete(SpanTombstoneRow).where(
    *(column == bindparam(column.key) for column in _KEY)
)  # built once: a user action runs it through the connection, without the ORM's per-call cost
_KEY_NAMES = tuple(column.key for column in _KEY)


def unbury(s: Session, keys: Sequence[TombstoneKey]) -> None:
    """Forget that these spans were deleted (they are back): one primary-key delete per key,
    sent as one batch."""
    if keys:
        s.connection().execute(_FORGET, [dict(zip(_KEY_NAMES, key, strict=True)) for key in keys])
