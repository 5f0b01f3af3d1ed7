"""The project's document statuses: where each annotator stands with each document."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core import labelrules
from annotator.core.model import Changes, Status
from annotator.core.project.part import Part
from annotator.core.project.rules import require, writer_id
from annotator.core.storage import repo
from annotator.core.storage.orm import AnnotatorRow, DocumentStateRow, utcnow


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

    def set_status(self, document_id: int, annotator: str, status: Status) -> Changes:
        """Record `annotator`'s status for the document."""
        annotator = labelrules.normal_name(annotator)
        require(labelrules.annotator_problem(annotator))
        status = Status(status)
        with self._write() as s:
            repo.document_row(s, document_id)
            annotator_id = writer_id(s, annotator)
            row = s.get(DocumentStateRow, (document_id, annotator_id))
            if row is None:
                row = DocumentStateRow(document_id=document_id, annotator_id=annotator_id)
                s.add(row)
                s.flush()
            row.status = status.value
            row.updated_at = utcnow()
        return Changes(
            documents=frozenset({document_id}), states=frozenset({(document_id, annotator)})
        )
