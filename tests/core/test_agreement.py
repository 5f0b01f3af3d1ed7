"""Span matching and the agreement report (pure functions over documents and layers)."""

from __future__ import annotations

import random
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement import ALL, NONE, DocumentLayers, compute_agreement
from annotator.core.agreement_spans import (
    EXACT,
    OVERLAP,
    MatchCounts,
    match_counts,
    overlap_matches,
)
from annotator.core.agreement_tokens import token_labels, tokenize
from annotator.core.errors import Cancelled


def test_exact_and_overlap_counts_per_label():
    first = [("A", 0, 5), ("A", 10, 15), ("B", 20, 25)]
    second = [("A", 0, 5), ("A", 12, 18), ("B", 30, 35), ("C", 40, 41)]
    counts = match_counts(first, second)
    assert counts[EXACT] == {
        "A": MatchCounts(1, 1, 1),
        "B": MatchCounts(0, 1, 1),
        "C": MatchCounts(0, 1, 0),
    }
    assert counts[OVERLAP]["A"] == MatchCounts(2, 0, 0)


def test_overlap_matching_is_one_to_one_and_maximal():
    wide = [("A", 0, 20)]
    assert overlap_matches(wide, [("A", 0, 5), ("A", 6, 10)]) == 1
    # greedy would pair (0,10) with (5,12) and leave (8,30) alone; the maximum is 2
    assert overlap_matches([("A", 0, 10), ("A", 8, 30)], [("A", 5, 12), ("A", 0, 3)]) == 2
    assert overlap_matches([("A", 0, 5)], [("A", 5, 9)]) == 0  # touching is not overlapping
    # pairing the identical spans first would leave (16, 24) and (24, 25) apart: 1, not 2
    assert overlap_matches([("A", 23, 25), ("A", 16, 24)], [("A", 23, 25), ("A", 24, 25)]) == 2


def brute_force_matching(a: list, b: list) -> int:
    """The largest one-to-one pairing of overlapping spans, by trying every choice."""
    if not a:
        return 0
    (_, start, end), rest = a[0], a[1:]
    best = brute_force_matching(rest, b)
    for i, (_, s, e) in enumerate(b):
        if s < end and start < e:
            best = max(best, 1 + brute_force_matching(rest, b[:i] + b[i + 1 :]))
    return best


extents = st.tuples(st.just("A"), st.integers(0, 30), st.integers(1, 8)).map(
    lambda t: (t[0], t[1], t[1] + t[2])
)


@settings(max_examples=150, deadline=None)
@given(st.sets(extents, max_size=6), st.sets(extents, max_size=6))
def test_overlap_matching_is_maximum_on_random_spans(first, second):
    expected = brute_force_matching(sorted(first), sorted(second))
    assert overlap_matches(list(first), list(second)) == expected


def test_deeply_nested_spans_need_no_recursion():
    first = [("A", i, 3000 - i) for i in range(1200)]
    second = [("A", i + 1, 3000 - i) for i in range(1200)]
    assert overlap_matches(first, second) == 1200


def test_scores_and_undefined_cases():
    counts = MatchCounts(tp=2, fp=1, fn=3)
    assert (counts.precision, counts.recall) == (2 / 3, 2 / 5)
    assert counts.f1 == pytest.approx(0.5)  # 2tp / (2tp + fp + fn)
    empty = MatchCounts()
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)
    assert MatchCounts(0, 2, 0).f1 == 0.0 and MatchCounts(0, 2, 0).recall is None


def doc(doc_id: int, text: str, **layers: list) -> DocumentLayers:
    return DocumentLayers(doc_id, f"doc {doc_id}", text, layers)


TEXT = "Baykar sold the Bayraktar TB2 to Poland citing costs."


def test_report_on_identical_layers_is_perfect():
    spans = [("ACTOR", 0, 6), ("PLATFORM", 16, 29), ("ACTOR", 33, 39)]
    report = compute_agreement([doc(1, TEXT, a=spans, b=spans, c=spans)], ["a", "b", "c"])
    assert (report.documents, report.units, report.alpha) == (1, 10, 1.0)
    assert len(report.pairs) == 3
    for pair in report.pairs:
        assert pair.kappa == 1.0 and pair.exact_total == MatchCounts(3, 0, 0)
    assert report.confusion[("ACTOR", "ACTOR")] == 3 * 2 * 2
    assert not any(x != y for x, y in report.confusion)


def test_no_overlap_at_all():
    a, b = [("ACTOR", 0, 6)], [("PLATFORM", 16, 29)]
    report = compute_agreement([doc(1, TEXT, a=a, b=b)], ["a", "b"])
    pair = report.pairs[0]
    assert pair.exact_total == pair.overlap_total == MatchCounts(0, 1, 1)
    assert pair.overlap_total.f1 == 0.0
    assert pair.kappa < 0 and report.alpha < 0
    assert report.confusion[("ACTOR", NONE)] == report.confusion[(NONE, ACTOR := "ACTOR")] == 1
    assert report.confusion[("PLATFORM", NONE)] == 2  # two tokens: Bayraktar, TB2
    assert ACTOR in report.labels


