"""How precise a suggestion is expected to be, from its suggester's raw score and the evidence.

A suggestion is placed by (suggester kind, label, score bin), then by the shape of its extent
(`extent_shape`: all capitals, next to a capitalised word, or neither). The precision of a
(kind, label, bin) has a Beta prior centred on the raw score, worth PRIOR_STRENGTH decisions;
the evidence adds to it: the annotators' accepted and rejected suggestions of that place, and
held-out counts of the label (true and false positives of the project model's evaluation, worth
at most HELD_OUT_WEIGHT decisions). A shape within it has a prior centred on that estimate,
worth as much, plus its own decisions. With few decisions the expected precision stays near the
raw score and moves only as evidence accumulates; a shape parts from its bin only on its own
evidence ("Simmons" rejected inside "P. Simmons" and "Paul Simmons" does not hide "Simmons"
alone).

A suggestion is hidden only when its precision is reliably below the project's minimum: when
the posterior probability that it is below is at least RELIABLY. A suggestion pays from a
precision of 0.5 on (accepting costs 1 action, marking by hand 2, a rejection 1), so one on
thin evidence is shown rather than lost.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from annotator.core.model import NewSuggestion

_LABEL_AND_SCORE = operator.itemgetter(2, 3)
"""A suggestion's (label, score)."""

BINS = 10
"""Score bins of equal width over [0, 1]; a score of 1 falls in the last."""
PRIOR_STRENGTH = 10.0
"""How many decisions the raw score is worth."""
HELD_OUT_WEIGHT = 10.0
"""How many decisions a label's held-out evaluation is worth at most (it was measured on other
documents than those in use, and is often higher)."""
RELIABLY = 0.9
"""Posterior probability of being below the minimum that hides a suggestion."""
EDGE = 0.01
"""Raw scores are taken within [EDGE, 1 - EDGE]: a prior of exactly 0 or 1 never moves."""

CONTEXT = 24
"""Characters on each side of an extent that `extent_shape` looks at."""

Place = tuple[str, str, int, str]
"""(suggester kind, label, score bin, extent shape)."""
Counts = tuple[float, float]
"""(accepted, rejected), or held-out (true positives, false positives)."""


def score_bin(score: float) -> int:
    """The bin of a raw score (scores outside [0, 1] fall in the first or last, NaN first)."""
    if not score > 0:
        return 0
    return BINS - 1 if score >= 1 else math.floor(score * BINS)


def extent_shape(before: str, span: str, after: str) -> str:
    """How an extent sits in its text, from the text just `before` it, the `span` and the text
    just `after`: "caps" when written in capitals (a headline, a dateline), "joined" when the
    word next to it on the same line is capitalised (it may be part of a longer name), else
    "alone"."""
    if span.isupper() and sum(map(str.isalpha, span)) > 1:
        return "caps"
    left, right = before.rstrip(" \t"), after.lstrip(" \t")
    previous = (left.split() or [""])[-1] if len(left) < len(before) else ""
    following = (right.split(None, 1) or [""])[0] if len(right) < len(after) else ""
    if left[-1:] not in _LINE_ENDS and previous[:1].isupper():
        return "joined"
    if right[:1] not in _LINE_ENDS and following[:1].isupper():
        return "joined"
    return "alone"


_LINE_ENDS = ("", "\n", "\r")
"""What ends a line (or the text): a word beyond it is no neighbour."""


def shape_in(text: str, start: int, end: int) -> str:
    """The extent shape of text[start:end] (see `extent_shape`)."""
    before = text[max(0, start - CONTEXT) : start]
    return extent_shape(before, text[start:end], text[end : end + CONTEXT])


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X <= x) for X ~ Beta(a, b), a, b > 0: the regularised incomplete beta function, by its
    continued fraction (Numerical Recipes' betacf, Lentz's method)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(a, b, x) / a
    return 1.0 - front * _continued_fraction(b, a, 1.0 - x) / b


def _continued_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300

    def guarded(value: float) -> float:
        return tiny if abs(value) < tiny else value

    c, d = 1.0, 1.0 / guarded(1.0 - (a + b) * x / (a + 1.0))
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        step = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2))
        d = 1.0 / guarded(1.0 + step * d)
        c = guarded(1.0 + step / c)
        h *= d * c
        step = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2))
        d = 1.0 / guarded(1.0 + step * d)
        c = guarded(1.0 + step / c)
        h *= d * c
        if abs(d * c - 1.0) < 1e-12:
            break
    return h


