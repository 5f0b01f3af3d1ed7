"""Canonical text and text direction."""

from __future__ import annotations

import pytest

import annotator.core.text as text_module
from annotator.core.text import canonical_text, is_mostly_rtl, text_sha256, whitespace_key


def test_canonical_text_strips_bom_unifies_line_ends_and_composes():
    assert canonical_text("\ufeffa\r\nb\rc\u0065\u0301") == "a\nb\ncé"


def test_hash_is_of_the_exact_text():
    assert text_sha256("a\r\n") != text_sha256("a\n")


def test_direction_follows_the_majority_of_letters():
    assert is_mostly_rtl("أعلنت وزارة الدفاع شراء طائرات JF-17C")
    assert is_mostly_rtl("שלום עולם, Baykar")
    assert not is_mostly_rtl("Azerbaijan bought the JF-17C from باكستان")
    assert not is_mostly_rtl("")


@pytest.mark.parametrize("slice_size", [1, 2, 3, 7, 1 << 16])
def test_whitespace_key_is_the_hash_of_the_text_with_whitespace_collapsed(monkeypatch, slice_size):
    monkeypatch.setattr(text_module, "_KEY_SLICE", slice_size)
    for text in [
        "",
        "  \n\t ",
        "Baykar sold  TB2\r\ndrones.",
        " Kyiv\u00a0bought\u3000🚀 drones. ",
        "one",
        "a  b",
    ]:
        assert whitespace_key(text) == text_sha256(" ".join(text.split()))
    assert whitespace_key("a b") == whitespace_key(" a\n\n b\t") != whitespace_key("ab")
