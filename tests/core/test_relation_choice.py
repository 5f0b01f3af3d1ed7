"""The choices offered while a relation is made: the types two spans fit (a directed type turned
round when the spans come the other way) and the reachable spans, nearest first."""

from __future__ import annotations

from annotator.core.model import RelationType, Span
from annotator.core.relation_choice import candidates, distance, fitting_types

BUYS = RelationType(1, "BUYS", "#D55E00", "b", True, ("ACTOR",), ("PLATFORM",))
PARTNERS = RelationType(2, "PARTNERS_WITH", "#CC79A7", "p", False, ("ACTOR",), ("ACTOR",))
MOTIVATES = RelationType(3, "MOTIVATES", "#56B4E9", "m", True, ("MOTIVATION",), ("ACTOR",))
TYPES = [BUYS, PARTNERS, MOTIVATES]


def span(n: int, label: str, start: int, end: int) -> Span:
    return Span(n, 1, "ana", label, start, end)


AZ = span(1, "ACTOR", 100, 110)
PK = span(2, "ACTOR", 150, 158)
JF = span(3, "PLATFORM", 175, 189)
KAAN = span(4, "PLATFORM", 60, 67)
WHY = span(5, "MOTIVATION", 300, 360)
TR = span(6, "ACTOR", 20, 26)


def test_types_fit_in_their_direction_and_turn_round_for_the_other_order():
    (buys,) = fitting_types(TYPES, AZ, JF)
    assert (buys.type.name, buys.head, buys.tail) == ("BUYS", AZ, JF)
    (turned,) = fitting_types(TYPES, JF, AZ)
    assert (turned.type.name, turned.head, turned.tail) == ("BUYS", AZ, JF)
    (motive,) = fitting_types(TYPES, AZ, WHY)
    assert (motive.type.name, motive.head, motive.tail) == ("MOTIVATES", WHY, AZ)
    assert [f.type.name for f in fitting_types(TYPES, AZ, PK)] == ["PARTNERS_WITH"]
    assert fitting_types(TYPES, JF, KAAN) == []


def test_candidates_are_the_reachable_spans_nearest_first():
    spans = [TR, KAAN, AZ, PK, JF, WHY]
    assert [s.id for s in candidates(spans, AZ, TYPES)] == [KAAN.id, PK.id, JF.id, TR.id, WHY.id]
    assert [s.id for s in candidates(spans, AZ, [BUYS])] == [KAAN.id, JF.id]
    assert candidates(spans, JF, [PARTNERS]) == []


def test_distance_is_zero_for_touching_nested_and_overlapping_spans():
    assert distance(AZ, span(9, "ACTOR", 110, 112)) == 0
    assert distance(AZ, span(9, "ACTOR", 102, 104)) == 0
    assert distance(AZ, PK) == distance(PK, AZ) == 40
