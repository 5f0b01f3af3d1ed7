"""The project's documents: adding, importing and merging them, and listing them filtered."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from annotator.core.errors import NotFoundError
from annotator.core.model import (
    Changes,
    Document,
    DocumentSummary,
    ImportedDocument,
    Status,
    Tokenisation,
)
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project.part import Part
from annotator.core.project.store import Store
from annotator.core.storage import repo
from annotator.core.storage.orm import DocumentRow, DocumentTokensRow
from annotator.core.storage.search import text_matches
from annotator.core.tokenisation import decode_tokens

if TYPE_CHECKING:
    from annotator.core.importing import ImportReport
    from annotator.core.merge_records import MergeReport


SUMMARY_BATCH = 1_000
"""Rows of the document list read at a time by iter_summaries."""
_COLUMNS = (
    DocumentRow.id,
    DocumentRow.title,
    DocumentRow.source,
    DocumentRow.text,
    DocumentRow.sha256,
    DocumentRow.meta,
)
"""A Document's fields in order."""


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Which documents a list shows; statuses and labels are one annotator's when given."""

    annotator: str | None = None
    status: Status | None = None
    label: str | None = None
    search: str | None = None
    ids: tuple[int, ...] | None = None


class Documents(Part):
    """Documents in and out, and the filtered document list."""

    def add_document(
        self,
        text: str,
        title: str = "",
        source: str = "",
        meta: dict[str, Any] | None = None,
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
        add_labels: bool = False,
    ) -> ImportReport:
        """Store documents and their spans in one transaction (see core.importing); labels the
        project lacks refuse the import unless `add_labels`."""
        from annotator.core.importing import import_documents

        with self._write() as s:
            return import_documents(
                s, documents, annotator, progress or NullProgress(), add_labels=add_labels
            )

    def merge(self, sources: Sequence[Any], *, progress: Progress | None = None) -> MergeReport:
        """Bring other projects' work (core.merge_records.MergeSource) in, in one transaction."""
        from annotator.core.merge import merge_sources

        with self._write() as s:
            return merge_sources(s, sources, progress or NullProgress())

    def document(self, document_id: int) -> Document:
        """One document with its text, or NotFoundError."""
        with self._read() as s:
            return repo.to_document(repo.document_row(s, document_id))

    def document_ids(
        self, where: DocumentFilter = DocumentFilter(), *, order: str = "id"
    ) -> list[int]:
        """Ids of every document the filter lets through, in id order or in an order of
        `documents` (ascending): one statement that reads no list column it does not sort by."""
        with self._read() as s:
            conditions, annotator_id = self._conditions(s, where)
            query = select(DocumentRow.id).where(*conditions)
            return list(s.scalars(repo.ordered(query, order, False, annotator_id)))

    def tokenisations(self, document_ids: Sequence[int]) -> dict[int, Tokenisation]:
        """The imported tokens and sentences of those documents that have them, by document:
        one query per 500 documents."""
        found: dict[int, Tokenisation] = {}
        ids = list(document_ids)
        with self._read() as s:
            for start in range(0, len(ids), 500):
                rows = s.execute(
                    select(
                        DocumentTokensRow.document_id,
                        DocumentTokensRow.tokens,
                        DocumentTokensRow.sentence_starts,
                    ).where(DocumentTokensRow.document_id.in_(ids[start : start + 500]))
                )
                found.update((doc_id, decode_tokens(t, ss)) for doc_id, t, ss in rows)
        return found

    def iter_documents(
        self, where: DocumentFilter = DocumentFilter(), *, batch: int = 200
    ) -> Iterator[Document]:
        """Every document the filter lets through, with its text, fetched a batch at a time."""
        for doc_id, title, source, text, sha256, meta in self._pages(where, _COLUMNS, batch):
            yield Document(doc_id, title, source, text, sha256, dict(meta or {}))

    def iter_texts(
        self, where: DocumentFilter = DocumentFilter(), *, batch: int = 500
    ) -> Iterator[tuple[int, str]]:
        """(id, text) of every document the filter lets through, in id order, a batch at a
        time: plain rows for corpus-wide passes (a suggestion run)."""
        rows = self._pages(where, (DocumentRow.id, DocumentRow.text), batch)
        yield from ((document_id, text) for document_id, text in rows)

    def _pages(
        self, where: DocumentFilter, columns: Sequence[Any], batch: int
    ) -> Iterator[Sequence[Any]]:
        """Rows of `columns` (the document id first) of the filtered documents, in id order,
        read `batch` at a time, each page after the last id of the one before."""
        last_id = 0
        while True:
            with self._read() as s:
                conditions, _ = self._conditions(s, where)
                rows = s.execute(
                    select(*columns)
                    .where(DocumentRow.id > last_id, *conditions)
                    .order_by(DocumentRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield from rows
            last_id = rows[-1][0]

    def documents(
        self,
        where: DocumentFilter = DocumentFilter(),
        *,
        offset: int = 0,
        limit: int | None = None,
        order: str = "id",
        descending: bool = False,
    ) -> list[DocumentSummary]:
        """A page of the document list, filtered, sorted by id, title, date (undated last),
        source, status, spans or length (id breaks ties), or "uncertain" (repo.UNCERTAIN:
        documents not done with the least sure pending suggestions first); an unknown `order`
        raises ValueError."""
        with self._read() as s:
            conditions, annotator_id = self._conditions(s, where)
            return repo.summaries(
                s, conditions, annotator_id, offset, limit, order=order, descending=descending
            )

    def iter_summaries(
        self,
        where: DocumentFilter = DocumentFilter(),
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> Iterator[DocumentSummary]:
        """The rows of `documents` in id order, read SUMMARY_BATCH at a time (each page starts
        after the last id of the one before), so a list of any length is never held whole.
        Reads inside the caller's snapshot when there is one."""
        last_id, skip, left = 0, offset, limit
        while left is None or left > 0:
            size = SUMMARY_BATCH if left is None else min(SUMMARY_BATCH, left)
            with self._read() as s:
                conditions, annotator_id = self._conditions(s, where)
                after = [DocumentRow.id > last_id, *conditions]
                rows = repo.summaries(s, after, annotator_id, skip, size)
            yield from rows
            if len(rows) < size:
                return
            last_id, skip = rows[-1].id, 0
            left = None if left is None else left - len(rows)

    def count_documents(self, where: DocumentFilter = DocumentFilter()) -> int:
        """How many documents the filter lets through."""
        with self._read() as s:
            conditions, _ = self._conditions(s, where)
            return s.scalar(select(func.count(DocumentRow.id)).where(*conditions)) or 0

    def _conditions(
        self, s: Session, where: DocumentFilter
    ) -> tuple[list[ColumnElement[bool]], ColumnElement[Any] | None]:
        """SQL conditions for a filter, and the annotator id they refer to (a subquery, so the
        list costs one statement; NULL for an unknown name: every status todo, no spans)."""
        annotator_id = None
        if where.annotator is not None:
            annotator_id = repo.annotator_id_of(where.annotator)
        conditions: list[ColumnElement[bool]] = []
        if where.status is not None:
            conditions.append(repo.status_condition(Status(where.status), annotator_id))
        if where.label is not None:
            label_id = repo.label_id(s, where.label)
            if label_id is None:
                raise NotFoundError(f"no label named {where.label!r}")
            conditions.append(repo.label_condition(label_id, annotator_id))
        if where.search:
            also: tuple[ColumnElement[str], ...] = (DocumentRow.source.expression, repo.ISO_DATE)
            conditions.append(text_matches(where.search, self._store.use_fts, also))
        if where.ids is not None:
            conditions.append(DocumentRow.id.in_(where.ids))
        return conditions, annotator_id


def ranked_document_ids(
    location: str, where: DocumentFilter, order: str, *, progress: Progress
) -> list[int]:
    """Task body for a worker: `document_ids(where, order=order)` of the project at
    `location` (it opens its own store), for a list whose order costs too much to read a page
    at a time on the GUI thread (repo.UNCERTAIN)."""
    check_cancelled(progress)
    with Store(location) as store:
        return Documents(store).document_ids(where, order=order)
