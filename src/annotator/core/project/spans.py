"""The project's spans: one annotator's layer of a document, read and edited span by span."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    CursorResult,
    Row,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, LabelKind, RelationType, Span, SpanSource
from annotator.core.project.part import Part
from annotator.core.project.rules import (
    changed_since,
    check_integer_offsets,
    check_offsets,
    created_annotator_id,
    removed_since,
    require,
    writer_id,
)
from annotator.core.project.store import NOT_APPLIED
from annotator.core.storage import relation_rows, repo, span_add, tombstones
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    LabelRow,
    RelationRow,
    SpanRow,
    utcnow,
)

SPAN_FIELDS = ("document_id", "annotator", "label", "start", "end", "note")
"""A span's values as a command leaves them; edits name a few of them (label; start, end)."""

SOURCES = {source.value: source for source in SpanSource}
"""Each stored `source` string's SpanSource (a dict look-up is cheaper than the enum call)."""


class Spans(Part):
    """Reads and edits of spans."""

    def spans(self, document_id: int, annotator: str | None = None) -> list[Span]:
        """The spans of a document (one annotator's layer, or all), by position."""
        with self._read() as s:
            conditions = [SpanRow.document_id == document_id]
            if annotator is not None:
                conditions.append(
                    SpanRow.annotator_id == repo.annotator_id(s, annotator, create=False)
                )
            return repo.spans_where(s, *conditions)

    def span_layer(self, document_id: int, annotator: str) -> SpanIndex:
        """One annotator's spans in a document, indexed, read as plain rows: each `Span` is
        built when first asked for, without timestamps (the view and the span list show none),
        so a layer of 200,000 spans opens in a fraction of a second."""
        with self._read() as s:
            annotator_id = repo.annotator_id(s, annotator, create=False)
            if annotator_id is None:
                return SpanIndex()
            labels = {label_id: name for name, label_id in repo.label_ids(s).items()}
            rows = repo.layer_rows(s, document_id, annotator_id)

        def make(row: tuple[int, int, int, int, str, str]) -> Span:
            span_id, start, end, label_id, source, note = row
            return Span(
                span_id, document_id, annotator, labels[label_id], start, end, SOURCES[source], note
            )

        return SpanIndex.from_rows(rows, make)

    def spans_with_ids(self, span_ids: Sequence[int]) -> list[Span]:
        """The spans with these ids that still exist (any document or layer)."""
        found: list[Span] = []
        with self._read() as s:
            for start in range(0, len(span_ids), 500):
                found += repo.spans_where(s, SpanRow.id.in_(span_ids[start : start + 500]))
        return found

    def spans_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Span]]:
        """Every span of several documents (all layers), by document: one query per batch."""
        found: dict[int, list[Span]] = {doc_id: [] for doc_id in document_ids}
        with self._read() as s:
            for start in range(0, len(found), 500):
                chunk = list(found)[start : start + 500]
                for span in repo.spans_where(s, SpanRow.document_id.in_(chunk)):
                    found[span.document_id].append(span)
        return found

    def spans_with_label(self, label: str) -> list[Span]:
        """Every span (any document, any annotator) that carries the label."""
        with self._read() as s:
            return repo.spans_where(s, SpanRow.label_id == repo.label_row(s, label).id)

    def span(self, span_id: int) -> Span:
        """One span by id, or NotFoundError."""
        with self._read() as s:
            return repo.span(s, span_id)

    def add_span(
        self,
        document_id: int,
        annotator: str,
        label: str,
        start: int,
        end: int,
        *,
        source: SpanSource = SpanSource.MANUAL,
        note: str = "",
        span_id: int | None = None,
        created_at: datetime | None = None,
    ) -> Changes:
        """Store a span of `annotator`'s layer; `span_id` restores a removed span exactly.

        On a server one statement does it all (span_add.ADD_AT_ONCE: a round trip, the commit
        included outside a transaction); on SQLite, and for an annotator's first span or a
        restore, a look-up, the insert and the tombstone's removal (core.storage.span_add)."""
        annotator = labelrules.normal_name(annotator)
        require(labelrules.annotator_problem(annotator))
        source = SpanSource(source)
        check_integer_offsets(start, end)
        now = utcnow()
        created = created_at or now
        values = {
            "document_id": document_id,
            "start": start,
            "end": end,
            "source": source.value,
            "note": note,
            "created_at": created,
            "updated_at": now,
        }
        new_id = None
        if self._store.path is None and span_id is None:
            with self._store.write_statement() as db:
                new_id = _added_at_once(db, values, label, annotator, self._store.open_transaction)
        if new_id is None:  # the annotator's first span, a restore, or SQLite
            with self._write() as s:
                new_id = _added_in(s, values, label, annotator, span_id)
        span = Span(new_id, document_id, annotator, label, start, end, source, note, created, now)
        return Changes(documents=frozenset({document_id}), spans_added=(new_id,), spans=(span,))

    def remove_span(self, span_id: int, *, expected: Mapping[str, Any] | None = None) -> Changes:
        """Delete a span and its relations; with `expected` (some of SPAN_FIELDS), only while it
        still has those values (compare-and-set, for undo). The changes carry its values in
        `spans_before`, its relations' in `relations_before`."""
        with self._write() as s:
            row, before, has_relations = _locked_span(s, span_id, expected)
            linked = []
            if has_relations:  # the foreign keys delete them with the span: read them first
                linked = relation_rows.relations_where(s, relation_rows.of_spans([span_id]))
                relation_rows.bury_now(
                    s, relation_rows.relation_keys(s, relation_rows.of_spans([span_id]))
                )
            deleted = cast(
                CursorResult[Any], s.execute(delete(SpanRow).where(SpanRow.id == span_id))
            )
            if deleted.rowcount != 1:
                raise ConflictError(NOT_APPLIED)  # hidden by a server's row-level security
            tombstones.bury_now(s, [_key(row.annotator_id, before)])
            return Changes(
                documents=frozenset({before.document_id}),
                spans_removed=(span_id,),
                spans_before=(before,),
                relations_removed=tuple(relation.id for relation in linked),
                relations_before=tuple(linked),
            )

    def relabel_span(self, span_id: int, label: str) -> Changes:
        """Give a span another label."""
        return self.update_span(span_id, label=label)

    def resize_span(self, span_id: int, start: int, end: int) -> Changes:
        """Move a span's boundaries."""
        return self.update_span(span_id, start=start, end=end)

    def set_span_note(self, span_id: int, note: str) -> Changes:
        """Attach a free-text note to a span."""
        return self.update_span(span_id, note=note)

    def update_span(
        self,
        span_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: str | None = None,
        expected: Mapping[str, Any] | None = None,
    ) -> Changes:
        """Change the given fields of a span (None: leave it as it is); with `expected` (some
        of SPAN_FIELDS), only while it still has those values (compare-and-set, for undo).
        The changes carry its values before in `spans_before` and after in `spans`."""
        with self._write() as s:
            row, before, has_relations = _locked_span(s, span_id, expected)
            label_name = before.label
            if label is not None:
                label_row = repo.label_row(s, label)
                row.label_id, label_name = label_row.id, label_row.name
            if start is not None and end is not None:
                check_offsets(start, end, _text_length(s, row.document_id))
                row.start, row.end = start, end
            if note is not None:
                row.note = note
            row.updated_at = utcnow()
            try:
                s.flush()
            except IntegrityError:
                raise ConflictError(
                    "an identical span already exists in this layer; nothing was changed"
                ) from None
            reordered = Changes()
            moved = (label_name, row.start, row.end) != (before.label, before.start, before.end)
            if has_relations and moved:  # one more read, only for a span that relations link
                links = relation_rows.links_of_span(s, span_id)
                _require_relations_allow(s, links, span_id, label_name)
                reordered = _reorder_symmetric(s, links, span_id, row.start, row.end)
            after = repo.to_span(row, before.annotator, label_name)
            left, now = _key(row.annotator_id, before), _key(row.annotator_id, after)
            if now != left:  # the old identity is left behind (see _record_new_identity)
                _record_new_identity(s, left, now)
            return reordered | Changes(
                documents=frozenset({row.document_id}),
                spans_updated=(span_id,),
                spans=(after,),
                spans_before=(before,),
            )

    def restore_spans(self, spans: Sequence[Span]) -> Changes:
        """Put back removed spans as they were (same ids and values), for undo, unless a
        document or label of theirs is gone or the layer has an equal span again. Their
        deletion is forgotten, and `updated_at` is now: the restoration wins over the deletion
        wherever a merge has taken that deletion."""
        with self._write() as s:
            labels, now, restored, rows = repo.label_ids(s), utcnow(), [], []
            _require_restorable(s, spans, labels)
            for span in spans:
                annotator_id = created_annotator_id(s, span.annotator)
                rows.append(
                    SpanRow(
                        id=span.id,
                        document_id=span.document_id,
                        annotator_id=annotator_id,
                        label_id=labels[span.label],
                        start=span.start,
                        end=span.end,
                        source=span.source.value,
                        note=span.note,
                        created_at=span.created_at or now,
                        updated_at=now,
                    )
                )
                restored.append((span.document_id, annotator_id, span.label, span.start, span.end))
            s.add_all(rows)
            tombstones.unbury(s, restored)
        return Changes(
            documents=frozenset(span.document_id for span in spans),
            spans_added=tuple(span.id for span in spans),
            spans=tuple(
                replace(span, created_at=row.created_at, updated_at=now)
                for span, row in zip(spans, rows, strict=True)
            ),
        )


