"""Token-level agreement against independent implementations: scikit-learn and krippendorff."""

from __future__ import annotations

import math
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement_tokens import (
    OUTSIDE,
    AlphaTally,
    cohen_kappa,
    token_labels,
    tokenize,
)


def kappa(a: list[str], b: list[str]) -> float | None:
    return cohen_kappa(Counter(zip(a, b, strict=True)))


def alpha(*columns: list[str]) -> float | None:
    tally = AlphaTally()
    tally.add(columns)
    return tally.alpha


def reference_alpha(*columns: list[str]) -> float:
    names = sorted({v for c in columns for v in c})
    data = np.array([[names.index(v) for v in c] for c in columns], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def reference_kappa(a: list[str], b: list[str]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cohen_kappa_score(a, b)


def test_tokens_are_words_and_single_punctuation():
    text = "Baykar's TB2, 3.5 m — ok"
    assert [text[s:e] for s, e in tokenize(text)] == [
        "Baykar", "'", "s", "TB2", ",", "3", ".", "5", "m", "—", "ok",
    ]  # fmt: skip
    assert len(tokenize("")) == 0 and list(tokenize(" \n ")) == []


def test_a_token_takes_the_label_of_any_span_sharing_a_character():
    text = "Baykar sold drones"
    tokens = tokenize(text)
    assert token_labels(tokens, [("ACTOR", 2, 8)]) == ["ACTOR", "ACTOR", OUTSIDE]
    assert token_labels(tokens, []) == [OUTSIDE] * 3
    marked: set[int] = set()
    token_labels(tokens, [("ACTOR", 7, 18)], marked)
    assert marked == {1, 2}
    assert token_labels(tokenize(""), [("ACTOR", 0, 3)]) == []


def test_overlapping_spans_give_the_shortest_span_then_the_first_label():
    tokens = tokenize("the Bayraktar TB2 drone")
    wide, narrow = ("PLATFORM", 4, 23), ("ACTOR", 4, 13)
    assert token_labels(tokens, [wide, narrow]) == [OUTSIDE, "ACTOR", "PLATFORM", "PLATFORM"]
    assert token_labels(tokens, [narrow, wide]) == [OUTSIDE, "ACTOR", "PLATFORM", "PLATFORM"]
    same = [("B", 4, 13), ("A", 4, 13)]
    assert token_labels(tokens, same)[1] == "A"


CASES = {
    "mixed": (list("AAOBBOOAOB"), list("AOOBBBOAOO")),
    "opposite": (list("ABAB"), list("BABA")),
    "no overlap": (["A", "A", "O", "O"], ["O", "O", "B", "B"]),
    "identical": (list("AOOBO"), list("AOOBO")),
}


@pytest.mark.parametrize("name", CASES)
def test_kappa_matches_scikit_learn(name):
    a, b = CASES[name]
    assert kappa(a, b) == pytest.approx(reference_kappa(a, b))


@pytest.mark.parametrize("name", CASES)
def test_alpha_matches_krippendorff(name):
    a, b = CASES[name]
    assert alpha(a, b) == pytest.approx(reference_alpha(a, b))
    assert alpha(a, b, a) == pytest.approx(reference_alpha(a, b, a))


def test_identical_layers_give_one_and_one_category_is_defined_as_one():
    assert kappa(list("AOB"), list("AOB")) == 1.0
    assert alpha(list("AOB"), list("AOB"), list("AOB")) == 1.0
    only_o = [OUTSIDE] * 5
    assert math.isnan(reference_kappa(only_o, only_o))  # scikit-learn: undefined
    with pytest.raises(ValueError):  # krippendorff: refuses a single value
        reference_alpha(only_o, only_o)
    assert kappa(only_o, only_o) == 1.0
    assert alpha(only_o, only_o) == 1.0


def test_no_units_give_none():
    assert cohen_kappa(Counter()) is None
    assert alpha([], []) is None
    assert AlphaTally().alpha is None


def test_alpha_accumulates_units_across_documents():
    tally = AlphaTally()
    tally.add([list("AAO"), list("AOO")])
    tally.add([list("BOO"), list("BBO")], candidates={1})  # unit 2 is unanimous
    assert tally.units == 6
    assert tally.alpha == pytest.approx(reference_alpha(list("AAOBOO"), list("AOOBBO")))


labels = st.sampled_from(["O", "O", "ACTOR", "PLATFORM", "MOTIVATION"])
units = st.integers(2, 4).flatmap(
    lambda m: st.lists(st.lists(labels, min_size=m, max_size=m), min_size=2, max_size=40)
)


@settings(max_examples=60, deadline=None)
@given(units)
def test_random_sequences_match_the_references(units):
    columns = [list(c) for c in zip(*units, strict=True)]
    if len({v for c in columns for v in c}) < 2:
        assert alpha(*columns) == 1.0
        return
    assert alpha(*columns) == pytest.approx(reference_alpha(*columns))
    got, expected = kappa(columns[0], columns[1]), reference_kappa(columns[0], columns[1])
    assert got == 1.0 if math.isnan(expected) else got == pytest.approx(expected)
