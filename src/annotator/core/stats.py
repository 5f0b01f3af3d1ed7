"""Project statistics: documents, spans per label and annotator, progress per annotator."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    DocumentStateRow,
    LabelRow,
    SpanRow,
)


@dataclass(frozen=True)
class ProjectStats:
    """Counts over a whole project."""

    documents: int
    characters: int
    spans: int
    spans_per_label: dict[str, int] = field(default_factory=dict)
    spans_per_annotator: dict[str, int] = field(default_factory=dict)
    status_per_annotator: dict[str, dict[str, int]] = field(default_factory=dict)


def project_stats(s: Session) -> ProjectStats:
    """Count everything in one pass of small grouped queries."""
    documents, characters = s.execute(
        select(
            func.count(DocumentRow.id), func.coalesce(func.sum(func.length(DocumentRow.text)), 0)
        )
    ).one()
    per_label = dict(
        s.execute(
            select(LabelRow.name, func.count(SpanRow.id))
            .outerjoin(SpanRow, SpanRow.label_id == LabelRow.id)
            .group_by(LabelRow.id)
            .order_by(LabelRow.position, LabelRow.id)
        ).all()
    )
    per_annotator = dict(
        s.execute(
            select(AnnotatorRow.name, func.count(SpanRow.id))
            .join(SpanRow, SpanRow.annotator_id == AnnotatorRow.id)
            .group_by(AnnotatorRow.id)
            .order_by(AnnotatorRow.name)
        ).all()
    )
    statuses: dict[str, dict[str, int]] = {}
    rows = s.execute(
        select(AnnotatorRow.name, DocumentStateRow.status, func.count())
        .join(DocumentStateRow, DocumentStateRow.annotator_id == AnnotatorRow.id)
        .group_by(AnnotatorRow.name, DocumentStateRow.status)
        .order_by(AnnotatorRow.name)
    )
    for name, status, count in rows:
        statuses.setdefault(name, {})[status] = count
    return ProjectStats(
        documents, characters, sum(per_label.values()), per_label, per_annotator, statuses
    )
