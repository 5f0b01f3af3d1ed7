"""The relations of the layers made from others (no Qt, no storage): the majority's, kept when
more than half of the voters have the relation (its type and both spans' identity), and the
suggestions layer's, the pending relation suggestions with the spans they link."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from annotator.core.layer_names import MAJORITY
from annotator.core.model import Relation, RelationSuggestion, Span, SpanSource
from annotator.core.relation_keys import End, RelationKey, relation_key


def _end(span: Span) -> End:
    return (span.label, span.start, span.end)


def majority_relations(
    relations: Sequence[Relation],
    every: Sequence[Span],
    kept: Sequence[Span],
    voters: int,
    symmetric: Collection[str],
) -> list[Relation]:
    """The relations (of every annotator, linking spans of `every`) that more than half of
    `voters` have, once each, between the majority's spans `kept` and named as the majority's;
    a symmetric type's pair counts in either order."""
    ends = {span.id: _end(span) for span in every}
    majority_ids = {_end(span): span.id for span in kept}
    votes: dict[RelationKey, set[str]] = {}
    first: dict[RelationKey, Relation] = {}
    for relation in sorted(relations, key=lambda r: r.id):
        if relation.head not in ends or relation.tail not in ends:
            continue
        directed = relation.type not in symmetric
        key = relation_key(
            relation.type, ends[relation.head], ends[relation.tail], directed=directed
        )
        votes.setdefault(key, set()).add(relation.annotator)
        first.setdefault(key, relation)
    found = []
    for key, who in votes.items():
        _, head, tail = key
        if len(who) * 2 > voters and head in majority_ids and tail in majority_ids:
            head_id, tail_id = majority_ids[head], majority_ids[tail]
            found.append(replace(first[key], annotator=MAJORITY, head=head_id, tail=tail_id))
    return found


def suggested_relations(
    suggestions: Sequence[RelationSuggestion],
    linked: dict[int, Span],
    suggested: Sequence[Span],
    symmetric: Collection[str],
) -> tuple[list[Span], list[Relation]]:
    """The pending relation suggestions as the suggestions layer's relations (named by their
    model, source suggestion; the best-scored of those with the same identity), and the spans
    they link (`linked`, by span id) that the layer's `suggested` spans lack, each given a
    fresh id past theirs. A suggestion whose span is gone is left out."""
    ids = {_end(span): span.id for span in suggested}
    fresh = max((span.id for span in suggested), default=0) + 1
    added: list[Span] = []
    found: dict[RelationKey, Relation] = {}
    for x in sorted(suggestions, key=lambda x: (-x.score, x.id)):
        head, tail = linked.get(x.head), linked.get(x.tail)
        if head is None or tail is None:
            continue
        key = relation_key(x.type, _end(head), _end(tail), directed=x.type not in symmetric)
        if key in found:
            continue
        for span in (head, tail):
            if _end(span) not in ids:
                ids[_end(span)] = fresh
                added.append(replace(span, id=fresh))
                fresh += 1
        head_id, tail_id = ids[_end(head)], ids[_end(tail)]
        found[key] = Relation(
            x.id, x.document_id, x.model, x.type, head_id, tail_id, SpanSource.SUGGESTION
        )
    return added, list(found.values())
