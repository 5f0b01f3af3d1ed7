"""The code point <-> Qt position converter, checked against a naive reference (no Qt here)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import (
    QtOffsets,
    is_grapheme_boundary,
    offsets_for,
    selection_to_span,
    snap_outward,
)

EXAMPLE = "Baykar 🚀 sold TB2\r\nto Azerbaïjan and e\u0301lite 👨‍👩‍👧 forces; 𝔘nicode Kaan."

ATOMS = [
    "a", "Z", "7", " ", "\t", ".", "🚀", "👨‍👩‍👧", "🇦🇿", "👍🏽", "\U0001f3fb", "\U0001f1e6",
    "e\u0301", "\u0301", "\u200d", "\ufe0f", "\r\n", "\r", "\n", "سلام", "שלום", "漢字",
    "\u00a0", "\u2028", "\ufeff", "𝔘",
]  # fmt: skip
texts = st.lists(st.sampled_from(ATOMS), max_size=25).map("".join)


def utf16_len(s: str) -> int:
    """Length in UTF-16 units."""
    return len(s.encode("utf-16-le")) // 2


def collapsed_before(text: str, cp: int) -> bool:
    """Whether cp follows a code point Qt does not count (CR of a CRLF, leading BOMs)."""
    after_cr_of_crlf = cp >= 1 and text[cp - 1 : cp + 1] == "\r\n"
    return after_cr_of_crlf or (cp > 0 and not text[:cp].strip("\ufeff"))


def reference_to_qt(text: str, cp: int) -> int:
    """The slow, obvious to_qt: UTF-16 length of the prefix as Qt keeps it."""
    if collapsed_before(text, cp):
        cp -= 1
    prefix = text[:cp].lstrip("\ufeff").replace("\r\n", "\n")
    return utf16_len(prefix)


def valid_cps(text: str) -> list[int]:
    """Code point offsets that round-trip: all but those right after a collapsed code point."""
    return [i for i in range(len(text) + 1) if not collapsed_before(text, i)]


def is_blank_cluster(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is whitespace only (what trimming removes)."""
    return all(c.isspace() or c == "\ufeff" for c in text[a:b])


def test_example_from_tech_notes():
    conv = QtOffsets(EXAMPLE)
    kaan = EXAMPLE.index("Kaan")
    assert (len(EXAMPLE), kaan) == (71, 66)
    assert conv.to_qt(kaan) == 70
    assert conv.to_py(70) == kaan
    assert conv.qt_length == 75 == utf16_len(conv.display_text())
    assert conv.display_text() == EXAMPLE.replace("\r\n", "\n")
    assert conv.selection_to_span(70, 74) == (66, 70)


def test_crlf_rule_both_code_points_map_to_the_break():
    conv = QtOffsets("ab\r\ncd")
    assert [conv.to_qt(i) for i in range(7)] == [0, 1, 2, 2, 3, 4, 5]
    assert [conv.to_py(q) for q in range(6)] == [0, 1, 2, 4, 5, 6]
    assert conv.qt_length == 5


def test_lone_cr_and_lf_count_one_position():
    conv = QtOffsets("a\rb\nc\r\rd")
    assert [conv.to_qt(i) for i in range(9)] == list(range(9))
    assert conv.display_text() == "a\nb\nc\n\nd"


def test_astral_counts_two_and_to_py_snaps_left_inside_a_pair():
    conv = QtOffsets("x🚀y𝔘")
    assert [conv.to_qt(i) for i in range(5)] == [0, 1, 3, 4, 6]
    assert [conv.to_py(q) for q in range(7)] == [0, 1, 1, 2, 3, 3, 4]


def test_leading_bom_takes_no_position():
    conv = QtOffsets("\ufeffab\ufeff")
    assert [conv.to_qt(i) for i in range(5)] == [0, 0, 1, 2, 3]
    assert conv.to_py(0) == 0
    assert conv.display_text() == "ab\ufeff"
    assert conv.selection_to_span(0, 2) == (1, 3)


def test_every_leading_bom_is_dropped_from_the_display_text():
    conv = QtOffsets("\ufeff\ufeffa")
    assert [conv.to_qt(i) for i in range(4)] == [0, 0, 0, 1]
    assert (conv.display_text(), conv.to_py(0), conv.to_py(1)) == ("a", 0, 3)


def test_empty_text():
    conv = QtOffsets("")
    assert (conv.qt_length, conv.to_qt(0), conv.to_py(0)) == (0, 0, 0)
    assert conv.selection_to_span(0, 0) is None


@pytest.mark.parametrize("cp", [-1, 72])
def test_out_of_range_code_point_is_refused(cp):
    with pytest.raises(ValueError, match="outside"):
        QtOffsets(EXAMPLE).to_qt(cp)


@pytest.mark.parametrize("q", [-1, 76])
def test_out_of_range_qt_position_is_refused(q):
    with pytest.raises(ValueError, match="outside"):
        QtOffsets(EXAMPLE).to_py(q)


