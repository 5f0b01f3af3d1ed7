"""bench annotation_effort's two generated corpora: gold spans that fit their texts, built
differently (one sentence a line; wrapped paragraphs with titles and invented names)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from bench.cases.annotation_effort import CORPORA
from bench.effort import LABELS, Proposal, cost_kinds
from bench.effort_prose import WIDTH, features


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_gold_spans_are_whole_words_in_order_without_overlaps(name):
    records = CORPORA[name](30, seed=5)
    assert records == CORPORA[name](30, seed=5)
    assert len({r["text"] for r in records}) == 30
    for record in records:
        text, spans = record["text"], record["spans"]
        ends = [(s["start"], s["end"]) for s in spans]
        assert ends == sorted(ends)
        assert all(a[1] <= b[0] for a, b in pairwise(ends))
        for span in spans:
            words = text[span["start"] : span["end"]]
            assert span["label"] in LABELS
            assert words == words.strip() and words[:1].isupper()
            before, after = text[span["start"] - 1 : span["start"]], text[span["end"] :][:1]
            assert not before.isalnum() and not after.isalnum()


def test_prose_is_wrapped_paragraphs_with_names_over_line_breaks_and_titles_outside():
    records = features(40, seed=0)
    lines = [line for r in records for line in r["text"].splitlines()]
    assert max(map(len, lines)) <= WIDTH
    marked = [r["text"][s["start"] : s["end"]] for r in records for s in r["spans"]]
    assert any("\n" in words for words in marked)
    assert not any(words.startswith(("Dr.", "Mr.", "Ms.", "Minister")) for words in marked)
    assert any("\n\n" in r["text"] for r in records)


def test_what_cost_is_named_by_kind():
    gold = {(0, 12, "PER"), (20, 28, "LOC"), (40, 45, "ORG")}
    shown = [
        Proposal(1, 5, 12, "PER", "lexicon"),  # inside "Paul Simmons"
        Proposal(2, 20, 28, "ORG", "lexicon"),  # another label
        Proposal(3, 26, 33, "LOC", "lexicon"),  # overlaps
        Proposal(4, 50, 55, "MISC", "lexicon"),  # nothing there
    ]
    wrong = [(p.start, p.end, p.label) for p in shown]
    missed = [{"start": s, "end": e, "label": label} for s, e, label in sorted(gold)]
    assert cost_kinds(gold, wrong, missed, shown) == {
        "wrong: inside a longer gold span": 1,
        "wrong: label": 1,
        "wrong: overlaps a gold span": 1,
        "wrong: no gold span there": 1,
        "missed: a part was suggested": 1,
        "missed: suggested with another label": 1,
        "missed: nothing suggested": 1,
    }
