"""Span-level agreement between two layers: exact and overlap matching, counted per label.

The first layer of a pair plays the reference: precision is the share of the second layer's
spans that are matched, recall the share of the first layer's; F1 is the same either way.
Exact: same label, start and end. Overlap: same label and at least one shared character, one
to one: tp is the size of a maximum matching between the two layers' spans of that label.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Key = tuple[str, int, int]
"""A span as agreement sees it: label, start, end (code points)."""
EXACT, OVERLAP = "exact", "overlap"


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """Matched spans (tp), spans only the second layer has (fp), only the first has (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        """Matched share of the second layer's spans (None when it has none)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Matched share of the first layer's spans (None when it has none)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2tp / (2tp + fp + fn): None when neither layer has a span, 0 when none match."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts and scores (rounded to 4 places; null when undefined)."""
        return {
            "precision": round4(self.precision),
            "recall": round4(self.recall),
            "f1": round4(self.f1),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def round4(value: float | None) -> float | None:
    """A score rounded to 4 places for output; None stays None."""
    return None if value is None else round(value, 4)


def match_counts(first: Iterable[Key], second: Iterable[Key]) -> dict[str, dict[str, MatchCounts]]:
    """Counts per label for one document's two layers, by mode (EXACT, OVERLAP)."""
    by_label: dict[str, tuple[list[Key], list[Key]]] = {}
    for key in set(first):
        by_label.setdefault(key[0], ([], []))[0].append(key)
    for key in set(second):
        by_label.setdefault(key[0], ([], []))[1].append(key)
    exact, overlap = {}, {}
    for label, (a, b) in by_label.items():
        tp = len(set(a) & set(b))
        exact[label] = MatchCounts(tp, len(b) - tp, len(a) - tp)
        if tp < min(len(a), len(b)):
            tp = overlap_matches(a, b)
        overlap[label] = MatchCounts(tp, len(b) - tp, len(a) - tp)
    return {EXACT: exact, OVERLAP: overlap}


def overlap_matches(first: list[Key], second: list[Key]) -> int:
    """Size of a maximum one-to-one matching of spans that share at least one character."""
    a = [(s, e) for _, s, e in set(first)]
    b = [(s, e) for _, s, e in set(second)]
    return sum(_max_matching(*group) for group in _overlap_groups(a, b))


Extent = tuple[int, int]


def _overlap_groups(
    a: list[Extent], b: list[Extent]
) -> Iterator[tuple[list[Extent], list[Extent]]]:
    """Runs of spans chained by overlaps (a sweep by start); no overlap crosses two runs."""
    group: tuple[list[Extent], list[Extent]] = ([], [])
    reach = -1
    for start, end, side in sorted([(s, e, 0) for s, e in a] + [(s, e, 1) for s, e in b]):
        if start >= reach:
            if group[0] and group[1]:
                yield group
            group = ([], [])
        group[side].append((start, end))
        reach = max(reach, end)
    if group[0] and group[1]:
        yield group


def _max_matching(a: list[Extent], b: list[Extent]) -> int:
    """Maximum bipartite matching of overlapping extents (augmenting paths found breadth-first)."""
    edges = [[j for j, (s, e) in enumerate(b) if s < end and start < e] for start, end in a]
    owner, partner = [-1] * len(b), [-1] * len(a)
    for root in range(len(a)):
        came_from: dict[int, int] = {}
        queue, free = [root], -1
        for i in queue:  # grows while iterated: breadth-first over alternating paths
            for j in edges[i]:
                if j not in came_from:
                    came_from[j] = i
                    if owner[j] < 0:
                        free = j
                        break
                    queue.append(owner[j])
            if free >= 0:
                break
        while free >= 0:  # flip the path from `free` back to the root
            i = came_from[free]
            owner[free], partner[i], free = i, free, partner[i]
    return sum(p >= 0 for p in partner)