def _added_in(
    s: Session,
    values: dict[str, Any],
    label: str,
    annotator: str,
    span_id: int | None,
) -> int:
    """Look up, insert and forget the tombstone in the write transaction `s` (adding the
    annotator on first use); the new span's id."""
    db = s.connection()
    found = db.execute(
        span_add.LOOKUP,
        {"document_id": values["document_id"], "label": label, "annotator": annotator},
    ).one()
    _check_lookup(found, values, label)
    if found.annotator_id is not None:
        repo.remember_annotator_id(s, annotator, found.annotator_id)
    row = {
        **values,
        "annotator_id": found.annotator_id or writer_id(s, annotator),
        "label_id": found.label_id,
    }
    if span_id is not None:
        row["id"] = span_id
    try:
        new_id = db.execute(span_add.INSERT, row).scalar_one()
    except IntegrityError:
        raise _already_marked(annotator, label, values) from None
    key = (values["document_id"], row["annotator_id"], label, values["start"], values["end"])
    tombstones.unbury(s, [key])
    return int(new_id)


def _added_at_once(
    db: Connection,
    values: dict[str, Any],
    label: str,
    annotator: str,
    transaction: Session | None,
) -> int | None:
    """Run span_add.ADD_AT_ONCE: the new span's id, None when the annotator does not exist yet;
    when the look-ups refuse the span, the reason as an error. Within a `transaction`, the
    annotator's id is remembered for its later statements (a status change reads it no more)."""
    try:
        found = span_add.add_at_once(db, {**values, "label": label, "annotator": annotator})
    except IntegrityError:
        raise _already_marked(annotator, label, values) from None
    if found.span_id is None:
        _check_lookup(found, values, label)
    if transaction is not None and found.annotator_id is not None:
        repo.remember_annotator_id(transaction, annotator, found.annotator_id)
    return found.span_id


