"""compute_agreement (segments, counted once per document) reports exactly what the token by
token computation it replaced reported (tests/core/agreement_reference.py)."""

from __future__ import annotations

import random

import pytest
from agreement_reference import reference_agreement

from annotator.core.agreement import DocumentLayers, compute_agreement
from annotator.core.agreement_tokens import token_bounds, tokenize

WORDS = ["Baykar", "sold", "TB2", "drones", ",", "to", "Kyiv", ".", "é", "中文", "😀", "\r\n",
         "مرحبا", "don't", "_x_", "  ", "\u200f", "٣٤"]  # fmt: skip
LABELS = ["ACTOR", "PLATFORM", "B", "A"]


def random_documents(rng: random.Random, names: str, count: int) -> list[DocumentLayers]:
    """Documents with nested, overlapping, duplicated, shared and out-of-token spans."""
    documents = []
    for number in range(count):
        text = "".join(rng.choice(WORDS) + rng.choice(["", " ", " "]) for _ in range(40))
        if number % 9 == 0:
            text = rng.choice(["", "   ", "."])
        shared = [_span(rng, text) for _ in range(rng.randint(0, 6))]
        layers = {}
        for name in names:
            keys = [key for key in shared if rng.random() < 0.7]
            keys += [_span(rng, text) for _ in range(rng.randint(0, 4))]
            keys += [(rng.choice(LABELS), s + 1, e) for _, s, e in keys if rng.random() < 0.2]
            layers[name] = keys + keys[:1]  # a duplicate too
        documents.append(DocumentLayers(number, f"doc {number}", text, layers))
    return documents


def _span(rng: random.Random, text: str) -> tuple[str, int, int]:
    start = rng.randrange(len(text) + 1)
    return rng.choice(LABELS), start, min(len(text) + 1, start + rng.randint(0, 25))


@pytest.mark.parametrize(("seed", "names"), [(1, "ab"), (2, "abc"), (3, "abcde"), (4, "abcd")])
def test_the_report_equals_the_token_by_token_computation(seed, names):
    documents = random_documents(random.Random(seed), names, 60)
    ours = compute_agreement(documents, list(names))
    reference = reference_agreement(documents, list(names))
    assert ours.to_dict(lowest=60) == reference.to_dict(lowest=60)
    assert ours.alpha == pytest.approx(reference.alpha, rel=1e-12)
    assert [(p.kappa, p.exact, p.overlap, p.units) for p in ours.pairs] == [
        (p.kappa, p.exact, p.overlap, p.units) for p in reference.pairs
    ]
    assert ours.confusion == reference.confusion
    assert ours.ranked == reference.ranked


def test_token_bounds_count_the_tokens_tokenize_finds_around_every_position():
    rng = random.Random(5)
    alphabet = "ab_1 \t\r\n,.é中😀\u200f\u0661-'\x1c\xa0\ud800"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        tokens = tokenize(text)
        positions = [rng.randint(-2, len(text) + 2) for _ in range(rng.randint(0, 8))]
        count, bounds = token_bounds(text, positions)
        assert count == len(tokens), text
        for p in positions:
            ended, started = sum(e <= p for e in tokens.ends), sum(s < p for s in tokens.starts)
            assert bounds[p] == (ended, started), (text, p)
