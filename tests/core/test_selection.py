"""Word snapping and grapheme steps for keyboard resizing."""

from __future__ import annotations

import pytest

from annotator.core.selection import resized, snap_to_words, step_grapheme

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