def _check_lookup(found: Row[Any] | span_add.Found, values: Mapping[str, Any], label: str) -> None:
    """Refuse the span `values` when span_add's look-ups say the document or label is missing,
    the offsets do not fit the text or the label marks whole documents."""
    if found.length is None:
        raise NotFoundError(f"no document with id {values['document_id']}")
    check_offsets(values["start"], values["end"], found.length)
    if found.label_id is None:
        raise NotFoundError(f"no label named {label!r}")
    if found.kind != LabelKind.SPAN:
        raise ConflictError(f"label {label!r} marks whole documents, not spans")


def _already_marked(annotator: str, label: str, values: Mapping[str, Any]) -> ConflictError:
    return ConflictError(
        f"{annotator} already marked [{values['start']}, {values['end']}) as {label} "
        "in this document"
    )


def span_values(span: Span) -> dict[str, Any]:
    """Every field of SPAN_FIELDS of the span."""
    return {key: getattr(span, key) for key in SPAN_FIELDS}


def _text_length(s: Session, document_id: int) -> int:
    """The length of the document's text (without reading the text), or NotFoundError."""
    length = s.scalar(select(func.length(DocumentRow.text)).where(DocumentRow.id == document_id))
    if length is None:
        raise NotFoundError(f"no document with id {document_id}")
    return int(length)


def _locked_span(
    s: Session, span_id: int, expected: Mapping[str, Any] | None
) -> tuple[SpanRow, Span, bool]:
    """The span's row, locked until the write (SELECT ... FOR UPDATE on PostgreSQL), its
    values and whether relations link it, in one statement; with `expected`, refused unless it
    still has those values."""
    found = s.execute(
        select(SpanRow, AnnotatorRow.name, LabelRow.name, _HAS_RELATIONS)
        .join(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id)
        .join(LabelRow, SpanRow.label_id == LabelRow.id)
        .where(SpanRow.id == span_id)
        .with_for_update(of=SpanRow)
    ).one_or_none()
    if found is None:
        if expected is not None:
            raise removed_since("the span")
        raise NotFoundError(f"no span with id {span_id}")
    row, annotator, label, has_relations = found
    span = repo.to_span(row, annotator, label)
    if expected is not None and any(getattr(span, key) != value for key, value in expected.items()):
        raise changed_since("the span")
    return row, span, bool(has_relations)


