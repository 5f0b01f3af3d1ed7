"""Another project file as a merge source, read from a private copy: the file is never written.

The file and its WAL are copied byte for byte (core.storage.filecopy.snapshot): SQLite never
opens them, so neither they nor their `-shm` change, and committed changes still in the WAL
come along. An older schema is upgraded in the copy; some other program's database, a newer
schema, a damaged file or one holding SQL annotator did not create is refused with the same
messages as opening one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from annotator.core.errors import ProjectError
from annotator.core.merge_records import (
    MergeDecision,
    MergeDeletion,
    MergeDocument,
    MergeRejection,
    MergeRelation,
    MergeRelationDeletion,
    MergeRelationRejection,
    MergeSpan,
    MergeSuggestion,
)
from annotator.core.model import LabelKind, SpanSource, Status, SuggestionStatus
from annotator.core.schema import LabelSpec, RelationTypeSpec
from annotator.core.storage import relation_marks, relation_rows, repo
from annotator.core.storage.engine import make_engine
from annotator.core.storage.filecopy import snapshot
from annotator.core.storage.migrate import (
    HEAD,
    check_revision,
    ensure_schema,
    probe_file,
)
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    DocumentStateRow,
    DocumentTokensRow,
    LabelRow,
    RelationRow,
    RelationTombstoneRow,
    ReviewRejectionRow,
    ReviewRelationRejectionRow,
    SpanRow,
    SpanTombstoneRow,
    SuggestionDecisionRow,
    SuggestionRow,
)
from annotator.core.tokenisation import decode_tokens

SQLITE_HEADER = b"SQLite format 3\x00"
_BATCH = 500


def is_sqlite_file(path: Path) -> bool:
    """Whether the file starts like a SQLite database."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


class ProjectFileSource:
    """A project file to merge (a MergeSource); close it (or use `with`) to drop the copy."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        if self.path.is_dir():
            raise ProjectError(f"{self.name}: is a folder, not a project file")
        if not self.path.is_file():
            raise ProjectError(f"{self.name}: no such project file")
        if not is_sqlite_file(self.path):
            raise ProjectError(f"{self.name}: cannot open as a project (not a SQLite database)")
        self._folder = tempfile.TemporaryDirectory(prefix="annotator-merge-")
        self._engine: Engine | None = None
        try:
            copy = snapshot(self.path, Path(self._folder.name), self.name)
            revision, tables = probe_file(copy, self.name)
            if revision is None and not tables:
                raise ProjectError(f"{self.name}: not an annotator project (it has no tables)")
            check_revision(self.name, revision, tables)
            self._engine = make_engine(copy)
            if revision != HEAD:
                ensure_schema(self._engine, None)
        except DatabaseError as exc:
            self.close()
            raise ProjectError(f"{self.name}: cannot read as a project ({exc.orig})") from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Drop the private copy."""
        if self._engine is not None:
            self._engine.dispose()
        self._folder.cleanup()

    def _connect(self) -> Connection:
        """A connection to the private copy."""
        assert self._engine is not None, "opened in __init__, which raises without it"
        return self._engine.connect()

    def __enter__(self) -> ProjectFileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def labels(self) -> list[LabelSpec]:
        """The file's labels in palette order."""
        query = select(LabelRow).order_by(LabelRow.position, LabelRow.id)
        with self._connect() as conn:
            return [
                LabelSpec(row.name, row.color, row.hotkey, row.description, LabelKind(row.kind))
                for row in conn.execute(query)
            ]

    def annotators(self) -> dict[str, bool]:
        """The file's annotators with their gold flag."""
        with self._connect() as conn:
            return dict(conn.execute(select(AnnotatorRow.name, AnnotatorRow.is_gold)).all())

    def relation_types(self) -> list[RelationTypeSpec]:
        """The file's relation types in palette order, with the labels allowed at each end."""
        assert self._engine is not None, "opened in __init__, which raises without it"
        with Session(self._engine) as s:
            return [
                RelationTypeSpec(
                    kind.name,
                    kind.color,
                    kind.hotkey,
                    kind.directed,
                    kind.head_labels,
                    kind.tail_labels,
                    kind.description,
                )
                for kind in relation_rows.relation_types(s)
            ]

    def count(self) -> int:
        """How many documents the file holds."""
        with self._connect() as conn:
            return conn.execute(select(func.count(DocumentRow.id))).scalar_one()

    def documents(self) -> Iterator[MergeDocument]:
        """Every document with its spans, relations, statuses, suggestions, review rejections,
        span and relation deletions and imported tokens, a batch of documents per query."""
        columns = (
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.source,
            DocumentRow.text,
            DocumentRow.meta,
            DocumentRow.normalization,
        )
        last = 0
        with self._connect() as conn:
            while True:
                query = select(*columns).where(DocumentRow.id > last).order_by(DocumentRow.id)
                rows = conn.execute(query.limit(_BATCH)).all()
                if not rows:
                    return
                docs = {
                    doc_id: MergeDocument(text, title, source, dict(meta or {}), normalization)
                    for doc_id, title, source, text, meta, normalization in rows
                }
                _add_spans(conn, docs)
                _add_states(conn, docs)
                _add_suggestions(conn, docs)
                _add_rejections(conn, docs)
                _add_deletions(conn, docs)
                _add_relations(conn, docs)
                _add_tokens(conn, docs)
                yield from docs.values()
                last = rows[-1].id


