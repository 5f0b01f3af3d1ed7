"""Project: one annotation project (a SQLite file), its queries and its mutations.

Used by the UI and the CLI alike. Every mutation is its own committed transaction and returns
`Changes` naming what it touched; only dataclasses leave this class.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from annotator.core import labelrules
from annotator.core.bulk_accept import BulkAcceptMethods
from annotator.core.errors import ConflictError, NotFoundError, ProjectError
from annotator.core.intervals import SpanIndex
from annotator.core.model import (
    Annotator,
    Changes,
    Document,
    DocumentSummary,
    ImportedDocument,
    Label,
    LabelKind,
    Span,
    SpanSource,
    Status,
)
from annotator.core.progress import NullProgress, Progress
from annotator.core.review_store import ReviewMethods
from annotator.core.storage import repo, tombstones
from annotator.core.storage.engine import display_name, is_url, make_engine
from annotator.core.storage.failures import reason, storage_errors
from annotator.core.storage.filecopy import (
    checkpoint,
    read_only_side_file,
    unreadable_side_file,
    write_copy,
)
from annotator.core.storage.migrate import ensure_schema
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    DocumentStateRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    utcnow,
)
from annotator.core.storage.search import has_fts_index, text_matches
from annotator.core.suggestion_store import SuggestionMethods
from annotator.core.undo_store import UndoMethods

SOURCES = {source.value: source for source in SpanSource}
"""Each stored `source` string's SpanSource (a dict look-up is cheaper than the enum call)."""
_KEEP = object()
"""Sentinel: leave this field as it is."""
_NOT_APPLIED = (
    "the change did not apply: someone else removed the item, or the server lets you change "
    "only your own layer; nothing was changed"
)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Which documents a list shows; statuses and labels are one annotator's when given."""

    annotator: str | None = None
    status: Status | None = None
    label: str | None = None
    search: str | None = None
    ids: tuple[int, ...] | None = None