_HAS_RELATIONS = (
    exists()
    .where(or_(RelationRow.head_span_id == SpanRow.id, RelationRow.tail_span_id == SpanRow.id))
    .label("has_relations")
)


_Link = tuple[int, RelationType, relation_rows.SpanEnd, relation_rows.SpanEnd]


def _require_relations_allow(s: Session, links: Sequence[_Link], span_id: int, label: str) -> None:
    """Refuse a relabel to `label` that a relation of the span does not allow (naming each
    such relation, the other span's words and the type's rule): the relations are removed
    first, never left invalid."""
    broken, rules = [], {}
    for _, kind, head, tail in links:
        head_label = label if head[0] == span_id else head[1]
        tail_label = label if tail[0] == span_id else tail[1]
        if kind.allows(head_label, tail_label):
            continue
        other_id, other_label, _, _ = tail if head[0] == span_id else head
        broken.append(f"{kind.name} with {other_label} {_quoted_words(s, other_id)}")
        rules[kind.name] = f"{kind.name} links {kind.ends_text()}"
    if broken:
        many = len(broken) > 1
        raise ConflictError(
            f"a {label} span cannot keep its relation{'s' if many else ''} "
            f"{', '.join(broken)}: {'; '.join(rules.values())}; remove "
            f"{'those relations' if many else 'the relation'} first; nothing was changed"
        )


def _quoted_words(s: Session, span_id: int) -> str:
    """A span's words for a message: quoted, on one line, at most 40 characters."""
    words = s.scalar(
        select(func.substr(DocumentRow.text, SpanRow.start + 1, SpanRow.end - SpanRow.start))
        .select_from(SpanRow)
        .join(DocumentRow, SpanRow.document_id == DocumentRow.id)
        .where(SpanRow.id == span_id)
    )
    words = " ".join(str(words or "").split())
    return f"'{words if len(words) <= 40 else words[:39] + '…'}'"


def _reorder_symmetric(
    s: Session, links: Sequence[_Link], span_id: int, start: int, end: int
) -> Changes:
    """After a resize, turn round each symmetric relation of the span whose later span is now
    its head (storage keeps a symmetric pair's earlier span first, as add_relation does); the
    changes carry each turned relation as removed and added again, with its values."""
    turned = []
    for relation_id, kind, head, tail in links:
        if kind.directed:
            continue
        head_at, tail_at = ((start, end) if e[0] == span_id else e[2:4] for e in (head, tail))
        if (*tail_at, tail[0]) < (*head_at, head[0]):
            turned.append(relation_id)
            s.execute(
                update(RelationRow)
                .where(RelationRow.id == relation_id)
                .values(head_span_id=tail[0], tail_span_id=head[0])
            )
    if not turned:
        return Changes()
    now = relation_rows.relations_where(s, RelationRow.id.in_(turned))
    return Changes(
        relations_removed=tuple(turned),
        relations_added=tuple(turned),
        relations=tuple(now),
        relations_before=tuple(replace(r, head=r.tail, tail=r.head) for r in now),
    )


def _key(annotator_id: int, span: Span) -> tombstones.TombstoneKey:
    """The span's tombstone key (its identity: document, annotator, label, offsets)."""
    return (span.document_id, annotator_id, span.label, span.start, span.end)


def _require_restorable(s: Session, spans: Sequence[Span], labels: Mapping[str, int]) -> None:
    """Refuse to put back spans whose document or label is gone, or whose id or identity the
    layer holds again."""
    wanted = {span.document_id for span in spans}
    present = set(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(wanted))))
    missing = sorted(wanted - present)
    if missing:
        raise removed_since(f"document {missing[0]}")
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


def _record_new_identity(
    s: Session, left: tombstones.TombstoneKey, now: tombstones.TombstoneKey
) -> None:
    """A relabel or resize leaves the span's old identity behind: record it as deleted, so an
    older copy does not bring the pre-edit span back beside the edited one (and forget a
    deletion of the identity it takes, e.g. when an undo moves it back)."""
    tombstones.bury_now(s, [left])
    tombstones.unbury(s, [now])