def _add_spans(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    query = (
        repo.span_marks(SpanRow.source, SpanRow.note, SpanRow.created_at, SpanRow.updated_at)
        .where(SpanRow.document_id.in_(list(docs)))
        .order_by(SpanRow.document_id, SpanRow.start, SpanRow.end, SpanRow.id)
    )
    for doc_id, annotator, label, start, end, source, note, created, updated in conn.execute(query):
        span = MergeSpan(annotator, label, start, end, SpanSource(source), note, created, updated)
        docs[doc_id].spans.append(span)


def _add_states(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    query = (
        select(DocumentStateRow.document_id, AnnotatorRow.name, DocumentStateRow.status)
        .join(AnnotatorRow, DocumentStateRow.annotator_id == AnnotatorRow.id)
        .where(DocumentStateRow.document_id.in_(list(docs)))
    )
    for doc_id, annotator, status in conn.execute(query):
        docs[doc_id].states[annotator] = Status(status)


def _add_suggestions(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    ids = list(docs)
    decisions: dict[int, list[MergeDecision]] = {}
    query = (
        select(
            SuggestionDecisionRow.suggestion_id,
            AnnotatorRow.name,
            SuggestionDecisionRow.status,
            SuggestionDecisionRow.decided_at,
        )
        .join(AnnotatorRow, SuggestionDecisionRow.annotator_id == AnnotatorRow.id)
        .join(SuggestionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id)
        .where(SuggestionRow.document_id.in_(ids))
        .order_by(SuggestionDecisionRow.suggestion_id, AnnotatorRow.name)
    )
    for suggestion_id, annotator, status, decided in conn.execute(query):
        decision = MergeDecision(annotator, SuggestionStatus(status), decided)
        decisions.setdefault(suggestion_id, []).append(decision)
    suggestions = (
        repo.labelled_marks(
            SuggestionRow, SuggestionRow.model, SuggestionRow.score, SuggestionRow.id
        )
        .where(SuggestionRow.document_id.in_(ids))
        .order_by(SuggestionRow.id)
    )
    for doc_id, label, start, end, model, score, suggestion_id in conn.execute(suggestions):
        made = tuple(decisions.get(suggestion_id, ()))
        docs[doc_id].suggestions.append(MergeSuggestion(label, start, end, model, score, made))


def _add_rejections(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    query = repo.labelled_marks(ReviewRejectionRow, ReviewRejectionRow.decided_at).where(
        ReviewRejectionRow.document_id.in_(list(docs))
    )
    for doc_id, label, start, end, decided in conn.execute(query):
        docs[doc_id].rejections.append(MergeRejection(label, start, end, decided))


def _add_deletions(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    tomb = SpanTombstoneRow
    query = (
        select(
            tomb.document_id, AnnotatorRow.name, tomb.label, tomb.start, tomb.end, tomb.deleted_at
        )
        .join(AnnotatorRow, tomb.annotator_id == AnnotatorRow.id)
        .where(tomb.document_id.in_(list(docs)))
    )
    for doc_id, annotator, label, start, end, deleted_at in conn.execute(query):
        docs[doc_id].deletions.append(MergeDeletion(annotator, label, start, end, deleted_at))


def _add_tokens(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    tokens = DocumentTokensRow
    query = select(tokens.document_id, tokens.tokens, tokens.sentence_starts).where(
        tokens.document_id.in_(list(docs))
    )
    for doc_id, stored, sentence_starts in conn.execute(query):
        docs[doc_id].tokens = decode_tokens(stored, sentence_starts)


def _add_relations(conn: Connection, docs: dict[int, MergeDocument]) -> None:
    """The documents' relations, relation deletions and review relation rejections."""
    query = relation_marks.relation_marks(
        RelationRow.source, RelationRow.created_at, RelationRow.updated_at
    ).where(RelationRow.document_id.in_(list(docs)))
    for doc_id, _, who, kind, hl, hs, he, tl, ts, te, source, created, updated in conn.execute(
        query.order_by(RelationRow.id)
    ):
        relation = MergeRelation(
            who, kind, (hl, hs, he), (tl, ts, te), SpanSource(source), created, updated
        )
        docs[doc_id].relations.append(relation)
    gone = relation_marks.tombstone_marks().where(RelationTombstoneRow.document_id.in_(list(docs)))
    for doc_id, who, kind, hl, hs, he, tl, ts, te, deleted_at in conn.execute(gone):
        deletion = MergeRelationDeletion(who, kind, (hl, hs, he), (tl, ts, te), deleted_at)
        docs[doc_id].relation_deletions.append(deletion)
    rejected = relation_marks.rejection_marks().where(
        ReviewRelationRejectionRow.document_id.in_(list(docs))
    )
    for doc_id, kind, _, hl, hs, he, tl, ts, te, decided in conn.execute(rejected):
        rejection = MergeRelationRejection(kind, (hl, hs, he), (tl, ts, te), decided)
        docs[doc_id].relation_rejections.append(rejection)
