"""How good each suggester is: precision from the annotators' decisions, recall against gold."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from annotator.core.storage import repo
from annotator.core.storage.orm import (
    AnnotatorRow,
    SpanRow,
    SuggestionDecisionRow,
    SuggestionRow,
)


@dataclass(frozen=True)
class SuggesterQuality:
    """Decisions on one suggester's proposals, and how much of the gold layer it found."""

    model: str
    pending: int
    accepted: int
    rejected: int
    gold_spans: int
    gold_found: int

    @property
    def precision(self) -> float | None:
        """Accepted share of decided suggestions (None before any decision)."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None

    @property
    def recall(self) -> float | None:
        """Share of gold spans this suggester proposed exactly (None without a gold layer)."""
        return self.gold_found / self.gold_spans if self.gold_spans else None


def suggester_quality(s: Session, annotator: str | None = None) -> list[SuggesterQuality]:
    """One row per suggester that ever proposed something, by name: `annotator`'s decisions
    (pending: not decided by them), or with None every annotator's decisions (pending: decided
    by nobody)."""
    counts: dict[str, dict[str, int]] = {}
    if annotator is None:
        tallies = [
            select(SuggestionRow.model, literal("pending"), func.count())
            .where(repo.undecided())
            .group_by(SuggestionRow.model),
            select(SuggestionRow.model, SuggestionDecisionRow.status, func.count())
            .join(SuggestionDecisionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id)
            .group_by(SuggestionRow.model, SuggestionDecisionRow.status),
        ]
    else:
        decision = repo.status_for(s, annotator)
        tallies = [
            select(SuggestionRow.model, decision, func.count()).group_by(
                SuggestionRow.model, decision
            )
        ]
    for tally in tallies:
        for model, status, count in s.execute(tally):
            counts.setdefault(model, {})[status] = count
    gold = select(AnnotatorRow.id).where(AnnotatorRow.is_gold.is_(True)).scalar_subquery()
    gold_spans = s.scalar(select(func.count(SpanRow.id)).where(SpanRow.annotator_id == gold))
    found = dict(
        s.execute(
            select(SuggestionRow.model, func.count(func.distinct(SpanRow.id)))
            .join(
                SpanRow,
                and_(
                    SpanRow.document_id == SuggestionRow.document_id,
                    SpanRow.label_id == SuggestionRow.label_id,
                    SpanRow.start == SuggestionRow.start,
                    SpanRow.end == SuggestionRow.end,
                ),
            )
            .where(SpanRow.annotator_id == gold)
            .group_by(SuggestionRow.model)
        ).all()
    )
    return [
        SuggesterQuality(
            model,
            c.get("pending", 0),
            c.get("accepted", 0),
            c.get("rejected", 0),
            gold_spans or 0,
            found.get(model, 0),
        )
        for model, c in sorted(counts.items())
    ]
