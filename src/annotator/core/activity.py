"""Cheap "has anything changed?" values, so a view can pick up work written elsewhere: by
other clients of a server, or by another process on the same SQLite file (a CLI import, a
second app).

A marker is a few aggregates (count, highest id, a checksum of offsets and labels, latest
update) that differ after any add, removal, relabel, resize, relation or status change. The
global one is a few small queries; the per-document ones are read only when it moved. On
SQLite a `CommitWatch` comes first: `PRAGMA data_version` tells in one statement whether any
other connection has committed at all, so an idle project costs no aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.orm import Session

from annotator.core.progress import Progress
from annotator.core.storage.orm import DocumentRow, DocumentStateRow, RelationRow, SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project

Marker = tuple[object, ...]  # aggregate values, only ever compared for equality

_SPAN_AGGREGATES = (
    func.count(SpanRow.id),
    func.max(SpanRow.id),
    func.sum(SpanRow.start + SpanRow.end * 3 + SpanRow.label_id * 7),
    func.max(SpanRow.updated_at),
)
_RELATION_AGGREGATES = (
    func.count(RelationRow.id),
    func.max(RelationRow.id),
    func.sum(RelationRow.head_span_id + RelationRow.tail_span_id * 3 + RelationRow.type_id * 7),
)
_STATUS_CODE = case(
    {"todo": 1, "in_progress": 2, "done": 3, "skipped": 4}, value=DocumentStateRow.status
)
_STATE_AGGREGATES = (
    func.count(),
    func.sum(_STATUS_CODE * DocumentStateRow.annotator_id),  # moves even if clocks disagree
    func.max(DocumentStateRow.updated_at),
)


def change_marker(s: Session) -> Marker:
    """One value for the whole project: documents, spans, statuses and relations."""
    documents = s.execute(select(func.count(DocumentRow.id), func.max(DocumentRow.id))).one()
    spans = s.execute(select(*_SPAN_AGGREGATES)).one()
    states = s.execute(select(*_STATE_AGGREGATES)).one()
    relations = s.execute(select(*_RELATION_AGGREGATES)).one()
    return (*documents, *spans, *states, *relations)


def document_markers(s: Session) -> dict[int, Marker]:
    """One value per document that has spans, statuses or relations."""
    parts = (
        (SpanRow.document_id, _SPAN_AGGREGATES),
        (DocumentStateRow.document_id, _STATE_AGGREGATES),
        (RelationRow.document_id, _RELATION_AGGREGATES),
    )
    found: dict[int, list[tuple[object, ...]]] = {}
    for n, (document, aggregates) in enumerate(parts):
        for doc_id, *values in s.execute(select(document, *aggregates).group_by(document)):
            found.setdefault(doc_id, [(None,) * len(a) for _, a in parts])[n] = tuple(values)
    return {doc_id: sum(values, ()) for doc_id, values in found.items()}


class CommitWatch:
    """Whether another connection has committed to a SQLite project since the last look:
    `PRAGMA data_version` on a connection held for this (one statement, no lock, no snapshot
    kept). Elsewhere (a server) it always answers yes: the change marker is the check there."""

    def __init__(self, engine: Engine) -> None:
        self._connection: Any = engine.raw_connection() if engine.dialect.name == "sqlite" else None
        self._version: int | None = None

    def moved(self) -> bool:
        """True on the first look and whenever another connection committed since the last."""
        if self._connection is None:
            return True
        cursor = self._connection.cursor()
        try:
            version = int(cursor.execute("PRAGMA data_version").fetchone()[0])
        finally:
            cursor.close()
        moved, self._version = version != self._version, version
        return moved

    def close(self) -> None:
        """Give the held connection back."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


@dataclass(frozen=True)
class Activity:
    """What a view has seen: the project's marker and each document's."""

    marker: Marker = ()
    documents: dict[int, Marker] = field(default_factory=dict)

    def listed_differently(self, other: Activity) -> bool:
        """Whether the set of documents differs (added or removed) between two looks."""
        return self.marker[:2] != other.marker[:2]


def poll_activity(
    project: Project,
    seen: Activity | None,
    watch: CommitWatch | None = None,
    progress: Progress | None = None,
) -> tuple[Activity, frozenset[int]]:
    """The project's activity now and the documents changed since `seen` (none the first time).

    `project` is a core Project; with a `watch`, nothing is read while no other connection has
    committed; `progress` lets the UI run this as a background task.
    """
    if watch is not None and not watch.moved() and seen is not None:
        return seen, frozenset()
    marker = project.change_marker()
    if seen is not None and marker == seen.marker:
        return seen, frozenset()
    now = Activity(marker, project.document_markers())
    if seen is None:
        return now, frozenset()
    ids = now.documents.keys() | seen.documents.keys()
    return now, frozenset(i for i in ids if now.documents.get(i) != seen.documents.get(i))
