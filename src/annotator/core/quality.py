"""How good each suggester is: precision from the annotators' decisions, recall against gold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from annotator.core.storage import repo
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    LabelRow,
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
    label: str | None = None
    """The label these figures are of (None: every label of the suggester)."""

    @property
    def precision(self) -> float | None:
        """Accepted share of decided suggestions (None before any decision)."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None

    @property
    def recall(self) -> float | None:
        """Share of gold spans this suggester proposed exactly (None without a gold layer)."""
        return self.gold_found / self.gold_spans if self.gold_spans else None


def suggester_quality(
    s: Session, annotator: str | None = None, *, by_label: bool = False
) -> list[SuggesterQuality]:
    """One row per suggester that ever proposed something, by name (with `by_label`, one per
    suggester and label: precision in use and recall of each label): `annotator`'s decisions
    (pending: not decided by them), or with None every annotator's decisions (pending: decided
    by nobody)."""
    keys: list[Any] = [SuggestionRow.model, *([LabelRow.name] if by_label else [])]
    counts: dict[tuple[str, ...], dict[str, int]] = {}
    if annotator is None:
        tallies = [
            select(*keys, literal("pending"), func.count()).where(repo.undecided()).group_by(*keys),
            select(*keys, SuggestionDecisionRow.status, func.count())
            .join(SuggestionDecisionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id)
            .group_by(*keys, SuggestionDecisionRow.status),
        ]
    else:
        decision = repo.status_for(s, annotator)
        tallies = [select(*keys, decision, func.count()).group_by(*keys, decision)]
    for tally in tallies:
        if by_label:
            tally = tally.join(LabelRow, SuggestionRow.label_id == LabelRow.id)
        for *key, status, count in s.execute(tally):
            counts.setdefault(tuple(key), {})[status] = count
    gold = select(AnnotatorRow.id).where(AnnotatorRow.is_gold.is_(True)).scalar_subquery()
    spans = select(func.count(SpanRow.id)).where(SpanRow.annotator_id == gold)
    gold_spans: dict[str | None, int] = {None: s.scalar(spans) or 0}
    if by_label:
        per_label = (
            select(LabelRow.name, func.count(SpanRow.id))
            .join(LabelRow, SpanRow.label_id == LabelRow.id)
            .where(SpanRow.annotator_id == gold)
            .group_by(LabelRow.name)
        )
        gold_spans = {name: n for name, n in s.execute(per_label)}
    found_query = (
        select(*keys, func.count(func.distinct(SpanRow.id)))
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
        .group_by(*keys)
    )
    if by_label:
        found_query = found_query.join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    found = {tuple(key): n for *key, n in s.execute(found_query)}
    return [
        SuggesterQuality(
            key[0],
            c.get("pending", 0),
            c.get("accepted", 0),
            c.get("rejected", 0),
            gold_spans.get(key[1] if by_label else None, 0),
            found.get(key, 0),
            key[1] if by_label else None,
        )
        for key, c in sorted(counts.items())
    ]


def decided_suggestions(s: Session) -> list[tuple[str, str, float, str, str, int, int]]:
    """(suggester, label, raw score, decision, its document's text, start, end) of every
    annotator's decisions: the evidence suggestions are calibrated on (core.calibration). Each
    text is read once (slicing texts in SQL, once a decision, took 5x longer)."""
    conn = s.connection()  # plain rows: ORM rows cost more than the query
    rows = conn.execute(
        select(
            SuggestionRow.model,
            LabelRow.name,
            SuggestionRow.score,
            SuggestionDecisionRow.status,
            SuggestionRow.document_id,
            SuggestionRow.start,
            SuggestionRow.end,
        )
        .join(SuggestionDecisionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id)
        .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    ).all()
    ids = sorted({row[4] for row in rows})
    texts: dict[int, str] = {}
    for at in range(0, len(ids), 500):
        chunk = ids[at : at + 500]
        found = conn.execute(
            select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(chunk))
        )
        texts.update((doc, text) for doc, text in found)
    return [
        (model, label, score, status, texts[doc], a, b)
        for model, label, score, status, doc, a, b in rows
    ]
