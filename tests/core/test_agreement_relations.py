"""Relation agreement: exact ends and type, per type, symmetric types order-free."""

from __future__ import annotations

import json

import pytest

from annotator.core.agreement import ALL, DocumentLayers, compute_agreement
from annotator.core.agreement_relations import relation_counts
from annotator.core.agreement_spans import MatchCounts
from annotator.core.relation_keys import relation_key

ACTOR, BUYER2, PARTNER = ("ACTOR", 0, 10), ("ACTOR", 60, 66), ("ACTOR", 50, 56)
JETS, DRONES, DRONES_SHORT = ("PLATFORM", 16, 25), ("PLATFORM", 30, 40), ("PLATFORM", 30, 39)
REASON = ("MOTIVATION", 70, 80)
DIRECTED = {"BUYS": True, "SUPPLIES": True, "MOTIVATES": True, "PARTNERS_WITH": False}


def keys(*relations):
    return [relation_key(t, h, tl, directed=DIRECTED[t]) for t, h, tl in relations]


ALICE = keys(
    ("BUYS", ACTOR, JETS),
    ("BUYS", ACTOR, DRONES),
    ("PARTNERS_WITH", ACTOR, PARTNER),
    ("MOTIVATES", REASON, ACTOR),
)
BOB = keys(
    ("BUYS", ACTOR, JETS),  # the same: matched
    ("BUYS", ACTOR, DRONES_SHORT),  # one end's extent differs: not matched
    ("PARTNERS_WITH", PARTNER, ACTOR),  # symmetric, other order: matched
    ("MOTIVATES", ACTOR, REASON),  # directed, reversed: not matched
    ("SUPPLIES", BUYER2, JETS),  # alice has no SUPPLIES
)


def test_hand_computed_precision_recall_and_f1_per_type():
    """alice is the reference, bob the second layer.

    BUYS: 1 matched (ACTOR→JETS); bob's ACTOR→[30,39) is fp, alice's ACTOR→[30,40) is fn:
      P = 1/2, R = 1/2, F1 = 2·1 / (2·1 + 1 + 1) = 0.5.
    PARTNERS_WITH (symmetric): ACTOR↔PARTNER and PARTNER↔ACTOR are one relation: P = R = F1 = 1.
    MOTIVATES (directed): REASON→ACTOR vs ACTOR→REASON do not match: tp 0, fp 1, fn 1:
      P = 0, R = 0, F1 = 0.
    SUPPLIES: bob only: tp 0, fp 1, fn 0: P = 0, R undefined (alice has none), F1 = 0.
    ALL (micro): tp = 1 + 1 = 2, fp = 1 + 1 + 1 = 3, fn = 1 + 1 = 2:
      P = 2/5 = 0.4, R = 2/4 = 0.5, F1 = 4 / (4 + 3 + 2) = 4/9 = 0.4444.
    """
    counts = relation_counts(ALICE, BOB)
    assert counts == {
        "BUYS": MatchCounts(1, 1, 1),
        "PARTNERS_WITH": MatchCounts(1, 0, 0),
        "MOTIVATES": MatchCounts(0, 1, 1),
        "SUPPLIES": MatchCounts(0, 1, 0),
    }
    assert (counts["BUYS"].precision, counts["BUYS"].recall, counts["BUYS"].f1) == (0.5, 0.5, 0.5)
    assert counts["SUPPLIES"].recall is None and counts["SUPPLIES"].f1 == 0.0
    total = sum(counts.values(), MatchCounts())
    assert (total.precision, total.recall) == (0.4, 0.5)
    assert total.f1 == pytest.approx(4 / 9)


def test_report_carries_relation_scores_beside_span_scores():
    doc = DocumentLayers(
        1,
        "t",
        "x" * 90,
        {"alice": [ACTOR, JETS], "bob": [ACTOR, JETS]},
        {"alice": ALICE, "bob": BOB},
    )
    report = compute_agreement([doc], ["alice", "bob"])
    (pair,) = report.pairs
    assert pair.exact_total == MatchCounts(2, 0, 0)  # the span scores are unchanged
    assert pair.relations_total == MatchCounts(2, 3, 2)
    rows = dict(report.relation_rows())
    assert list(rows) == ["BUYS", "MOTIVATES", "PARTNERS_WITH", "SUPPLIES", ALL]
    assert rows[ALL] == MatchCounts(2, 3, 2)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["relations"]["BUYS"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "tp": 1,
        "fp": 1,
        "fn": 1,
    }
    assert data["relations"][ALL]["f1"] == 0.4444
    assert data["pairs"][0]["relations"]["SUPPLIES"]["recall"] is None


def test_three_annotators_sum_relation_counts_over_pairs():
    doc = DocumentLayers(
        1, "t", "", {"a": [], "b": [], "c": []}, {"a": ALICE[:1], "b": ALICE[:1], "c": []}
    )
    report = compute_agreement([doc], ["a", "b", "c"])
    # (a, b) matched 1; (a, c): 1 fn; (b, c): 1 fn
    assert dict(report.relation_rows())["BUYS"] == MatchCounts(1, 0, 2)


def test_no_relations_gives_no_relation_rows():
    doc = DocumentLayers(1, "t", "", {"a": [ACTOR], "b": [ACTOR]})
    report = compute_agreement([doc], ["a", "b"])
    assert report.relation_rows() == []
    assert report.to_dict()["relations"] == {}
