"""The project's relations: typed links between two spans of one annotator's layer, and the
relation types (their names, colours, hotkeys, direction and allowed labels)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import Changes, LabelKind, Relation, RelationType, SpanSource
from annotator.core.project.part import Part
from annotator.core.project.rules import changed_since, removed_since, require
from annotator.core.storage import relation_rows, repo
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    LabelRow,
    RelationRow,
    RelationTypeLabelRow,
    RelationTypeRow,
    SpanRow,
    utcnow,
)

_ADD_RELATION = insert(RelationRow).returning(RelationRow.id)
RELATION_FIELDS = ("document_id", "annotator", "type", "head", "tail", "source")
"""A relation's values that an undo or redo compares (its timestamps aside)."""

_SpanEnd = tuple[int, int, int, int, int, str]
"""(id, document id, annotator id, start, end, label name) of a span a relation links."""


class Relations(Part):
    """Reads and edits of relations and relation types."""

    # -- relation types -------------------------------------------------------------------

    def relation_types(self) -> list[RelationType]:
        """Every relation type in palette order."""
        with self._read() as s:
            return relation_rows.relation_types(s)

    def relation_type(self, name: str) -> RelationType:
        """The relation type of that name (or differing only in case), or NotFoundError."""
        with self._read() as s:
            return _checked_type(s, name)

    def add_relation_types(self, specs: Iterable[Any]) -> Changes:
        """Add several relation types (objects with name, color, hotkey, directed, head, tail,
        description: core.schema.RelationTypeSpec) at once."""
        changes = Changes()
        for spec in specs:
            changes |= self.add_relation_type(
                spec.name,
                spec.color,
                spec.hotkey,
                directed=spec.directed,
                head_labels=spec.head,
                tail_labels=spec.tail,
                description=spec.description,
            )
        return changes

    def add_relation_type(
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        *,
        directed: bool = True,
        head_labels: Sequence[str] = (),
        tail_labels: Sequence[str] = (),
        description: str = "",
        type_id: int | None = None,
        position: int | None = None,
    ) -> Changes:
        """Add a relation type; `type_id` and `position` put a removed one back exactly."""
        name = labelrules.normal_name(name)
        require(labelrules.name_problem(name, "relation type"))
        require(labelrules.hotkey_problem(hotkey))
        require(labelrules.description_problem(description))
        with self._write() as s:
            existing = s.execute(
                select(RelationTypeRow.name, RelationTypeRow.color, RelationTypeRow.hotkey)
            ).all()
            if any(row.name.casefold() == name.casefold() for row in existing):
                raise ConflictError(f"a relation type named {name!r} already exists")
            others = (row.name for row in existing)
            require(labelrules.lookalike_problem("relation type", name, others))
            if hotkey is not None and any(row.hotkey == hotkey for row in existing):
                raise ConflictError(f"hotkey {hotkey!r} is already used by another relation type")
            normal = labelrules.normalize_color(
                labelrules.next_color(row.color for row in existing) if color is None else color
            )
            if normal is None:
                raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
            if position is None:
                position = (s.scalar(select(func.max(RelationTypeRow.position))) or 0) + 1
            row = RelationTypeRow(
                id=type_id,
                name=name,
                color=normal,
                hotkey=hotkey,
                directed=bool(directed),
                description=description,
                position=position,
            )
            s.add(row)
            s.flush()
            _set_ends(s, row.id, head_labels, tail_labels)
        return Changes(relation_types=frozenset({name}))

    def update_relation_type(
        self,
        name: str,
        *,
        rename: str | None = None,
        color: str | None = None,
        hotkey: str | None = None,
        directed: bool | None = None,
        head_labels: Sequence[str] | None = None,
        tail_labels: Sequence[str] | None = None,
        description: str | None = None,
    ) -> Changes:
        """Change the given fields of a relation type (None: leave it; hotkey "": none).
        Relations already stored keep their ends, whatever the new labels allow."""
        with self._write() as s:
            row = _type_row(s, name)
            old_name = row.name
            if rename is not None:
                rename = labelrules.normal_name(rename)
                require(labelrules.name_problem(rename, "relation type"))
                others = list(
                    s.scalars(select(RelationTypeRow.name).where(RelationTypeRow.id != row.id))
                )
                if labelrules.spelling_in(rename, others) is not None:
                    raise ConflictError(f"a relation type named {rename!r} already exists")
                require(labelrules.lookalike_problem("relation type", rename, others))
                row.name = rename
            if color is not None:
                normal = labelrules.normalize_color(color)
                if normal is None:
                    raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
                row.color = normal
            if hotkey is not None:
                key = hotkey or None
                require(labelrules.hotkey_problem(key))
                holder = s.scalar(
                    select(RelationTypeRow.name).where(
                        RelationTypeRow.hotkey == key, RelationTypeRow.id != row.id
                    )
                )
                if holder is not None:
                    raise ConflictError(
                        f"hotkey {key!r} is already used by relation type {holder!r}"
                    )
                row.hotkey = key
            if directed is not None:
                if not directed and row.directed and _has_relations(s, row.id):
                    raise ConflictError(
                        f"relation type {old_name!r} is used by relations; it can become "
                        "symmetric only while none uses it"
                    )
                row.directed = bool(directed)
            if description is not None:
                require(labelrules.description_problem(description))
                row.description = description
            if head_labels is not None or tail_labels is not None:
                current = relation_rows.relation_types(s, RelationTypeRow.id == row.id)[0]
                s.execute(
                    delete(RelationTypeLabelRow).where(
                        RelationTypeLabelRow.relation_type_id == row.id
                    )
                )
                _set_ends(
                    s,
                    row.id,
                    current.head_labels if head_labels is None else head_labels,
                    current.tail_labels if tail_labels is None else tail_labels,
                )
            s.flush()
            return Changes(relation_types=frozenset({old_name, row.name}))

    def relation_type_usage(self, name: str) -> int:
        """How many relations (of any annotator) are of the type."""
        with self._read() as s:
            type_id = _type_row(s, name).id
            query = select(func.count(RelationRow.id)).where(RelationRow.type_id == type_id)
            return s.scalar(query) or 0

    def remove_relation_type(self, name: str, *, force: bool = False) -> Changes:
        """Remove a relation type; refused while relations use it unless `force`, which removes
        them too (carried in `relations_before`, each leaving its tombstone)."""
        with self._write() as s:
            row = _type_row(s, name)
            of_type = RelationRow.type_id == row.id
            removed = relation_rows.relations_where(s, of_type)
            if removed and not force:
                raise ConflictError(
                    f"relation type {row.name!r} is used by {len(removed)} relation(s); "
                    "remove them first or force the removal"
                )
            relation_rows.bury_now(s, relation_rows.relation_keys(s, of_type))
            s.execute(delete(RelationRow).where(of_type))
            s.delete(row)
            return Changes(
                relation_types=frozenset({row.name}),
                documents=frozenset(r.document_id for r in removed),
                relations_removed=tuple(r.id for r in removed),
                relations_before=tuple(removed),
            )

    # -- relations ------------------------------------------------------------------------

    def relations(self, document_id: int, annotator: str | None = None) -> list[Relation]:
        """The relations of a document (one annotator's layer, or all), by id."""
        with self._read() as s:
            conditions = [RelationRow.document_id == document_id]
            if annotator is not None:
                conditions.append(RelationRow.annotator_id == repo.annotator_id_of(annotator))
            return relation_rows.relations_where(s, *conditions)

    def relations_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Relation]]:
        """Every relation of several documents (all layers), by document: one query a batch."""
        found: dict[int, list[Relation]] = {doc_id: [] for doc_id in document_ids}
        ids = list(found)
        with self._read() as s:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for relation in relation_rows.relations_where(
                    s, RelationRow.document_id.in_(chunk)
                ):
                    found[relation.document_id].append(relation)
        return found

    def relations_with_ids(self, relation_ids: Sequence[int]) -> list[Relation]:
        """The relations with these ids that still exist."""
        found: list[Relation] = []
        with self._read() as s:
            for start in range(0, len(relation_ids), 500):
                chunk = relation_ids[start : start + 500]
                found += relation_rows.relations_where(s, RelationRow.id.in_(chunk))
        return found

    def add_relation(
        self,
        document_id: int,
        annotator: str,
        type: str,
        head_span_id: int,
        tail_span_id: int,
        *,
        source: SpanSource = SpanSource.MANUAL,
    ) -> Changes:
        """Link two spans of `annotator`'s layer of a document; refused (nothing changed) when
        a span is missing or of another document or layer, head is tail, the type does not
        allow their labels, or the relation exists. A symmetric type's pair is stored with the
        span earlier in the text as head."""
        annotator = labelrules.normal_name(annotator)
        source = SpanSource(source)
        with self._write() as s:
            kind = _checked_type(s, type)
            ends = _span_ends(s, [head_span_id, tail_span_id])
            head, tail = (_span_end(ends, span_id) for span_id in (head_span_id, tail_span_id))
            annotator_id = repo.annotator_id(s, annotator, create=False)
            for end in (head, tail):
                _check_in_layer(end, document_id, annotator, annotator_id)
            head, tail = _ordered(kind, head, tail)
            _check_linkable(kind, head, tail)
            now = utcnow()
            values = {
                "document_id": document_id,
                "annotator_id": annotator_id,
                "type_id": kind.id,
                "head_span_id": head[0],
                "tail_span_id": tail[0],
                "source": source.value,
                "created_at": now,
                "updated_at": now,
            }
            try:  # the unique constraint refuses a relation that exists
                new_id = s.connection().execute(_ADD_RELATION, values).scalar_one()
            except IntegrityError:
                raise ConflictError(
                    f"{annotator} already linked these spans as {kind.name}; nothing was changed"
                ) from None
            relation_rows.unbury(s, [_key(kind.name, head, tail)])
            relation = Relation(
                new_id, document_id, annotator, kind.name, head[0], tail[0], source, now, now
            )
            return Changes(
                documents=frozenset({document_id}),
                relations_added=(new_id,),
                relations=(relation,),
            )

    def remove_relation(
        self, relation_id: int, *, expected: Mapping[str, Any] | None = None
    ) -> Changes:
        """Delete a relation (leaving its tombstone); with `expected` (some of
        RELATION_FIELDS), only while it still has those values (compare-and-set, for undo).
        The changes carry its values in `relations_before`."""
        with self._write() as s:
            found = relation_rows.relations_where(s, RelationRow.id == relation_id)
            if not found:
                if expected is not None:
                    raise removed_since("the relation")
                raise NotFoundError(f"no relation with id {relation_id}")
            (before,) = found
            if expected is not None and any(
                getattr(before, key) != value for key, value in expected.items()
            ):
                raise changed_since("the relation")
            relation_rows.bury_now(s, relation_rows.relation_keys(s, RelationRow.id == relation_id))
            s.execute(delete(RelationRow).where(RelationRow.id == relation_id))
            return Changes(
                documents=frozenset({before.document_id}),
                relations_removed=(relation_id,),
                relations_before=(before,),
            )

    def restore_relations(self, relations: Sequence[Relation]) -> Changes:
        """Put back removed relations as they were (same ids and values), for undo, unless a
        span or type of theirs is gone or the relation is there again. Their tombstones are
        forgotten and `updated_at` is now."""
        if not relations:
            return Changes()
        with self._write() as s:
            types = {kind.name: kind for kind in relation_rows.relation_types(s)}
            ends = _span_ends(s, [r.head for r in relations] + [r.tail for r in relations])
            now, rows, keys = utcnow(), [], []
            for relation in relations:
                kind = types.get(relation.type)
                if kind is None:
                    raise removed_since(f"relation type {relation.type!r}")
                head, tail = (ends.get(relation.head), ends.get(relation.tail))
                if head is None or tail is None:
                    raise removed_since("a span of the relation")
                if s.get(RelationRow, relation.id) is not None or _existing(
                    s, kind.id, head[0], tail[0]
                ):
                    raise ConflictError(
                        f"{relation.annotator} has that {relation.type} relation again (added "
                        "by someone else since); nothing was changed"
                    )
                rows.append(
                    RelationRow(
                        id=relation.id,
                        document_id=relation.document_id,
                        annotator_id=head[2],
                        type_id=kind.id,
                        head_span_id=head[0],
                        tail_span_id=tail[0],
                        source=SpanSource(relation.source).value,
                        created_at=relation.created_at or now,
                        updated_at=now,
                    )
                )
                keys.append(_key(kind.name, head, tail))
            s.add_all(rows)
            s.flush()
            relation_rows.unbury(s, keys)
        return Changes(
            documents=frozenset(r.document_id for r in relations),
            relations_added=tuple(r.id for r in relations),
            relations=tuple(
                replace(r, created_at=row.created_at, updated_at=now)
                for r, row in zip(relations, rows, strict=True)
            ),
        )

    def store_relations(
        self,
        document_id: int,
        annotator: str,
        rows: Iterable[tuple[str, int, int, SpanSource | str]],
    ) -> Changes:
        """Store many relations of one layer at once (importers, merge): `rows` of (type, head
        span id, tail span id, source), checked as add_relation checks them; relations already
        stored, or repeated in `rows`, are skipped. One multi-row insert."""
        wanted = list(rows)
        if not wanted:
            return Changes()
        annotator = labelrules.normal_name(annotator)
        with self._write() as s:
            types: dict[str, RelationType] = {}
            ends = _span_ends(s, [r[1] for r in wanted] + [r[2] for r in wanted])
            annotator_id = repo.annotator_id(s, annotator, create=False)
            new: list[relation_rows.NewRelation] = []
            keys = []
            for type_name, head_id, tail_id, source in wanted:
                if type_name not in types:
                    types[type_name] = _checked_type(s, type_name)
                kind = types[type_name]
                head, tail = _span_end(ends, head_id), _span_end(ends, tail_id)
                for end in (head, tail):
                    _check_in_layer(end, document_id, annotator, annotator_id)
                head, tail = _ordered(kind, head, tail)
                _check_linkable(kind, head, tail)
                source = SpanSource(source).value
                new.append((document_id, head[2], kind.id, head[0], tail[0], source))
                keys.append(_key(kind.name, head, tail))
            ids, _ = relation_rows.insert_new(s, new)
            relation_rows.unbury(s, keys)
        return Changes(documents=frozenset({document_id}), relations_added=tuple(ids))


