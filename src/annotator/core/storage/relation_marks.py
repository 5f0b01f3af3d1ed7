"""Relations, relation tombstones and review relation rejections named by identity, for bulk
reads and writes (merge, review).

A relation's identity is (document, annotator, type name, head, tail), each end its span's
(label name, start, end): the same in every copy of a project, whatever the row ids. A
symmetric type's ends carry no order: `identity` puts them in text order (core.relation_keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from annotator.core.relation_keys import End, relation_key
from annotator.core.storage import relation_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    LabelRow,
    RelationRow,
    RelationTombstoneRow,
    RelationTypeRow,
    ReviewRelationRejectionRow,
    SpanRow,
)

RelationIdentity = tuple[int, int, str, End, End]
"""(document id, annotator id, type name, head end, tail end)."""

_HEAD, _TAIL = aliased(SpanRow, name="head"), aliased(SpanRow, name="tail")
_HEAD_LABEL, _TAIL_LABEL = (
    aliased(LabelRow, name="head_label"),
    aliased(LabelRow, name="tail_label"),
)
_TOMB = RelationTombstoneRow


def identity(
    document_id: int, annotator_id: int, type_name: str, head: End, tail: End, *, directed: bool
) -> RelationIdentity:
    """A relation's identity; a symmetric type's ends in text order."""
    return (document_id, annotator_id, *relation_key(type_name, head, tail, directed=directed))


def relation_marks(*extra: Any) -> Select[*tuple[Any, ...]]:
    """(document id, annotator id, annotator name, type name, head label, head start, head end,
    tail label, tail start, tail end, *extra) of relations; the caller adds conditions."""
    return (
        select(
            RelationRow.document_id,
            RelationRow.annotator_id,
            AnnotatorRow.name,
            RelationTypeRow.name,
            _HEAD_LABEL.name,
            _HEAD.start,
            _HEAD.end,
            _TAIL_LABEL.name,
            _TAIL.start,
            _TAIL.end,
            *extra,
        )
        .join(AnnotatorRow, RelationRow.annotator_id == AnnotatorRow.id)
        .join(RelationTypeRow, RelationRow.type_id == RelationTypeRow.id)
        .join(_HEAD, RelationRow.head_span_id == _HEAD.id)
        .join(_HEAD_LABEL, _HEAD.label_id == _HEAD_LABEL.id)
        .join(_TAIL, RelationRow.tail_span_id == _TAIL.id)
        .join(_TAIL_LABEL, _TAIL.label_id == _TAIL_LABEL.id)
    )


def tombstone_marks() -> Select[*tuple[Any, ...]]:
    """(document id, annotator name, type, head label, start, end, tail label, start, end,
    deleted_at) of relation tombstones; the caller adds conditions."""
    return select(
        _TOMB.document_id,
        AnnotatorRow.name,
        _TOMB.type,
        _TOMB.head_label,
        _TOMB.head_start,
        _TOMB.head_end,
        _TOMB.tail_label,
        _TOMB.tail_start,
        _TOMB.tail_end,
        _TOMB.deleted_at,
    ).join(AnnotatorRow, _TOMB.annotator_id == AnnotatorRow.id)


def rejection_marks() -> Select[*tuple[Any, ...]]:
    """(document id, type name, directed, head label, start, end, tail label, start, end,
    decided_at) of review relation rejections; the caller adds conditions."""
    rejection = ReviewRelationRejectionRow
    return (
        select(
            rejection.document_id,
            RelationTypeRow.name,
            RelationTypeRow.directed,
            _HEAD_LABEL.name,
            rejection.head_start,
            rejection.head_end,
            _TAIL_LABEL.name,
            rejection.tail_start,
            rejection.tail_end,
            rejection.decided_at,
        )
        .join(RelationTypeRow, rejection.type_id == RelationTypeRow.id)
        .join(_HEAD_LABEL, rejection.head_label_id == _HEAD_LABEL.id)
        .join(_TAIL_LABEL, rejection.tail_label_id == _TAIL_LABEL.id)
    )


def relation_tombstones(
    s: Session, document_ids: Iterable[int], directed: Mapping[str, bool]
) -> dict[RelationIdentity, datetime]:
    """When each relation of these documents that has a tombstone was deleted, by identity
    (`directed` by type name; an unknown type counts as directed)."""
    found: dict[RelationIdentity, datetime] = {}
    for (d, a, kind, hl, hs, he, tl, ts, te), at in relation_rows.tombstones(
        s, document_ids
    ).items():
        is_directed = directed.get(kind, True)
        key = identity(d, a, kind, (hl, hs, he), (tl, ts, te), directed=is_directed)
        found[key] = max(at, found.get(key, at))
    return found


def bury_relations(s: Session, deleted: Mapping[RelationIdentity, datetime]) -> None:
    """Record when these relations were deleted, replacing earlier records of them."""
    flat: dict[relation_rows.RelationKey, datetime] = {
        (document_id, annotator_id, kind, *head, *tail): when
        for (document_id, annotator_id, kind, head, tail), when in deleted.items()
    }
    relation_rows.bury(s, flat)
