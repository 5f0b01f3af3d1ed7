"""Word snapping and grapheme steps for keyboard resizing."""

from __future__ import annotations

import pytest

from annotator.core.selection import resized, snap_to_words, step_grapheme, without_possessive

TEXT = "Azerbaijan bought JF-17C Thunder jets 👨‍👩‍👧 from Pakistan."


@pytest.mark.parametrize(
    ("sloppy", "clean"),
    [
        ("erbaij", "Azerbaijan"),
        ("F-17", "JF-17C"),
        ("JF-17C Thun", "JF-17C Thunder"),
        ("jets", "jets"),
    ],
)
def test_snap_to_words(sloppy, clean):
    start = TEXT.index(sloppy)
    a, b = snap_to_words(TEXT, start, start + len(sloppy))
    assert TEXT[a:b] == clean


WORDY = (
    "Azerbaijan's Ministry, O’Brien’s short-range JF-17C; AZERBAIJAN’S navy. The ministers' "
    "caf\u00e9s and Jose\u0301s 北京市 بوزارة الدفاع 🚀x O'sullivan."
)


@pytest.mark.parametrize(
    ("sloppy", "clean"),
    [
        ("Azerbai", "Azerbaijan"),  # completed, without the possessive 's
        ("zerbaijan", "Azerbaijan"),
        ("Azerbaijan's", "Azerbaijan's"),  # selected by the user: kept
        ("jan's", "Azerbaijan's"),
        ("Azerbaijan'", "Azerbaijan's"),  # a half-selected possessive is completed
        ("Minis", "Ministry"),  # never the comma after it
        ("Bri", "O’Brien"),  # ’ inside a word joins, ’s after it does not
        ("short-ra", "short-range"),
        ("17", "JF-17C"),
        ("AZERBAI", "AZERBAIJAN"),  # ’S in capitals
        ("nav", "navy"),  # never the full stop
        ("minister", "ministers"),  # the plural possessive apostrophe stays out
        ("caf", "caf\u00e9s"),
        ("Jos", "Jose\u0301s"),  # a combining mark is part of its word
        ("京", "京"),  # CJK: one character is a word; no run of characters is swallowed
        ("وزا", "بوزارة"),  # right-to-left words complete like any other
        ("x", "x"),  # an emoji before a word stays out of it
        ("sulli", "O'sullivan"),  # 's followed by letters is not a possessive
    ],
)
def test_snapping_completes_words_without_possessives_or_punctuation(sloppy, clean):
    start = WORDY.index(sloppy)
    a, b = snap_to_words(WORDY, start, start + len(sloppy))
    assert WORDY[a:b] == clean


@pytest.mark.parametrize(
    ("word", "kept"),
    [("Azerbaijan's", "Azerbaijan"), ("O’Brien’s", "O’Brien"), ("ministers", "ministers")],
)
def test_without_possessive_drops_only_a_final_possessive(word, kept):
    start = WORDY.index(word)
    a, b = without_possessive(WORDY, start, start + len(word))
    assert WORDY[a:b] == kept


def test_step_grapheme_skips_whole_clusters():
    family = TEXT.index("👨")
    after = step_grapheme(TEXT, family, +1)
    assert TEXT[family:after] == "👨‍👩‍👧"
    assert step_grapheme(TEXT, after, -1) == family


def test_resized_extends_shrinks_and_refuses_to_vanish():
    start = TEXT.index("jets")
    assert resized(TEXT, start, start + 4, "end", +1) == (start, start + 5)
    assert resized(TEXT, start, start + 4, "start", +1) == (start + 1, start + 4)
    assert resized(TEXT, start, start + 1, "end", -1) is None
    assert resized(TEXT, 0, 3, "start", -1) is None  # already at the text's start
