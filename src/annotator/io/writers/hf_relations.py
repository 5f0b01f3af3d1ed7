"""The spans and relations of a Hugging Face record: its tagged spans by token, and the
relations between them by the spans' indices.

A record's spans are the runs of its IOB2 tags (B-LABEL then I-LABEL): `{"start": first token,
"end": token after the last, "label"}`, indices into the record's tokens. A relation is
`{"head": span index, "tail": span index, "type"}`; its end is the record's span of the same
label whose tokens hold (or overlap) the stored span. A relation with an end that has no tags
(dropped, or left out of IOB2 as overlapping) or in another record (under a token limit) is
left out and counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from annotator.core.model import Span
from annotator.io.writers.base import ExportItem
from annotator.io.writers.relations import linked

NOT_TAGGED = "relation(s) left out: a span they link has no tags in the record (hf)"


def tag_runs(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, label) of every B-/I- run of IOB2 tags, in order."""
    runs: list[tuple[int, int, str]] = []
    for n, tag in enumerate(tags):
        if tag.startswith("I-") and runs and runs[-1][1] == n and runs[-1][2] == tag[2:]:
            runs[-1] = (runs[-1][0], n + 1, tag[2:])
        elif tag.startswith(("B-", "I-")):
            runs.append((n, n + 1, tag[2:]))
    return runs


def record_relations(
    item: ExportItem, tokens: Sequence[str], starts: Sequence[int], tags: Sequence[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[int]]:
    """The record's spans, its relations and the ids of the item's relations written; `starts`
    are the tokens' offsets in the document's text."""
    runs = tag_runs(tags)
    run_starts = [starts[first] for first, _, _ in runs]
    run_ends = [starts[end - 1] + len(tokens[end - 1]) for _, end, _ in runs]

    def run_of(span: Span) -> int | None:
        """The first run of the span's label that overlaps it (runs are in text order and do
        not overlap, so the search starts at the first run ending after the span starts)."""
        n = bisect.bisect_right(run_ends, span.start)
        while n < len(runs) and run_starts[n] < span.end:
            if runs[n][2] == span.label:
                return n
            n += 1
        return None

    spans = [{"start": first, "end": end, "label": label} for first, end, label in runs]
    relations: list[dict[str, Any]] = []
    written: set[int] = set()
    for relation, head, tail in linked(item):
        ends = run_of(head), run_of(tail)
        if None in ends or ends[0] == ends[1]:
            continue
        relations.append({"head": ends[0], "tail": ends[1], "type": relation.type})
        written.add(relation.id)
    return spans, relations, written
