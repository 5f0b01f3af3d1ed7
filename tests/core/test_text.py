"""Canonical text and text direction."""

from __future__ import annotations

from annotator.core.text import canonical_text, is_mostly_rtl, text_sha256


def test_canonical_text_strips_bom_unifies_line_ends_and_composes():
    assert canonical_text("\ufeffa\r\nb\rc\u0065\u0301") == "a\nb\ncé"


def test_hash_is_of_the_exact_text():
    assert text_sha256("a\r\n") != text_sha256("a\n")


def test_direction_follows_the_majority_of_letters():
    assert is_mostly_rtl("أعلنت وزارة الدفاع شراء طائرات JF-17C")
    assert is_mostly_rtl("שלום עולם, Baykar")
    assert not is_mostly_rtl("Azerbaijan bought the JF-17C from باكستان")
    assert not is_mostly_rtl("")
