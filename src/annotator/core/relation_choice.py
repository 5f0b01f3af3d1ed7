"""Which relations two spans can make, and which spans a relation from one span can reach: the
choices the keyboard and the mouse offer while a relation is being made."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from annotator.core.model import RelationType, Span


class Fit(NamedTuple):
    """A relation type two spans can make, with the span each end takes (a directed type may
    need them the other way round)."""

    type: RelationType
    head: Span
    tail: Span


def fitting_types(types: Iterable[RelationType], one: Span, other: Span) -> list[Fit]:
    """The types a relation between `one` and `other` can have, in the types' order: `one` as
    its head when the type allows it, else (directed types) `other` as the head."""
    fits = []
    for kind in types:
        if kind.allows(one.label, other.label):
            fits.append(Fit(kind, one, other))
        elif kind.allows(other.label, one.label):
            fits.append(Fit(kind, other, one))
    return fits


def distance(one: Span, other: Span) -> int:
    """Code points between two spans (0 when they touch, nest or overlap)."""
    return max(0, other.start - one.end, one.start - other.end)


def candidates(spans: Iterable[Span], head: Span, types: Iterable[RelationType]) -> list[Span]:
    """The spans other than `head` that some type lets it relate to, nearest first (by distance
    in the text, then in text order)."""
    kinds = list(types)
    found = [s for s in spans if s.id != head.id and fitting_types(kinds, head, s)]
    found.sort(key=lambda s: (distance(head, s), s.start, s.end, s.id))
    return found
