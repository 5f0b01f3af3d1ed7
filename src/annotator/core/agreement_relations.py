"""Relation-level agreement between two layers: exact ends and type, counted per type.

A relation as agreement sees it is (type, head, tail), each end a span key (label, start, end):
two relations match when their types are equal and so are both ends' labels and extents. A
symmetric type's ends carry no order (core.relation_keys sorts them), so A↔B matches B↔A. As for
spans (core.agreement_spans), the first layer is the reference: precision is the matched share
of the second layer's relations, recall of the first's.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.agreement_spans import MatchCounts
from annotator.core.relation_keys import RelationKey


def relation_counts(
    first: Iterable[RelationKey], second: Iterable[RelationKey]
) -> dict[str, MatchCounts]:
    """Exact-match counts per relation type for one document's two layers."""
    by_type: dict[str, tuple[set[RelationKey], set[RelationKey]]] = {}
    for side, keys in enumerate((first, second)):
        for key in keys:
            by_type.setdefault(key[0], (set(), set()))[side].add(key)
    counts = {}
    for type_name, (a, b) in by_type.items():
        tp = len(a & b)
        counts[type_name] = MatchCounts(tp, len(b) - tp, len(a) - tp)
    return counts