class Project(SuggestionMethods, BulkAcceptMethods, ReviewMethods, UndoMethods):
    """An open project file (or server database)."""

    def __init__(self, target: str | Path, *, create: bool = False) -> None:
        self.location = display_name(target)
        self.path = None if is_url(target) else Path(target).expanduser().resolve()
        if self.path is not None:
            _check_file(self.path, create)
        self._engine = make_engine(target)
        self._reader = make_engine(target, writer=False)
        try:
            self.backup = ensure_schema(self._engine, self.path)
            with self._engine.connect() as conn:
                self._use_fts = has_fts_index(conn)
        except DatabaseError as exc:
            self._release()
            raise ProjectError(
                f"{self.location}: cannot open as a project ({reason(exc)})"
            ) from None
        except ProjectError:
            self._release()
            raise
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)
        self._transaction = threading.local()  # .session: this thread's open transaction()
        self._snapshots = threading.local()  # .session: this thread's snapshot, if one is open

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, target: str | Path, labels: Sequence[Any] | None = None) -> Project:
        """Make a new project at head schema with the given label specs (default schema if None)."""
        if not is_url(target) and Path(target).exists() and Path(target).stat().st_size > 0:
            raise ProjectError(f"{target}: a file already exists there; open it or pick a new name")
        project = cls(target, create=True)
        if is_url(target) and (project.labels() or project.count_documents()):
            project.close()
            raise ProjectError(f"{project.location}: already holds a project; open it instead")
        if not project.labels():
            if labels is None:
                from annotator.core.schema import default_schema

                labels = default_schema()
            project.add_labels(labels)
        return project

    @classmethod
    def open(cls, target: str | Path, *, create: bool = False) -> Project:
        """Open an existing project; with `create`, make it (default schema) when missing."""
        if create and not is_url(target) and not Path(target).exists():
            return cls.create(target)
        return cls(target)

    def close(self) -> None:
        """Release the database (all changes are already committed), after moving the WAL's
        content into the file so the .db alone holds the project (closing ends bulk work)."""
        self.checkpoint()
        self._release()

    def _release(self) -> None:
        self._engine.dispose()
        self._reader.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> bool:
        """Move committed changes from the WAL into the project file without waiting for other
        connections; True when a copy of the .db alone now holds every commit."""
        return checkpoint(self._engine)

    def save_copy(self, out: Path) -> None:
        """Write a complete copy of the project file to the new file `out` (SQLite's backup
        API: changes still in the WAL come along); an existing file is refused."""
        if self.path is None:
            raise ProjectError(f"{self.location}: a server database has no file to copy")
        with storage_errors(self.location), self._reader.connect() as conn:
            write_copy(conn.connection.driver_connection, Path(out))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every read and write of this thread inside the block one transaction: committed
        at its end, rolled back whole on an exception (a composite command, all or nothing).
        A nested block joins the outer one."""
        if getattr(self._transaction, "session", None) is not None:
            yield
            return
        with self._write() as session:
            self._transaction.session = session
            try:
                yield
            finally:
                self._transaction.session = None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One committed write transaction (BEGIN IMMEDIATE on SQLite); inside `transaction()`,
        part of it (no savepoint: a failure rolls the whole transaction back, and SQLite may
        already have, e.g. on a full disk)."""
        outer = getattr(self._transaction, "session", None)
        try:
            with storage_errors(self.location):
                if outer is not None:
                    yield outer
                else:
                    with self._sessions() as session, session.begin():
                        yield session
        except StaleDataError:  # an UPDATE matched no row
            raise ConflictError(_NOT_APPLIED) from None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read session that never takes the write lock (deferred BEGIN); inside
        `transaction()`, that transaction, so reads see its writes; inside `snapshot()`, that
        block's session."""
        held = getattr(self._transaction, "session", None) or getattr(
            self._snapshots, "session", None
        )
        with storage_errors(self.location):
            if held is not None:
                yield held
                return
            with self._read_sessions() as session:
                yield session

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this thread inside the block sees the project at one moment: one read
        transaction (REPEATABLE READ on a server, one WAL snapshot on SQLite) whatever others
        commit meanwhile. Blocks nest; writes are not affected."""
        if getattr(self._snapshots, "session", None) is not None:
            yield
            return
        with storage_errors(self.location), self._read_sessions() as session, session.begin():
            self._snapshots.session = session
            try:
                yield
            finally:
                self._snapshots.session = None

    @property
    def engine(self):
        """The SQLAlchemy engine (for bulk paths in core and for tests)."""
        return self._engine

    @property
    def read_engine(self):
        """The engine for long read-only work (no write lock; one snapshot on a server)."""
        return self._reader

    # -- labels --------------------------------------------------------------------------

    def labels(self) -> list[Label]:
        """Every label in palette order."""
        with self._read() as s:
            rows = s.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
            return [repo.to_label(row) for row in rows]

    def label(self, name: str) -> Label:
        """The label of that name, or NotFoundError."""
        with self._read() as s:
            return repo.to_label(repo.label_row(s, name))

    def add_labels(self, specs: Sequence[Any]) -> Changes:
        """Add several labels (objects with name, color, hotkey, description, kind) at once."""
        changes = Changes()
        for spec in specs:
            changes |= self.add_label(
                spec.name, spec.color, spec.hotkey, spec.description, LabelKind(spec.kind)
            )
        return changes

    def add_label(
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        description: str = "",
        kind: LabelKind = LabelKind.SPAN,
        *,
        label_id: int | None = None,
        position: int | None = None,
    ) -> Changes:
        """Add a label; a colour is picked from the colour-blind-safe palette when not given."""
        name = labelrules.normal_name(name)
        _require(labelrules.name_problem(name))
        _require(labelrules.hotkey_problem(hotkey))
        _require(labelrules.description_problem(description))
        with self._write() as s:
            existing = s.execute(select(LabelRow.name, LabelRow.color, LabelRow.hotkey)).all()
            if any(row.name.casefold() == name.casefold() for row in existing):
                raise ConflictError(f"a label named {name!r} already exists")
            _require(labelrules.lookalike_problem("label", name, (row.name for row in existing)))
            if hotkey is not None and any(row.hotkey == hotkey for row in existing):
                raise ConflictError(f"hotkey {hotkey!r} is already used by another label")
            if color is None:
                from annotator.core.labelrules import next_color

                color = next_color(row.color for row in existing)
            normal = labelrules.normalize_color(color)
            if normal is None:
                raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
            if position is None:
                position = (s.scalar(select(func.max(LabelRow.position))) or 0) + 1
            s.add(
                LabelRow(
                    id=label_id,
                    name=name,
                    color=normal,
                    hotkey=hotkey,
                    description=description,
                    kind=LabelKind(kind).value,
                    position=position,
                )
            )
        return Changes(labels=frozenset({name}))

    def update_label(
        self,
        name: str,
        *,
        new_name: Any = _KEEP,
        color: Any = _KEEP,
        hotkey: Any = _KEEP,
        description: Any = _KEEP,
    ) -> Changes:
        """Rename, recolour, re-key or describe a label (only the fields given change)."""
        with self._write() as s:
            row = repo.label_row(s, name)
            if new_name is not _KEEP:
                new_name = labelrules.normal_name(new_name)
            if new_name is not _KEEP and new_name != row.name:
                _require(labelrules.name_problem(new_name))
                clash = s.scalar(
                    select(LabelRow.id).where(
                        func.lower(LabelRow.name) == new_name.lower(), LabelRow.id != row.id
                    )
                )
                if clash is not None:
                    raise ConflictError(f"a label named {new_name!r} already exists")
                others = s.scalars(select(LabelRow.name).where(LabelRow.id != row.id))
                _require(labelrules.lookalike_problem("label", new_name, others))
                row.name = new_name
            if color is not _KEEP:
                normal = labelrules.normalize_color(color)
                if normal is None:
                    raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
                row.color = normal
            if hotkey is not _KEEP:
                _require(labelrules.hotkey_problem(hotkey))
                holder = s.scalar(
                    select(LabelRow.name).where(LabelRow.hotkey == hotkey, LabelRow.id != row.id)
                )
                if hotkey is not None and holder is not None:
                    raise ConflictError(f"hotkey {hotkey!r} is already used by label {holder!r}")
                row.hotkey = hotkey
            if description is not _KEEP:
                _require(labelrules.description_problem(description))
                row.description = description
            return Changes(labels=frozenset({name, row.name}))

    def label_usage(self, name: str) -> int:
        """How many spans (of any annotator) carry the label."""
        with self._read() as s:
            label_id = repo.label_row(s, name).id
            return s.scalar(select(func.count(SpanRow.id)).where(SpanRow.label_id == label_id))

    def remove_label(self, name: str, *, force: bool = False) -> Changes:
        """Remove a label; refused while spans use it unless `force`, which removes them too."""
        with self._write() as s:
            row = repo.label_row(s, name)
            span_ids = s.scalars(select(SpanRow.id).where(SpanRow.label_id == row.id)).all()
            if span_ids and not force:
                raise ConflictError(
                    f"label {name!r} is used by {len(span_ids)} span(s); "
                    "remove them first or force the removal"
                )
            buried = tombstones.span_keys(s, SpanRow.label_id == row.id)
            s.execute(delete(SpanRow).where(SpanRow.label_id == row.id))
            tombstones.bury_now(s, buried)
            s.execute(delete(SuggestionRow).where(SuggestionRow.label_id == row.id))
            s.delete(row)
            return Changes(labels=frozenset({name}), spans_removed=tuple(span_ids))

    # -- annotators ----------------------------------------------------------------------

    def annotators(self) -> list[Annotator]:
        """Every annotator who has been named in this project."""
        with self._read() as s:
            rows = s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.name))
            return [repo.to_annotator(row) for row in rows]

    def set_gold(self, name: str) -> Changes:
        """Mark one annotator as the gold (adjudicated) layer; nobody else stays gold."""
        name = labelrules.normal_name(name)
        _require(labelrules.annotator_problem(name))
        with self._write() as s:
            gold_id = _writer_id(s, name)
            for row in s.scalars(select(AnnotatorRow)):
                row.is_gold = row.id == gold_id
        return Changes()

    # -- documents -----------------------------------------------------------------------

    def add_document(
        self,
        text: str,
        title: str = "",
        source: str = "",
        meta: dict | None = None,
        *,
        verbatim: bool = False,
    ) -> Changes:
        """Store one document (canonicalised unless `verbatim`); an identical text is reused."""
        report = self.import_documents(
            [ImportedDocument(text, title, source, dict(meta or {}), verbatim=verbatim)]
        )
        return Changes(documents=frozenset(report.document_ids))

    def import_documents(
        self,
        documents: Sequence[ImportedDocument],
        *,
        annotator: str | None = None,
        progress: Progress | None = None,
    ):
        """Store documents and their spans in one transaction (see core.importing)."""
        from annotator.core.importing import import_documents

        with self._write() as s:
            return import_documents(s, documents, annotator, progress or NullProgress())

    def merge(self, sources: Sequence[Any], *, progress: Progress | None = None):
        """Bring other projects' work (core.merge_records.MergeSource) in, in one transaction."""
        from annotator.core.merge import merge_sources

        with self._write() as s:
            return merge_sources(s, sources, progress or NullProgress())

    def document(self, document_id: int) -> Document:
        """One document with its text, or NotFoundError."""
        with self._read() as s:
            return repo.to_document(repo.document_row(s, document_id))

    def document_ids(self, where: DocumentFilter = DocumentFilter()) -> list[int]:
        """Ids of every document the filter lets through, in id order."""
        with self._read() as s:
            conditions, _ = self._conditions(s, where)
            return list(
                s.scalars(select(DocumentRow.id).where(*conditions).order_by(DocumentRow.id))
            )

    def iter_documents(
        self, where: DocumentFilter = DocumentFilter(), *, batch: int = 200
    ) -> Iterator[Document]:
        """Every document the filter lets through, with its text, fetched a batch at a time."""
        last_id = 0
        while True:
            with self._read() as s:
                conditions, _ = self._conditions(s, where)
                rows = s.scalars(
                    select(DocumentRow)
                    .where(DocumentRow.id > last_id, *conditions)
                    .order_by(DocumentRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield from (repo.to_document(row) for row in rows)
            last_id = rows[-1].id

    def documents(
        self,
        where: DocumentFilter = DocumentFilter(),
        *,
        offset: int = 0,
        limit: int | None = None,
        order: str = "id",
        descending: bool = False,
    ) -> list[DocumentSummary]:
        """A page of the document list, filtered, sorted by id, title, status, spans or length
        (id breaks ties); an unknown `order` raises ValueError."""
        with self._read() as s:
            conditions, annotator_id = self._conditions(s, where)
            return repo.summaries(
                s, conditions, annotator_id, offset, limit, order=order, descending=descending
            )

    def count_documents(self, where: DocumentFilter = DocumentFilter()) -> int:
        """How many documents the filter lets through."""
        with self._read() as s:
            conditions, _ = self._conditions(s, where)
            return s.scalar(select(func.count(DocumentRow.id)).where(*conditions))

    def _conditions(self, s: Session, where: DocumentFilter):
        """SQL conditions for a filter, and the annotator id they refer to."""
        annotator_id = None
        if where.annotator is not None:
            annotator_id = repo.annotator_id(s, where.annotator, create=False)
            if annotator_id is None:
                annotator_id = -1  # nobody: every status is todo, no spans
        conditions = []
        if where.status is not None:
            conditions.append(repo.status_condition(Status(where.status), annotator_id))
        if where.label is not None:
            label_id = repo.label_ids(s).get(where.label)
            if label_id is None:
                raise NotFoundError(f"no label named {where.label!r}")
            conditions.append(repo.label_condition(label_id, annotator_id))
        if where.search:
            conditions.append(text_matches(where.search, self._use_fts))
        if where.ids is not None:
            conditions.append(DocumentRow.id.in_(where.ids))
        return conditions, annotator_id

    # -- spans ---------------------------------------------------------------------------

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

        def make(row: tuple) -> Span:
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
        """Store a span of `annotator`'s layer; `span_id` restores a removed span exactly."""
        annotator = labelrules.normal_name(annotator)
        _require(labelrules.annotator_problem(annotator))
        with self._write() as s:
            doc = repo.document_row(s, document_id)
            _check_offsets(start, end, len(doc.text))
            label_row = repo.label_row(s, label)
            if label_row.kind != LabelKind.SPAN:
                raise ConflictError(f"label {label!r} marks whole documents, not spans")
            row = SpanRow(
                id=span_id,
                document_id=document_id,
                annotator_id=_writer_id(s, annotator),
                label_id=label_row.id,
                start=start,
                end=end,
                source=SpanSource(source).value,
                note=note,
                created_at=created_at or utcnow(),
                updated_at=utcnow(),
            )
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise ConflictError(
                    f"{annotator} already marked [{start}, {end}) as {label} in this document"
                ) from None
            tombstones.unbury(s, [(document_id, row.annotator_id, label_row.name, start, end)])
            return Changes(documents=frozenset({document_id}), spans_added=(row.id,))

    def _writer(self, s: Session, name: str) -> int:
        """The id of annotator `name` for a write (added on first use, see _writer_id)."""
        name = labelrules.normal_name(name)
        _require(labelrules.annotator_problem(name))
        return _writer_id(s, name)

    def remove_span(self, span_id: int) -> Changes:
        """Delete a span."""
        with self._write() as s:
            document_id = repo.span_row(s, span_id).document_id
            buried = tombstones.span_keys(s, SpanRow.id == span_id)
            if s.execute(delete(SpanRow).where(SpanRow.id == span_id)).rowcount != 1:
                raise ConflictError(_NOT_APPLIED)  # hidden by a server's row-level security
            tombstones.bury_now(s, buried)
            return Changes(documents=frozenset({document_id}), spans_removed=(span_id,))

    def relabel_span(self, span_id: int, label: str) -> Changes:
        """Give a span another label."""
        return self._update_span(span_id, label=label)

    def resize_span(self, span_id: int, start: int, end: int) -> Changes:
        """Move a span's boundaries."""
        return self._update_span(span_id, start=start, end=end)

    def set_span_note(self, span_id: int, note: str) -> Changes:
        """Attach a free-text note to a span."""
        return self._update_span(span_id, note=note)

    def _update_span(
        self,
        span_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
        note: str | None = None,
    ) -> Changes:
        with self._write() as s:
            row = repo.span_row(s, span_id)
            (left,) = tombstones.span_keys(s, SpanRow.id == span_id)
            if label is not None:
                row.label_id = repo.label_row(s, label).id
            if start is not None and end is not None:
                text_length = s.scalar(
                    select(func.length(DocumentRow.text)).where(DocumentRow.id == row.document_id)
                )
                _check_offsets(start, end, text_length)
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
            _record_new_identity(s, left, span_id)
            return Changes(documents=frozenset({row.document_id}), spans_updated=(span_id,))

    def restore_spans(self, spans: Sequence[Span]) -> Changes:
        """Put back spans as they were (same ids and values), for undo. Their deletion is
        forgotten, and `updated_at` is now: the restoration wins over the deletion wherever a
        merge has taken that deletion."""
        with self._write() as s:
            labels, now, restored = repo.label_ids(s), utcnow(), []
            for span in spans:
                annotator_id = repo.annotator_id(s, span.annotator, create=True)
                s.add(
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
            tombstones.unbury(s, restored)
        return Changes(
            documents=frozenset(span.document_id for span in spans),
            spans_added=tuple(span.id for span in spans),
        )

    # -- document state ------------------------------------------------------------------

    def status(self, document_id: int, annotator: str) -> Status:
        """Where `annotator` stands with the document (todo when never touched)."""
        with self._read() as s:
            annotator_id = repo.annotator_id(s, annotator, create=False)
            found = s.scalar(
                select(DocumentStateRow.status).where(
                    DocumentStateRow.document_id == document_id,
                    DocumentStateRow.annotator_id == annotator_id,
                )
            )
            return Status(found or Status.TODO)

    def states(self, document_id: int) -> dict[str, Status]:
        """Every recorded status for the document, by annotator name."""
        with self._read() as s:
            rows = s.execute(
                select(AnnotatorRow.name, DocumentStateRow.status)
                .join(DocumentStateRow, DocumentStateRow.annotator_id == AnnotatorRow.id)
                .where(DocumentStateRow.document_id == document_id)
            )
            return {name: Status(status) for name, status in rows}

    def set_status(self, document_id: int, annotator: str, status: Status) -> Changes:
        """Record `annotator`'s status for the document."""
        annotator = labelrules.normal_name(annotator)
        _require(labelrules.annotator_problem(annotator))
        status = Status(status)
        with self._write() as s:
            repo.document_row(s, document_id)
            annotator_id = _writer_id(s, annotator)
            row = s.get(DocumentStateRow, (document_id, annotator_id))
            if row is None:
                s.add(DocumentStateRow(document_id=document_id, annotator_id=annotator_id))
                s.flush()
                row = s.get(DocumentStateRow, (document_id, annotator_id))
            row.status = status.value
            row.updated_at = utcnow()
        return Changes(
            documents=frozenset({document_id}), states=frozenset({(document_id, annotator)})
        )

    # -- statistics ----------------------------------------------------------------------

    def change_marker(self) -> tuple:
        """A cheap value that moves whenever documents, spans or statuses change."""
        from annotator.core.activity import change_marker

        with self._read() as s:
            return change_marker(s)

    def document_markers(self) -> dict[int, tuple]:
        """Per document, a value that moves whenever its spans or statuses change."""
        from annotator.core.activity import document_markers

        with self._read() as s:
            return document_markers(s)

    def stats(self):
        """Counts of documents, spans per label and annotator, and statuses (core.stats)."""
        from annotator.core.stats import project_stats

        with self._read() as s:
            return project_stats(s)


def _writer_id(s: Session, name: str) -> int:
    """The id of annotator `name`, added on first use unless the name passes for another's."""
    found = repo.annotator_id(s, name, create=False)
    if found is not None:
        return found
    _require(labelrules.lookalike_problem("annotator", name, repo.annotator_ids(s)))
    return repo.annotator_id(s, name, create=True)


def _require(problem: str | None) -> None:
    if problem is not None:
        raise ConflictError(problem)


def _record_new_identity(s: Session, left: tombstones.TombstoneKey, span_id: int) -> None:
    """A relabel or resize leaves the span's old identity behind: record it as deleted, so an
    older copy does not bring the pre-edit span back beside the edited one (and forget a
    deletion of the identity it takes, e.g. when an undo moves it back)."""
    (now,) = tombstones.span_keys(s, SpanRow.id == span_id)
    if now != left:
        tombstones.bury_now(s, [left])
        tombstones.unbury(s, [now])


def _check_offsets(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ConflictError("span offsets must be integers")
    if not 0 <= start < end <= length:
        raise ConflictError(
            f"span [{start}, {end}) does not fit the text (0 <= start < end <= {length})"
        )


def _check_file(path: Path, create: bool) -> None:
    """Refuse paths that cannot hold a project before SQLite makes a file there."""
    if path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if not path.exists() and not create:
        raise ProjectError(f"{path}: no such project file (create it with `annotator init`)")
    if not path.parent.is_dir():
        raise ProjectError(f"{path.parent}: no such folder")
    problem = unreadable_side_file(path, str(path))
    if problem:
        raise ProjectError(f"{problem}, which would be missing; ask its owner to open and close it")
    problem = read_only_side_file(path, str(path))
    if problem:
        raise ProjectError(problem)