def test_one_annotator_gives_no_pairs_and_no_alpha():
    report = compute_agreement([doc(1, TEXT, a=[("ACTOR", 0, 6)])], ["a"])
    assert report.pairs == [] and report.alpha is None and report.units == 10


def test_no_shared_documents_gives_an_empty_report():
    report = compute_agreement([], ["a", "b"])
    assert (report.documents, report.units, report.alpha, report.ranked) == (0, 0, None, [])
    assert report.pairs[0].kappa is None and report.pairs[0].overlap_total.f1 is None
    assert report.to_dict()["pairs"][0]["exact"][ALL]["f1"] is None


def test_empty_documents_count_no_units_and_rank_as_agreeing():
    report = compute_agreement([doc(1, "", a=[], b=[]), doc(2, TEXT, a=[], b=[])], ["a", "b"])
    assert report.units == 10 and report.alpha == 1.0 and report.pairs[0].kappa == 1.0
    assert [(d.id, d.overlap_f1, d.kappa) for d in report.ranked] == [(1, 1.0, None), (2, 1.0, 1.0)]


def test_lowest_agreement_documents_come_first():
    good = [("ACTOR", 0, 6)]
    docs = [
        doc(1, TEXT, a=good, b=good),
        doc(2, TEXT, a=good, b=[("PLATFORM", 0, 6)]),
        doc(3, TEXT, a=good, b=[("ACTOR", 0, 4), ("ACTOR", 33, 39)]),
    ]
    ranked = compute_agreement(docs, ["a", "b"]).ranked
    assert [d.id for d in ranked] == [2, 3, 1]
    assert ranked[0].overlap_f1 == 0.0 and ranked[1].overlap_f1 == pytest.approx(2 / 3)
    assert ranked[2].overlap_f1 == 1.0 and ranked[2].kappa == 1.0


def test_progress_and_cancel():
    class Recorder:
        def __init__(self, stop_after: int) -> None:
            self.seen, self.stop_after = [], stop_after

        def report(self, done: int, total: int) -> None:
            self.seen.append((done, total))

        def cancelled(self) -> bool:
            return len(self.seen) >= self.stop_after

    docs = [doc(i, TEXT, a=[], b=[]) for i in range(3)]
    recorder = Recorder(99)
    compute_agreement(docs, ["a", "b"], recorder, total=3)
    assert recorder.seen == [(1, 3), (2, 3), (3, 3)]
    with pytest.raises(Cancelled):
        compute_agreement(docs, ["a", "b"], Recorder(1), total=3)


def random_layers(rng: random.Random, text: str, names: str) -> dict[str, list]:
    tokens = list(tokenize(text))
    layers = {}
    for name in names:
        spans = set()
        for _ in range(rng.randint(0, 6)):
            first = rng.randrange(len(tokens))
            last = min(len(tokens) - 1, first + rng.randrange(3))
            spans.add((rng.choice("XYZ"), tokens[first][0], tokens[last][1]))
        layers[name] = sorted(spans)
    return layers


def test_pooled_kappa_and_alpha_match_the_references_on_random_documents():
    rng = random.Random(7)
    words = ["Baykar", "sold", "drones", ",", "Poland", "bought", "TB2", "."]
    docs = [
        DocumentLayers(i, "", text, random_layers(rng, text, "abcd"))
        for i, text in enumerate(" ".join(rng.choices(words, k=40)) for _ in range(30))
    ]
    report = compute_agreement(docs, list("abcd"))
    columns = {
        name: [label for d in docs for label in token_labels(tokenize(d.text), d.layers[name])]
        for name in "abcd"
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for pair in report.pairs:
            expected = cohen_kappa_score(columns[pair.first], columns[pair.second])
            assert pair.kappa == pytest.approx(expected)
    values = sorted({v for c in columns.values() for v in c})
    data = np.array([[values.index(v) for v in columns[n]] for n in "abcd"], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert report.alpha == pytest.approx(expected)
    assert report.units == 30 * 40
    assert sum(report.confusion.values()) == report.units * 4 * 3  # ordered pairs


def test_to_dict_is_json_ready_and_limits_documents():
    docs = [doc(i, TEXT, a=[("ACTOR", 0, 6)], b=[]) for i in range(5)]
    data = compute_agreement(docs, ["a", "b"]).to_dict(lowest=2)
    assert len(data["lowest"]) == 2
    assert data["labels"][EXACT]["ACTOR"] == {
        "precision": None, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 5,
    }  # fmt: skip
    assert {"first": "ACTOR", "second": NONE, "count": 5} in data["confusion"]