def _checked_type(s: Session, name: str) -> RelationType:
    """The relation type of that name (read in two statements when spelled as stored)."""
    found = relation_rows.relation_types(s, RelationTypeRow.name == name)
    if not found:
        found = relation_rows.relation_types(s, RelationTypeRow.id == _type_row(s, name).id)
    return found[0]


def _type_row(s: Session, name: str) -> RelationTypeRow:
    """The relation type of that name (or differing from it only in case), or NotFoundError."""
    row = s.scalar(select(RelationTypeRow).where(RelationTypeRow.name == name))
    if row is None:
        spelling = labelrules.spelling_in(name, s.scalars(select(RelationTypeRow.name)))
        if spelling is None:
            raise NotFoundError(f"no relation type named {name!r}")
        row = s.scalars(select(RelationTypeRow).where(RelationTypeRow.name == spelling)).one()
    return row


def _set_ends(
    s: Session, type_id: int, head_labels: Sequence[str], tail_labels: Sequence[str]
) -> None:
    """Store the span labels allowed at each end of the type (by the project's spelling)."""
    labels = dict(
        s.execute(select(LabelRow.name, LabelRow.id).where(LabelRow.kind == LabelKind.SPAN)).all()
    )
    rows = set()
    for role, names in (("head", head_labels), ("tail", tail_labels)):
        for name in names:
            spelling = labelrules.spelling_in(labelrules.normal_name(name), labels)
            if spelling is None:
                raise NotFoundError(f"no span label named {name!r} (for the {role} end)")
            rows.add((type_id, labels[spelling], role))
    insert_rows(
        s.connection(),
        RelationTypeLabelRow.__table__,
        ("relation_type_id", "label_id", "role"),
        sorted(rows),
    )


