"""Token-level agreement: regex tokens, a label per token, Cohen's kappa, Krippendorff's alpha.

Tokens are runs of word characters or single other non-space characters (`TOKEN`), so the
figures need no spaCy. A token takes the label of a span that shares a character with it,
"O" when no span does. When several spans of one annotator cover a token with different
labels, the shortest span wins (the most specific mark); among equally long ones, the label
first in alphabetical order. Every token of every shared document is a unit, "O" included.

Undefined cases: with no units, kappa and alpha are None. When every value falls into one
category (e.g. identical layers with no spans), chance agreement is total and both formulas
divide by zero; the agreement is then perfect, and we report 1.0 (scikit-learn gives nan).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotator.core.agreement_spans import Key

TOKEN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"
"""The label of a token no span covers."""


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of one text as parallel lists of [start, end) code-point offsets."""

    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


def tokenize(text: str) -> Tokens:
    """The tokens of a text (see TOKEN)."""
    flat = [offset for m in TOKEN.finditer(text) for offset in m.span()]
    return Tokens(flat[0::2], flat[1::2])


def token_labels(tokens: Tokens, spans: Iterable[Key], marked: set[int] | None = None) -> list[str]:
    """One label per token (see the module docstring); adds covered token indexes to `marked`."""
    labels = [OUTSIDE] * len(tokens)
    # Paint the longest first so shorter spans (and, at equal length, earlier labels) win.
    order = sorted(spans, key=lambda k: (k[2] - k[1], k[0]), reverse=True)
    for label, start, end in order:
        first, last = bisect_right(tokens.ends, start), bisect_left(tokens.starts, end)
        if first < last:
            labels[first:last] = [label] * (last - first)
            if marked is not None:
                marked.update(range(first, last))
    return labels


def cohen_kappa(pairs: Counter[tuple[str, str]]) -> float | None:
    """Cohen's kappa from counts of (first label, second label) per unit."""
    n = sum(pairs.values())
    if not n:
        return None
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    agree = 0
    for (x, y), count in pairs.items():
        first[x] += count
        second[y] += count
        if x == y:
            agree += count
    observed = agree / n
    chance = sum(first[c] * second[c] for c in first) / (n * n)
    if chance >= 1.0:
        return 1.0
    return (observed - chance) / (1.0 - chance)


class AlphaTally:
    """Krippendorff's alpha (nominal) accumulated unit by unit, each coded by every annotator."""

    def __init__(self) -> None:
        self.units = 0
        self.values: Counter[str] = Counter()
        self.disagreement = 0.0
        """Sum over units of the ordered pairs of unequal values / (values in the unit - 1)."""

    def add(
        self, columns: Sequence[Sequence[str]], candidates: Iterable[int] | None = None
    ) -> None:
        """Add units given as one label sequence per annotator (all of the same length).

        `candidates`: the only unit indexes where values may differ (all, when None).
        """
        m = len(columns)
        if m < 2 or not columns[0]:
            return
        self.units += len(columns[0])
        for column in columns:
            self.values.update(column)
        units: Iterable[tuple[str, ...]] = zip(*columns, strict=True)
        if candidates is not None:
            units = (tuple(column[i] for column in columns) for i in candidates)
        for unit in units:
            if unit.count(unit[0]) != m:
                counts = Counter(unit).values()
                self.disagreement += (m * m - sum(c * c for c in counts)) / (m - 1)

    @property
    def alpha(self) -> float | None:
        """1 - observed / expected disagreement; None without units, 1.0 with one category."""
        n = sum(self.values.values())
        if n < 2:
            return None
        expected = (n * n - sum(c * c for c in self.values.values())) / (n - 1)
        if expected == 0:
            return 1.0
        return 1.0 - self.disagreement / expected
