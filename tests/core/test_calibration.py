"""Calibrated precision: the Beta posterior of a suggestion, worked out by hand."""

from __future__ import annotations

import math

import pytest

from annotator.core.calibration import Calibration, beta_cdf, extent_shape, score_bin
from annotator.core.model import NewSuggestion


def binomial_tail(n: int, p: float, at_least: int) -> float:
    """P(Bin(n, p) >= at_least): for whole a, b, I_x(a, b) = P(Bin(a + b - 1, x) >= a)."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(at_least, n + 1))


@pytest.mark.parametrize("x", [0.05, 0.3, 0.5, 0.6, 0.95])
def test_the_beta_cdf_matches_closed_forms(x):
    assert beta_cdf(x, 1, 1) == pytest.approx(x, abs=1e-12)
    assert beta_cdf(x, 2, 1) == pytest.approx(x**2, abs=1e-12)
    assert beta_cdf(x, 1, 3) == pytest.approx(1 - (1 - x) ** 3, abs=1e-12)
    assert beta_cdf(x, 6, 6) == pytest.approx(binomial_tail(11, x, 6), abs=1e-12)
    assert beta_cdf(x, 10, 20) == pytest.approx(binomial_tail(29, x, 10), abs=1e-12)
    assert beta_cdf(0.5, 7.3, 7.3) == pytest.approx(0.5, abs=1e-12)
    assert (beta_cdf(0, 2, 3), beta_cdf(1, 2, 3)) == (0.0, 1.0)


def test_scores_fall_in_ten_bins_and_one_in_the_last():
    scores = (0.0, 0.05, 0.1, 0.55, 0.99, 1.0, 1.2, -0.1, math.nan, math.inf)
    assert [score_bin(s) for s in scores] == [0, 0, 1, 5, 9, 9, 9, 0, 0, 9]


def test_without_evidence_the_expected_precision_is_the_raw_score():
    estimate = Calibration({}, min_precision=0.6).estimate("lexicon", "PER", 0.8)
    assert (estimate.alpha, estimate.beta) == pytest.approx((8.0, 2.0))  # 10 decisions' worth
    assert estimate.expected == pytest.approx(0.8)
    # a score of 1 is taken as 0.99, so that rejections can move it
    assert Calibration({}).estimate("lexicon", "PER", 1.0).expected == pytest.approx(0.99)


def test_decisions_of_the_same_kind_label_and_bin_move_it():
    calibration = Calibration({("lexicon", "PER", 8, "alone"): (2, 8)}, min_precision=0.6)
    estimate = calibration.estimate("lexicon", "PER", 0.8)
    assert (estimate.alpha, estimate.beta) == pytest.approx((10.0, 10.0))  # 8 + 2, 2 + 8
    assert estimate.expected == pytest.approx(0.5)
    assert calibration.estimate("lexicon", "PER", 0.7).expected == pytest.approx(0.7)  # bin 7
    assert calibration.estimate("lexicon", "ORG", 0.8).expected == pytest.approx(0.8)


def test_held_out_counts_weigh_at_most_ten_decisions():
    calibration = Calibration({}, {("project-model", "LOC"): (30, 10)})
    estimate = calibration.estimate("project-model", "LOC", 0.5)
    # weight 10 / 40: 5 + 7.5 accepted, 5 + 2.5 rejected
    assert (estimate.alpha, estimate.beta) == pytest.approx((12.5, 7.5))
    assert estimate.expected == pytest.approx(0.625)
    few = Calibration({}, {("project-model", "LOC"): (1, 3)}).estimate("project-model", "LOC", 0.5)
    assert (few.alpha, few.beta) == pytest.approx((6.0, 8.0))  # fewer than ten: as they are


def test_only_a_precision_reliably_below_the_minimum_hides():
    thin = Calibration({("m", "L", 5, "alone"): (1, 1)}, min_precision=0.6).estimate("m", "L", 0.5)
    assert (thin.alpha, thin.beta) == pytest.approx((6.0, 6.0))
    assert thin.expected == pytest.approx(0.5)  # below 0.6, but on thin evidence
    assert thin.below == pytest.approx(binomial_tail(11, 0.6, 6))  # 0.753
    assert thin.shown
    firm = Calibration({("m", "L", 5, "caps"): (5, 15)}, min_precision=0.6).estimate("m", "L", 0.5)
    assert (firm.alpha, firm.beta) == pytest.approx((10.0, 20.0))
    assert firm.below == pytest.approx(binomial_tail(29, 0.6, 10))  # 0.9996
    assert not firm.shown
    assert Calibration({("m", "L", 5, "caps"): (5, 15)}, min_precision=0.0).shown("m", "L", 0.5)


def test_a_raw_score_alone_hides_only_what_does_not_pay():
    calibration = Calibration({}, min_precision=0.6)
    # from 0.5 on a suggestion pays (accept 1 action, by hand 2): shown until decisions say
    assert all(calibration.shown("m", "L", s) for s in (0.5, 0.55, 0.6, 1.0))
    # a score of 0.4 is worth 10 decisions at 0.4: Beta(4, 6), P(below 0.6) = 0.90
    assert calibration.estimate("m", "L", 0.4).below == pytest.approx(binomial_tail(9, 0.6, 4))
    assert not calibration.shown("m", "L", 0.4)


@pytest.mark.parametrize(
    ("before", "span", "after", "shape"),
    [
        ("WASHINGTON (Reuters) ", "NEW YORK", " -- ", "caps"),
        ("said P. ", "Simmons", " on Monday", "joined"),
        ("met ", "Simmons", " Corp. officials", "joined"),
        ("Paul\t", "Simmons", ".", "joined"),
        ("said ", "Simmons", ".", "alone"),
        ("Yesterday.\n", "Simmons", "\r\nTomorrow", "alone"),  # capitals on other lines
        ("", "🚀 Baykar", "", "alone"),
        ("the ", "U", " boat", "alone"),  # one capital letter is no capitals
    ],
)
def test_extent_shapes(before, span, after, shape):
    assert extent_shape(before, span, after) == shape


def test_a_shape_parts_from_its_bin_only_on_its_own_evidence():
    decisions = {("lexicon", "PER", 9, "joined"): (1, 19), ("lexicon", "PER", 9, "alone"): (9, 1)}
    calibration = Calibration(decisions, min_precision=0.6)
    # the bin: Beta(9.9 + 10, 0.1 + 20), mean 19.9 / 40 = 0.4975
    assert calibration.estimate("lexicon", "PER", 1.0).expected == pytest.approx(0.4975)
    joined = calibration.estimate("lexicon", "PER", 1.0, "joined")
    assert (joined.alpha, joined.beta) == pytest.approx((4.975 + 1, 5.025 + 19))
    alone = calibration.estimate("lexicon", "PER", 1.0, "alone")
    assert (alone.alpha, alone.beta) == pytest.approx((4.975 + 9, 5.025 + 1))
    caps = calibration.estimate("lexicon", "PER", 1.0, "caps")  # no decisions: the bin's
    assert caps.expected == pytest.approx(0.4975)
    assert (joined.shown, alone.shown, caps.shown) == (False, True, True)


def test_shown_among_tells_shapes_apart_where_their_bin_has_decisions():
    decisions = {("lexicon", "PER", 9, "joined"): (0, 30), ("lexicon", "PER", 9, "alone"): (9, 1)}
    calibration = Calibration(decisions, min_precision=0.6)
    text = "said P. Simmons and Simmons. NEW YORK\nthen Simmons"
    joined, alone = NewSuggestion(8, 15, "PER"), NewSuggestion(20, 27, "PER")
    # no decisions in the LOC bin: every shape has the raw score's prior (0.99: shown; 0.3: not)
    caps, weak = NewSuggestion(29, 37, "LOC"), NewSuggestion(43, 50, "LOC", 0.3)
    items = [joined, alone, caps, weak, NewSuggestion(43, 50, "PER")]
    assert calibration.shown_among("lexicon", text, items) == [alone, caps, items[-1]]
    assert calibration.estimate("lexicon", "LOC", 1.0, "").expected == pytest.approx(0.99)
    assert Calibration(decisions).shown_among("lexicon", text, items) == items  # minimum 0
