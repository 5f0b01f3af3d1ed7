"""SpanIndex against brute force: overlaps, coverage, elementary segments, lanes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.intervals import SpanIndex
from annotator.core.model import Span


def make(spans: list[tuple[int, int, str]]) -> list[Span]:
    return [Span(i + 1, 1, "a", label, s, e) for i, (s, e, label) in enumerate(spans)]


span_lists = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 25), st.sampled_from(["A", "P", "M"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(span_lists, st.integers(0, 90), st.integers(1, 30))
def test_queries_match_brute_force(raw, start, length):
    spans = make(raw)
    index = SpanIndex(spans)
    end = start + length
    assert {s.id for s in index.overlapping(start, end)} == {
        s.id for s in spans if s.start < end and s.end > start
    }
    assert {s.id for s in index.at(start)} == {s.id for s in spans if s.start <= start < s.end}
    covered = [
        (p, tuple(sorted(s.id for s in seg.spans)))
        for seg in index.segments(start, end)
        for p in range(seg.start, seg.end)
    ]
    expected = [
        (p, tuple(sorted(s.id for s in spans if s.start <= p < s.end)))
        for p in range(start, end)
        if any(s.start <= p < s.end for s in spans)
    ]
    assert covered == expected


@settings(max_examples=200, deadline=None)
@given(span_lists)
def test_lanes_never_hold_overlapping_spans(raw):
    spans = make(raw)
    lanes = SpanIndex(spans).lanes()
    for a in spans:
        for b in spans:
            if a.id < b.id and lanes[a.id] == lanes[b.id]:
                assert a.end <= b.start or b.end <= a.start


def test_add_remove_and_innermost_first():
    index = SpanIndex(make([(0, 20, "M"), (5, 10, "P")]))
    assert [s.label for s in index.at(6)] == ["P", "M"]
    index.remove(2)
    assert [s.label for s in index.at(6)] == ["M"]
    index.add(Span(9, 1, "a", "A", 3, 4))
    assert [s.id for s in index] == [1, 9]
    assert index.segments(0, 5)[1].labels == ("A", "M")


@settings(max_examples=100, deadline=None)
@given(span_lists, st.lists(st.integers(0, 40), max_size=8))
def test_an_index_of_rows_builds_spans_only_when_asked_and_keeps_row_order(raw, removals):
    spans = make(raw)
    built: list[int] = []
    by_id = {s.id: s for s in spans}

    def build(row: tuple) -> Span:
        built.append(row[0])
        return by_id[row[0]]

    lazy = SpanIndex.from_rows([(s.id, s.start, s.end, s.label) for s in spans], build)
    assert len(lazy) == len(spans) and built == []
    twin = lazy.copy()
    for span_id in removals:  # removing builds at most the removed span
        assert lazy.remove(span_id) == by_id.get(span_id)
        by_id.pop(span_id, None)
    assert set(built) <= set(removals)
    ordered = sorted(by_id.values(), key=lambda s: (s.start, s.end, s.id))
    assert list(lazy) == ordered
    assert [lazy.position(s.id) for s in ordered] == list(range(len(ordered)))
    assert [lazy[n] for n in range(len(lazy))] == ordered
    assert len(twin) == len(spans)  # a copy is independent of later removals
    extra = Span(999, 1, "a", "A", 7, 9)
    row = lazy.insertion_point(extra)
    lazy.add(extra)
    assert lazy[row] == extra and lazy.position(999) == row


@settings(max_examples=100, deadline=None)
@given(span_lists, st.lists(st.integers(0, 40), max_size=12), span_lists)
def test_an_update_at_once_matches_removing_and_adding_one_by_one(raw, removals, extra):
    spans = make(raw)
    by_id = {s.id: s for s in spans}
    rows = [(s.id, s.start, s.end, s.label) for s in spans]
    lazy = SpanIndex.from_rows(rows, lambda row: by_id[row[0]])
    one_by_one = SpanIndex(spans)
    # new spans, and new values for some of the spans there (same ids)
    added = [Span(i + 20, 1, "a", label, s, e) for i, (s, e, label) in enumerate(extra)]
    for span_id in removals:
        one_by_one.remove(span_id)
    for span in added:
        one_by_one.add(span)
    dropped = lazy.update(removals, added)
    assert list(lazy) == list(one_by_one)
    assert [lazy.position(s.id) for s in one_by_one] == list(range(len(one_by_one)))
    assert {s.id for s in dropped} == ({*removals} | {s.id for s in added}) & by_id.keys()
    assert lazy.overlapping(0, 200) == one_by_one.overlapping(0, 200)
