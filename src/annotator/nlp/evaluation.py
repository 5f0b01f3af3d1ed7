"""Exact-match precision, recall and F1 per label (independent of spaCy's scorer names)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[str, int, int]  # label, start, end (code points)
ALL_LABELS = "ALL"


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Counts for one label (or ALL, micro-averaged) and the scores they give."""

    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts and scores rounded to 4 places."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
        }


def score_spans(
    gold: Sequence[Iterable[Key]], predicted: Sequence[Iterable[Key]]
) -> dict[str, LabelScore]:
    """Per-label scores over parallel documents, plus ALL (micro average), exact offsets."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must cover the same documents")
    counts: dict[str, list[int]] = {}
    for gold_doc, pred_doc in zip(gold, predicted, strict=True):
        g, p = set(gold_doc), set(pred_doc)
        for key in g | p:
            tally = counts.setdefault(key[0], [0, 0, 0])
            tally[0 if key in g and key in p else 1 if key in p else 2] += 1
    scores = {label: LabelScore(label, *tally) for label, tally in sorted(counts.items())}
    total = [sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values())]
    total.append(sum(s.fn for s in scores.values()))
    scores[ALL_LABELS] = LabelScore(ALL_LABELS, *total)
    return scores
