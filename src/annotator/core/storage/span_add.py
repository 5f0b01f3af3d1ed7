"""The statements that add one span (core.project.spans.Spans.add_span), built once at import
and sent through the connection (the ORM's per-statement cost was most of a key press's CPU).

`LOOKUP` reads what an add needs in one statement: the document's text length, the label's id
and kind, the annotator's id (None where missing). `INSERT` stores the span.

`ADD_AT_ONCE` (PostgreSQL only: it needs a data-modifying WITH) is the whole add in one
statement: the look-ups (`found`), the insert only when they allow it (`added`), the removal of
the span's tombstone only when it was inserted (`forgotten`); it returns the look-ups with the
new id, None when nothing was inserted (the caller then says why from the look-ups). Outside a
transaction it runs alone in autocommit, so an add is one round trip to the server. A duplicate
span fails on the unique constraint, as the plain insert does (IntegrityError). `add_at_once`
sends it straight to the driver (core.storage.driver): SQLAlchemy's execution of it cost twice
the CPU of the rest of an add, and ten annotators' adds share a server's cores.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
)

from annotator.core.model import LabelKind
from annotator.core.storage.driver import DriverStatement
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SpanTombstoneRow,
)

_VALUES = ("document_id", "start", "end", "source", "note", "created_at", "updated_at")
"""ADD_AT_ONCE's parameters besides `label` and `annotator` (SpanRow's columns)."""


def _parameter(name: str) -> BindParameter[Any]:
    return bindparam(name, type_=SpanRow.__table__.c[name].type)


def _lookup(document: BindParameter[Any], label: BindParameter[Any]) -> Select[Any]:
    return select(
        select(func.length(DocumentRow.text))
        .where(DocumentRow.id == document)
        .scalar_subquery()
        .label("length"),
        select(LabelRow.id).where(LabelRow.name == label).scalar_subquery().label("label_id"),
        select(LabelRow.kind).where(LabelRow.name == label).scalar_subquery().label("kind"),
        select(AnnotatorRow.id)
        .where(AnnotatorRow.name == bindparam("annotator", type_=AnnotatorRow.name.type))
        .scalar_subquery()
        .label("annotator_id"),
    )


def _add_at_once() -> Select[Any]:
    values = {name: _parameter(name) for name in _VALUES}
    document, start, end = values["document_id"], values["start"], values["end"]
    label = bindparam("label", type_=LabelRow.name.type)
    found = _lookup(document, label).cte("found")
    allowed = and_(
        found.c.annotator_id.is_not(None),
        found.c.kind == literal(LabelKind.SPAN.value),
        literal(0) <= start,
        start < end,
        end <= found.c.length,
    )
    added = (
        insert(SpanRow)
        .from_select(
            ["document_id", "annotator_id", "label_id", *_VALUES[1:]],
            select(
                document,
                found.c.annotator_id,
                found.c.label_id,
                *(values[name] for name in _VALUES[1:]),
            ).where(allowed),
        )
        .returning(SpanRow.id)
        .cte("added")
    )
    forgotten = delete(SpanTombstoneRow).where(
        SpanTombstoneRow.document_id == document,
        SpanTombstoneRow.annotator_id == select(found.c.annotator_id).scalar_subquery(),
        SpanTombstoneRow.label == label,
        SpanTombstoneRow.start == start,
        SpanTombstoneRow.end == end,
        exists(select(added.c.id)),
    )
    return select(
        found.c.length,
        found.c.label_id,
        found.c.kind,
        found.c.annotator_id,
        select(added.c.id).scalar_subquery().label("span_id"),
    ).add_cte(forgotten.cte("forgotten"))


LOOKUP = _lookup(bindparam("document_id"), bindparam("label"))
"""Parameters: document_id, label, annotator."""
INSERT = insert(SpanRow).returning(SpanRow.id)
ADD_AT_ONCE = DriverStatement(_add_at_once())
"""Parameters: label, annotator and the span's document_id, start, end, source, note,
created_at, updated_at."""


class Found(NamedTuple):
    """ADD_AT_ONCE's row: the look-ups (None where missing) and the new span's id (None when
    nothing was inserted)."""

    length: int | None
    label_id: int | None
    kind: str | None
    annotator_id: int | None
    span_id: int | None


def add_at_once(conn: Connection, params: dict[str, Any]) -> Found:
    """Run ADD_AT_ONCE on `conn` (PostgreSQL) with `params` (see ADD_AT_ONCE)."""
    row = ADD_AT_ONCE.first_row(conn, params)
    assert row is not None  # its look-ups are one row whatever they find
    return Found(*row)