@pytest.mark.parametrize(
    ("text", "qt_sel", "expected"),
    [
        ("  Baykar  ", (0, 10), (2, 8)),
        ("a \u00a0\t\n ", (1, 6), None),
        ("x", (1, 1), None),
        ("Baykar sold", (9, 3), (3, 9)),  # reversed anchor/position
        ("caf e\u0301 x", (4, 5), (4, 6)),  # combining mark pulled in
        ("a 👨‍👩‍👧 b", (4, 6), (2, 7)),  # inside a ZWJ family
        ("go 🇦🇿!", (3, 5), (3, 5)),  # half a flag
        ("ok 👍🏽.", (3, 5), (3, 5)),  # skin tone joins its base
        ("x❤\ufe0f", (0, 2), (0, 3)),  # variation selector
        ("x🚀y", (0, 2), (0, 2)),  # end inside a surrogate pair: whole char
        ("x🚀y", (2, 4), (1, 3)),  # start inside a surrogate pair: whole char
        ("ab\r\ncd", (0, 3), (0, 2)),  # trailing CRLF trimmed
    ],
)
def test_selection_to_span(text, qt_sel, expected):
    assert selection_to_span(text, *qt_sel) == expected


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("e\u0301x", [0, 2, 3]),
        ("\r\n\r", [0, 2, 3]),
        ("👨‍👩‍👧a", [0, 5, 6]),
        ("a\u200d🚀", [0, 2, 3]),  # ZWJ after a letter does not join the emoji
        ("🇦🇿🇦", [0, 2, 3]),
        ("👍🏽👍", [0, 2, 3]),
        ("\t\u0301", [0, 1, 2]),  # no mark attaches to a control
        ("", [0]),
    ],
)
def test_grapheme_boundaries(text, breaks):
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == breaks


def test_snap_outward_and_cache():
    assert snap_outward("a👨‍👩‍👧b", 2, 3) == (1, 6)
    assert offsets_for(EXAMPLE) is offsets_for(EXAMPLE)


@given(texts)
def test_to_qt_matches_reference_and_round_trips(text):
    conv = QtOffsets(text)
    qt = [conv.to_qt(i) for i in range(len(text) + 1)]
    assert qt == [reference_to_qt(text, i) for i in range(len(text) + 1)]
    assert conv.qt_length == qt[-1] == utf16_len(conv.display_text())
    for cp in valid_cps(text):
        assert conv.to_py(conv.to_qt(cp)) == cp


@given(texts)
def test_to_qt_never_lands_inside_a_surrogate_pair(text):
    conv = QtOffsets(text)
    units = conv.display_text().encode("utf-16-le")
    for cp in range(len(text) + 1):
        q = conv.to_qt(cp)
        unit = int.from_bytes(units[2 * q : 2 * q + 2], "little")
        assert not 0xDC00 <= unit <= 0xDFFF  # a low surrogate: the second half of a pair


@given(texts)
def test_to_py_is_the_smallest_code_point_at_or_before_q(text):
    conv = QtOffsets(text)
    for q in range(conv.qt_length + 1):
        cp = conv.to_py(q)
        at = conv.to_qt(cp)
        if at == q:
            assert cp == 0 or conv.to_qt(cp - 1) < q
        else:  # q is the second unit of an astral char: its start
            assert at == q - 1 and text[cp] > "\uffff"


@given(texts, st.data())
def test_selection_to_span_is_trimmed_and_keeps_clusters_whole(text, data):
    conv = QtOffsets(text)
    a = data.draw(st.integers(0, conv.qt_length))
    b = data.draw(st.integers(0, conv.qt_length))
    span = conv.selection_to_span(a, b)
    lo, hi = conv.to_py(min(a, b)), conv.to_py(max(a, b))
    hi += conv.to_qt(hi) < max(a, b)
    if span is None:
        assert is_blank_cluster(text, lo, hi)
        return
    start, end = span
    assert 0 <= start < end <= len(text)
    assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    first = next(i for i in range(start + 1, end + 1) if is_grapheme_boundary(text, i))
    last = max(i for i in range(start, end) if is_grapheme_boundary(text, i))
    assert not is_blank_cluster(text, start, first)
    assert not is_blank_cluster(text, last, end)
    assert start <= lo or is_blank_cluster(text, lo, start)  # only blanks dropped
    assert end >= hi or is_blank_cluster(text, end, hi)
    for cp in (start, end):  # a real Qt boundary, never mid-pair or mid-CRLF
        assert conv.to_py(conv.to_qt(cp)) == cp or collapsed_before(text, cp)


def test_long_paragraphs_become_display_blocks_without_moving_any_position():
    from annotator.core.offsets import DISPLAY_BLOCK, split_long_lines

    words = ("Baykar", "sold", "🚀", "drones", "to", "Azerbaijan")
    text = " ".join(words[i % len(words)] for i in range(60_000))  # ~200k chars, one paragraph
    shown = QtOffsets(text).display_text()
    assert len(shown) == len(text)
    lines = shown.split("\n")
    assert len(lines) > len(text) // DISPLAY_BLOCK
    assert max(len(line) for line in lines) <= DISPLAY_BLOCK
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(text, shown, strict=True))
    assert split_long_lines("日本語" * 5000) == "日本語" * 5000  # no space in reach: left whole
