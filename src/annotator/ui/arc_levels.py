"""The levels relation arcs are stacked in over the text, kept one relation at a time (no Qt).

An arc's extent is the text from its first span's start to its last span's end, widened to its
name's length when narrower, so that two arcs on one level share no character: neither their
lines nor their names overlap. A full build places shorter arcs first (they sit lower); an arc
added later takes the lowest level free over its extent and the others stay where they are, so
an edit neither moves the arcs on screen nor costs more than one placement.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from functools import lru_cache

from annotator.core.intervals import SpanIndex
from annotator.core.model import Relation, Span
from annotator.ui.overlay import tag_text


@lru_cache(maxsize=256)
def _name_room(name: str) -> int:
    """Characters an arc's name needs (as the overlay writes it, with a little air)."""
    return len(tag_text(name)) + 2


Ends = Callable[[int], Span | None]
"""The span an arc ends at, by id (None: not there)."""


def extent(relation: Relation, ends: Ends) -> tuple[int, int] | None:
    """The text an arc takes on its level, or None when a span of it is not there."""
    head, tail = ends(relation.head), ends(relation.tail)
    if head is None or tail is None:
        return None
    lo, hi = min(head.start, tail.start), max(head.end, tail.end)
    room = _name_room(relation.type)
    if hi - lo < room:
        middle = (lo + hi) // 2
        lo, hi = middle - room // 2, middle + room - room // 2
    return lo, hi


class ArcLevels:
    """Each placed relation's level and extent; `extents` finds the arcs over a stretch of text
    (an index of spans whose ids are the relations')."""

    def __init__(self) -> None:
        self.levels: dict[int, int] = {}
        self.extents = SpanIndex()
        self._taken: list[list[tuple[int, int]]] = []  # per level: disjoint extents, sorted

    def rebuild(self, relations: Iterable[Relation], ends: Ends) -> None:
        """Place every relation anew, shorter arcs first."""
        self.levels, self.extents, self._taken = {}, SpanIndex(), []
        found = [(relation, extent(relation, ends)) for relation in relations]
        placed = [(e[1] - e[0], e[0], r.id, e) for r, e in found if e is not None]
        for _, _, relation_id, (lo, hi) in sorted(placed):
            self._place(relation_id, lo, hi)

    def add(self, relation: Relation, ends: Ends) -> None:
        """Place one more relation at the lowest level free over its extent."""
        self.remove(relation.id)
        found = extent(relation, ends)
        if found is not None:
            self._place(relation.id, *found)

    def remove(self, relation_id: int) -> None:
        """Take a relation off its level (the others stay)."""
        level = self.levels.pop(relation_id, None)
        gone = self.extents.remove(relation_id)
        if level is not None and gone is not None:
            taken = self._taken[level]
            del taken[bisect_left(taken, (gone.start, gone.end))]

    def free_level(self, lo: int, hi: int) -> int:
        """The lowest level with [lo, hi) free."""
        for level, taken in enumerate(self._taken):
            k = bisect_left(taken, (lo, lo))
            if (k == 0 or taken[k - 1][1] <= lo) and (k == len(taken) or taken[k][0] >= hi):
                return level
        return len(self._taken)

    def _place(self, relation_id: int, lo: int, hi: int) -> None:
        level = self.free_level(lo, hi)
        if level == len(self._taken):
            self._taken.append([])
        insort(self._taken[level], (lo, hi))
        self.levels[relation_id] = level
        self.extents.add(Span(relation_id, 0, "", "", lo, hi))