def _has_relations(s: Session, type_id: int) -> bool:
    return (
        s.scalar(select(RelationRow.id).where(RelationRow.type_id == type_id).limit(1)) is not None
    )


def _span_ends(s: Session, span_ids: Sequence[int]) -> dict[int, _SpanEnd]:
    """The spans with these ids that exist, with what a relation checks of them."""
    query = (
        select(
            SpanRow.id,
            SpanRow.document_id,
            SpanRow.annotator_id,
            SpanRow.start,
            SpanRow.end,
            LabelRow.name,
        )
        .join(LabelRow, SpanRow.label_id == LabelRow.id)
        .where(SpanRow.id.in_(sorted(set(span_ids))))
    )
    return {row[0]: tuple(row) for row in s.execute(query)}  # type: ignore[misc]


def _span_end(ends: Mapping[int, _SpanEnd], span_id: int) -> _SpanEnd:
    found = ends.get(span_id)
    if found is None:
        raise NotFoundError(f"no span with id {span_id}")
    return found


def _check_in_layer(
    end: _SpanEnd, document_id: int, annotator: str, annotator_id: int | None
) -> None:
    """Refuse a span of another document or another annotator's layer."""
    if end[1] != document_id:
        raise ConflictError(f"span {end[0]} is not in document {document_id}; nothing was changed")
    if end[2] != annotator_id:
        raise ConflictError(f"span {end[0]} is not in {annotator}'s layer; nothing was changed")


