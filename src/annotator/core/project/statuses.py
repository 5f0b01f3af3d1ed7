"""The project's document statuses: where each annotator stands with each document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, insert, literal, select
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import NotFoundError
from annotator.core.model import Changes, Status, StatusChange
from annotator.core.project.part import Part
from annotator.core.project.rules import changed_since, removed_since, require, writer_id
from annotator.core.storage import repo
from annotator.core.storage.orm import AnnotatorRow, DocumentRow, DocumentStateRow, utcnow


class Statuses(Part):
    """Reads and writes of document statuses (todo, in progress, done)."""

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

    def done_since(self, since: datetime | None) -> int:
        """How many documents someone marked done after `since` (naive UTC, as stored; None:
        ever) and has as done still."""
        where = [DocumentStateRow.status == Status.DONE.value]
        if since is not None:
            where.append(DocumentStateRow.updated_at > since)
        with self._read() as s:
            query = select(func.count(func.distinct(DocumentStateRow.document_id))).where(*where)
            return s.scalar(query) or 0

    def set_status(
        self, document_id: int, annotator: str, status: Status, *, expected: Status | None = None
    ) -> Changes:
        """Record `annotator`'s status for the document; with `expected`, only while the status
        is still that (compare-and-set, for undo). The changes carry it in `statuses`."""
        return self._write_status(document_id, annotator, Status(status), expected)

    def start_document(self, document_id: int, annotator: str) -> Changes:
        """Move a document the annotator has as todo to in progress ("the first span starts
        it"); any other status stays, and the changes are empty."""
        return self._write_status(document_id, annotator, Status.IN_PROGRESS, None, Status.TODO)

    def _write_status(
        self,
        document_id: int,
        annotator: str,
        status: Status,
        expected: Status | None,
        only_from: Status | None = None,
    ) -> Changes:
        """Write the status (refused unless it is `expected`; skipped unless it is `only_from`),
        reading the current one once, its row locked until the write."""
        annotator = labelrules.normal_name(annotator)
        require(labelrules.annotator_problem(annotator))
        with self._write() as s:
            annotator_id = writer_id(s, annotator)
            row = s.scalar(
                select(DocumentStateRow)
                .where(
                    DocumentStateRow.document_id == document_id,
                    DocumentStateRow.annotator_id == annotator_id,
                )
                .with_for_update()
            )
            was = Status(row.status if row is not None else Status.TODO)
            if expected is not None and was != expected:
                if row is None and not _document_exists(s, document_id):
                    raise removed_since(f"document {document_id}")
                raise changed_since(f"{annotator}'s status of document {document_id}")
            if only_from is not None and was != only_from:
                return Changes()
            if row is not None:
                row.status, row.updated_at = status.value, utcnow()
                s.flush()
            elif not _inserted(s, document_id, annotator_id, status):
                if expected is not None:
                    raise removed_since(f"document {document_id}")
                raise NotFoundError(f"no document with id {document_id}")
        return Changes(
            documents=frozenset({document_id}),
            states=frozenset({(document_id, annotator)}),
            statuses=(StatusChange(document_id, annotator, was, status),),
        )


def _inserted(s: Session, document_id: int, annotator_id: int, status: Status) -> bool:
    """Add the status row if the document exists (one INSERT ... SELECT); whether it did."""
    source = select(
        DocumentRow.id, literal(annotator_id), literal(status.value), literal(utcnow())
    ).where(DocumentRow.id == document_id)
    columns = ("document_id", "annotator_id", "status", "updated_at")
    query = insert(DocumentStateRow).from_select(columns, source)
    added = s.execute(query.execution_options(preserve_rowcount=True))  # an INSERT's count
    return cast(CursorResult[Any], added).rowcount == 1


def _document_exists(s: Session, document_id: int) -> bool:
    return s.scalar(select(DocumentRow.id).where(DocumentRow.id == document_id)) is not None