@dataclass(frozen=True, slots=True)
class Estimate:
    """A suggestion's calibrated precision: the Beta posterior and what follows from it."""

    alpha: float
    beta: float
    min_precision: float

    @property
    def expected(self) -> float:
        """The expected precision (the posterior mean)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def below(self) -> float:
        """The posterior probability that the precision is below the minimum."""
        return beta_cdf(self.min_precision, self.alpha, self.beta)

    @property
    def shown(self) -> bool:
        """False only when the precision is reliably below the minimum."""
        return self.min_precision <= 0.0 or self.below < RELIABLY


class Calibration:
    """Calibrated precision of suggestions from decisions per (kind, label, score bin, shape)
    and held-out counts per (kind, label); `min_precision` is the project's minimum (0: show
    all)."""

    def __init__(
        self,
        decisions: Mapping[Place, Counts],
        held_out: Mapping[tuple[str, str], Counts] | None = None,
        min_precision: float = 0.0,
    ) -> None:
        self.decisions = dict(decisions)
        self.held_out = dict(held_out or {})
        self.min_precision = min_precision
        self._bins: dict[tuple[str, str, int], list[float]] = {}
        for (kind, label, at, _), (accepted, rejected) in self.decisions.items():
            tally = self._bins.setdefault((kind, label, at), [0.0, 0.0])
            tally[0] += accepted
            tally[1] += rejected
        self._cache: dict[tuple[str, str, float, str | None], Estimate] = {}
        self._shown: dict[tuple[str, str, float, str | None], bool] = {}

    def estimate(self, kind: str, label: str, score: float, shape: str | None = None) -> Estimate:
        """The posterior of a suggestion of `kind` and `label` with raw `score` (and an extent
        of that `shape`; None: the bin's, every shape)."""
        key = (kind, label, score, shape)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._estimate(kind, label, score, shape)
        return found

    def _estimate(self, kind: str, label: str, score: float, shape: str | None) -> Estimate:
        centre = min(1.0 - EDGE, max(EDGE, score))
        accepted, rejected = self._bins.get((kind, label, score_bin(score)), (0.0, 0.0))
        right, wrong = self.held_out.get((kind, label), (0.0, 0.0))
        weight = min(1.0, HELD_OUT_WEIGHT / (right + wrong)) if right + wrong else 0.0
        found = Estimate(
            PRIOR_STRENGTH * centre + accepted + weight * right,
            PRIOR_STRENGTH * (1.0 - centre) + rejected + weight * wrong,
            self.min_precision,
        )
        if shape is None:
            return found
        accepted, rejected = self.decisions.get((kind, label, score_bin(score), shape), (0, 0))
        return Estimate(
            PRIOR_STRENGTH * found.expected + accepted,
            PRIOR_STRENGTH * (1.0 - found.expected) + rejected,
            self.min_precision,
        )

    def places(self) -> list[tuple[Place, Counts, Estimate]]:
        """Each place with decisions, sorted: its counts and its estimate at the middle of its
        score bin (what the quality report lists)."""
        return [
            (place, counts, self.estimate(place[0], place[1], (place[2] + 0.5) / BINS, place[3]))
            for place, counts in sorted(self.decisions.items())
        ]

    def shown(self, kind: str, label: str, score: float, shape: str | None = None) -> bool:
        """Whether such a suggestion is offered (see Estimate.shown; worked out once a place
        and score: the Beta tail is the costly part)."""
        if self.min_precision <= 0.0:
            return True
        key = (kind, label, score, shape)
        found = self._shown.get(key)
        if found is None:
            found = self._shown[key] = self.estimate(kind, label, score, shape).shown
        return found

    def shown_among(
        self, kind: str, text: str, items: Sequence[NewSuggestion]
    ) -> list[NewSuggestion]:
        """The suggestions of `text` that are offered (see `shown`); an extent's shape is worked
        out only where its bin has decisions (else every shape is alike: "" stands for one
        without decisions), and each label and score is judged once a call: a corpus run
        passes hundreds of thousands, nearly all alike."""
        if self.min_precision <= 0.0:
            return list(items)
        verdicts = {key: self._verdict(kind, *key) for key in set(map(_LABEL_AND_SCORE, items))}
        if all(verdicts.values()):
            return list(items)  # all shown (most documents): no loop over them in Python
        kept = []
        for item in items:
            key = item.label, item.score
            verdict = verdicts[key]
            if verdict is None:
                verdict = self.shown(kind, *key, shape_in(text, item.start, item.end))
            if verdict:
                kept.append(item)
        return kept

    def _verdict(self, kind: str, label: str, score: float) -> bool | None:
        """Whether such a suggestion is offered whatever its extent's shape (None: the shape
        decides, its bin having decisions)."""
        if (kind, label, score_bin(score)) in self._bins:
            return None
        return self.shown(kind, label, score, "")
