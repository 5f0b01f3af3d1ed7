"""Relations as stored: reading them as dataclasses, and their tombstones.

A relation tombstone names the relation by (document, annotator, type name, head label, head
start, head end, tail label, tail start, tail end) and holds when it was deleted, as span
tombstones do for spans (core.storage.tombstones): every removal writes one in its own
transaction, putting the relation back removes it, and merges compare the times.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, select
from sqlalchemy.orm import Session, aliased

from annotator.core.model import Relation, RelationType, SpanSource
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    LabelRow,
    RelationRow,
    RelationTombstoneRow,
    RelationTypeLabelRow,
    RelationTypeRow,
    SpanRow,
    utcnow,
)
from annotator.core.storage.repo import plain_rows

RelationKey = tuple[int, int, str, str, int, int, str, int, int]
"""(document id, annotator id, type name, head label, head start, head end, tail label, tail
start, tail end) of a relation, live or deleted."""

_RELATION = (
    RelationRow.id,
    RelationRow.document_id,
    AnnotatorRow.name,
    RelationTypeRow.name,
    RelationRow.head_span_id,
    RelationRow.tail_span_id,
    RelationRow.source,
    RelationRow.created_at,
    RelationRow.updated_at,
)


def relation_select() -> Select[*tuple[Any, ...]]:
    """The columns of a Relation, joined with its annotator's and type's names."""
    return (
        select(*_RELATION)
        .join(AnnotatorRow, RelationRow.annotator_id == AnnotatorRow.id)
        .join(RelationTypeRow, RelationRow.type_id == RelationTypeRow.id)
    )


def relations_where(s: Session, *conditions: ColumnElement[bool]) -> list[Relation]:
    """The relations matching the conditions, by document and id."""
    query = relation_select().where(*conditions).order_by(RelationRow.document_id, RelationRow.id)
    return [
        Relation(rid, doc, annotator, kind, head, tail, SpanSource(source), created, updated)
        for rid, doc, annotator, kind, head, tail, source, created, updated in s.execute(query)
    ]


def of_spans(span_ids: Sequence[int] | Select[int]) -> ColumnElement[bool]:
    """The condition: the relation has one of these spans (ids, or a query of ids) at either
    end."""
    return RelationRow.head_span_id.in_(span_ids) | RelationRow.tail_span_id.in_(span_ids)


def relation_types(s: Session, *conditions: ColumnElement[bool]) -> list[RelationType]:
    """The relation types matching the conditions, in palette order, with their allowed
    labels (two statements)."""
    rows = s.scalars(
        select(RelationTypeRow)
        .where(*conditions)
        .order_by(RelationTypeRow.position, RelationTypeRow.id)
    ).all()
    ends: dict[tuple[int, str], list[str]] = {}
    query = (
        select(RelationTypeLabelRow.relation_type_id, RelationTypeLabelRow.role, LabelRow.name)
        .join(LabelRow, RelationTypeLabelRow.label_id == LabelRow.id)
        .where(RelationTypeLabelRow.relation_type_id.in_([row.id for row in rows]))
        .order_by(LabelRow.position, LabelRow.id)
    )
    for type_id, role, label in s.execute(query):
        ends.setdefault((type_id, role), []).append(label)
    return [
        RelationType(
            row.id,
            row.name,
            row.color,
            row.hotkey,
            row.directed,
            tuple(ends.get((row.id, "head"), ())),
            tuple(ends.get((row.id, "tail"), ())),
            row.description,
            row.position,
        )
        for row in rows
    ]


NewRelation = tuple[int, int, int, int, int, str]
"""(document id, annotator id, type id, head span id, tail span id, source) of a relation to
store, its ends already ordered (a symmetric type's earlier span first)."""
_INSERTED = (
    "document_id",
    "annotator_id",
    "type_id",
    "head_span_id",
    "tail_span_id",
    "source",
    "created_at",
    "updated_at",
)


def insert_new(s: Session, rows: Sequence[NewRelation]) -> tuple[list[int], int]:
    """Insert the relations not stored yet (nor repeated earlier in `rows`) with multi-row
    inserts (core.storage.bulk); their ids, and how many were there already."""
    wanted = {(d, a, t, h, tl): source for d, a, t, h, tl, source in rows}
    stored: set[tuple[int, int, int]] = set()
    documents = sorted({row[0] for row in wanted})
    for start in range(0, len(documents), 500):
        query = select(RelationRow.type_id, RelationRow.head_span_id, RelationRow.tail_span_id)
        chunk = documents[start : start + 500]
        stored |= {
            (t, h, tl) for t, h, tl in s.execute(query.where(RelationRow.document_id.in_(chunk)))
        }
    now = utcnow()
    new = [(*key, source, now, now) for key, source in wanted.items() if key[2:] not in stored]
    ids = insert_rows(s.connection(), RelationRow.__table__, _INSERTED, new, returning=("id",))
    return sorted(row[0] for row in ids), len(wanted) - len(new)


# -- tombstones ---------------------------------------------------------------------------

_HEAD, _TAIL = aliased(SpanRow), aliased(SpanRow)
_HEAD_LABEL, _TAIL_LABEL = aliased(LabelRow), aliased(LabelRow)
_RELATION_KEY = (
    RelationRow.document_id,
    RelationRow.annotator_id,
    RelationTypeRow.name,
    _HEAD_LABEL.name,
    _HEAD.start,
    _HEAD.end,
    _TAIL_LABEL.name,
    _TAIL.start,
    _TAIL.end,
)
_KEY = (
    RelationTombstoneRow.document_id,
    RelationTombstoneRow.annotator_id,
    RelationTombstoneRow.type,
    RelationTombstoneRow.head_label,
    RelationTombstoneRow.head_start,
    RelationTombstoneRow.head_end,
    RelationTombstoneRow.tail_label,
    RelationTombstoneRow.tail_start,
    RelationTombstoneRow.tail_end,
)
_KEY_NAMES = tuple(column.key for column in _KEY)
_FORGET = delete(RelationTombstoneRow).where(
    *(column == bindparam(column.key) for column in _KEY)
)  # built once, sent through the connection


def _relation_key_query() -> Select[*tuple[Any, ...]]:
    """The keys of relations: their document, annotator, type and both ends' label and extent."""
    return (
        select(*_RELATION_KEY)
        .join(RelationTypeRow, RelationRow.type_id == RelationTypeRow.id)
        .join(_HEAD, RelationRow.head_span_id == _HEAD.id)
        .join(_HEAD_LABEL, _HEAD.label_id == _HEAD_LABEL.id)
        .join(_TAIL, RelationRow.tail_span_id == _TAIL.id)
        .join(_TAIL_LABEL, _TAIL.label_id == _TAIL_LABEL.id)
    )


_OF_DOCUMENTS = _relation_key_query().where(
    RelationRow.document_id.in_(bindparam("ids", expanding=True))
)  # built once, as repo's bulk reads


def relation_keys(s: Session, *where: ColumnElement[bool]) -> list[RelationKey]:
    """The keys of the relations matching `where` (read before deleting them)."""
    return [tuple(row) for row in s.execute(_relation_key_query().where(*where))]


def document_relation_rows(s: Session, document_ids: Collection[int]) -> list[tuple[Any, ...]]:
    """(document id, annotator id, type, head label, start, end, tail label, start, end) of
    the relations in these documents, as plain rows (agreement's bulk read)."""
    return plain_rows(s, _OF_DOCUMENTS, {"ids": list(document_ids)})


def tombstones(s: Session, document_ids: Iterable[int]) -> dict[RelationKey, datetime]:
    """When each relation of these documents that has a tombstone was deleted, by key."""
    query = select(*_KEY, RelationTombstoneRow.deleted_at).where(
        RelationTombstoneRow.document_id.in_(sorted(set(document_ids)))
    )
    return {tuple(row[:-1]): row[-1] for row in s.execute(query)}  # type: ignore[misc]


def bury(s: Session, deleted: Mapping[RelationKey, datetime]) -> None:
    """Record when these relations were deleted, replacing earlier records of the same ones."""
    unbury(s, list(deleted))
    rows = [(*key, when) for key, when in deleted.items()]
    insert_rows(s.connection(), RelationTombstoneRow.__table__, (*_KEY_NAMES, "deleted_at"), rows)


def bury_now(s: Session, keys: Sequence[RelationKey]) -> None:
    """Record that these relations are being deleted now."""
    bury(s, dict.fromkeys(keys, utcnow()))


def unbury(s: Session, keys: Sequence[RelationKey]) -> None:
    """Forget that these relations were deleted (they are back), as one batch."""
    if keys:
        s.connection().execute(_FORGET, [dict(zip(_KEY_NAMES, key, strict=True)) for key in keys])


SpanEnd = tuple[int, str, int, int]
"""(span id, label name, start, end) of one end of a relation."""
_ALLOWED = aliased(LabelRow)


def links_of_span(s: Session, span_id: int) -> list[tuple[int, RelationType, SpanEnd, SpanEnd]]:
    """Each relation with the span at either end, by id: its id, its type (with the labels
    allowed at each end) and its head and tail. One statement (a row per allowed label)."""
    query = (
        select(
            RelationRow.id,
            RelationTypeRow,
            _HEAD.id,
            _HEAD_LABEL.name,
            _HEAD.start,
            _HEAD.end,
            _TAIL.id,
            _TAIL_LABEL.name,
            _TAIL.start,
            _TAIL.end,
            RelationTypeLabelRow.role,
            _ALLOWED.name,
        )
        .join(RelationTypeRow, RelationRow.type_id == RelationTypeRow.id)
        .join(_HEAD, RelationRow.head_span_id == _HEAD.id)
        .join(_HEAD_LABEL, _HEAD.label_id == _HEAD_LABEL.id)
        .join(_TAIL, RelationRow.tail_span_id == _TAIL.id)
        .join(_TAIL_LABEL, _TAIL.label_id == _TAIL_LABEL.id)
        .outerjoin(
            RelationTypeLabelRow, RelationTypeLabelRow.relation_type_id == RelationTypeRow.id
        )
        .outerjoin(_ALLOWED, RelationTypeLabelRow.label_id == _ALLOWED.id)
        .where(of_spans([span_id]))
        .order_by(RelationRow.id, _ALLOWED.position, _ALLOWED.id)
    )
    found: dict[int, tuple[Any, SpanEnd, SpanEnd]] = {}
    allowed: dict[tuple[int, str], list[str]] = {}
    for row in s.execute(query):
        relation_id, kind, role, label = row[0], row[1], row[10], row[11]
        found.setdefault(relation_id, (kind, tuple(row[2:6]), tuple(row[6:10])))  # type: ignore[arg-type]
        if role is not None:
            allowed.setdefault((relation_id, role), []).append(label)
    return [
        (
            relation_id,
            RelationType(
                kind.id,
                kind.name,
                kind.color,
                kind.hotkey,
                kind.directed,
                tuple(allowed.get((relation_id, "head"), ())),
                tuple(allowed.get((relation_id, "tail"), ())),
                kind.description,
                kind.position,
            ),
            head,
            tail,
        )
        for relation_id, (kind, head, tail) in found.items()
    ]
