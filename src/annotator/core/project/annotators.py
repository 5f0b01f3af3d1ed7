"""The project's annotators and which of them is the gold (adjudicated) layer."""

from __future__ import annotations

from sqlalchemy import select

from annotator.core import labelrules
from annotator.core.model import Annotator, Changes
from annotator.core.project.part import Part
from annotator.core.project.rules import require, writer_id
from annotator.core.storage import repo
from annotator.core.storage.orm import AnnotatorRow, DocumentStateRow, SpanRow


class Annotators(Part):
    """Who has worked on the project, and the gold marking."""

    def annotators(self) -> list[Annotator]:
        """Every annotator who has been named in this project."""
        with self._read() as s:
            rows = s.scalars(select(AnnotatorRow).order_by(AnnotatorRow.name))
            return [repo.to_annotator(row) for row in rows]

    def set_gold(self, name: str) -> Changes:
        """Mark one annotator as the gold (adjudicated) layer; nobody else stays gold. The
        changes name every annotator whose gold flag changed."""
        name = labelrules.normal_name(name)
        require(labelrules.annotator_problem(name))
        changed: set[str] = set()
        with self._write() as s:
            gold_id = writer_id(s, name)
            for row in s.scalars(select(AnnotatorRow)):
                if bool(row.is_gold) != (row.id == gold_id):
                    row.is_gold = row.id == gold_id
                    changed.add(row.name)
        return Changes(gold=frozenset(changed))

    def gold_annotator(self) -> str | None:
        """The name of the gold (adjudicated) layer's annotator, if one is marked."""
        with self._read() as s:
            return s.scalar(select(AnnotatorRow.name).where(AnnotatorRow.is_gold.is_(True)))

    def unmark_gold(self) -> Changes:
        """Leave the project without a gold layer; every annotator and span stays. The changes
        name the annotator who was gold."""
        changed: set[str] = set()
        with self._write() as s:
            for row in s.scalars(select(AnnotatorRow).where(AnnotatorRow.is_gold.is_(True))):
                row.is_gold = False
                changed.add(row.name)
        return Changes(gold=frozenset(changed))

    def forget_unused_annotator(self, name: str) -> bool:
        """Remove an annotator who has no spans and no document states; False when in use."""
        with self._write() as s:
            annotator_id = repo.annotator_id(s, name, create=False)
            if annotator_id is None:
                return False
            for table in (SpanRow, DocumentStateRow):
                used = select(table.annotator_id).where(table.annotator_id == annotator_id)
                if s.scalar(used.limit(1)) is not None:
                    return False
            s.delete(s.get(AnnotatorRow, annotator_id))
            repo.forget_annotator_id(s, name)
        return True