def _ordered(kind: RelationType, head: _SpanEnd, tail: _SpanEnd) -> tuple[_SpanEnd, _SpanEnd]:
    """Head and tail as stored: a symmetric type's span earlier in the text (start, end, id)
    first."""
    if not kind.directed and (tail[3], tail[4], tail[0]) < (head[3], head[4], head[0]):
        return tail, head
    return head, tail


def _check_linkable(kind: RelationType, head: _SpanEnd, tail: _SpanEnd) -> None:
    """Refuse a span linked to itself, or labels the type does not allow."""
    if head[0] == tail[0]:
        raise ConflictError("a relation links two different spans; nothing was changed")
    if problem := kind.mismatch(head[5], tail[5]):
        raise ConflictError(f"{problem}; nothing was changed")


def _existing(s: Session, type_id: int, head_id: int, tail_id: int) -> bool:
    query = select(RelationRow.id).where(
        RelationRow.type_id == type_id,
        RelationRow.head_span_id == head_id,
        RelationRow.tail_span_id == tail_id,
    )
    return s.scalar(query) is not None


def _key(type_name: str, head: _SpanEnd, tail: _SpanEnd) -> relation_rows.RelationKey:
    """The relation's tombstone key."""
    return (head[1], head[2], type_name, head[5], head[3], head[4], tail[5], tail[3], tail[4])
