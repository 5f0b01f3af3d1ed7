"""The shared rules for a label's name, colour and hotkey, with their exact reasons."""

from __future__ import annotations

import re

import pytest

from annotator.core.labelrules import (
    MAX_NAME_LENGTH,
    PALETTE,
    hotkey_problem,
    name_problem,
    next_color,
    normalize_color,
)

HEX = re.compile(r"#[0-9A-F]{6}")

# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "ACTOR",
        "a",
        "Akteur–Ünternehmen 🚀",
        "two words",
        "中文标签",
        "X" * MAX_NAME_LENGTH,
        "no\u00a0break",  # whitespace inside is fine, only the ends are checked
        "private\ue000use",  # Co is allowed (icon fonts)
    ],
)
def test_good_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "label name is empty"),
        (None, "label name must be a string, not NoneType"),
        (7, "label name must be a string, not int"),
        ("   ", "label name '   ' is only whitespace"),
        ("\u00a0", "label name '\\xa0' is only whitespace"),
        ("\n", "label name '\\n' contains a control character (U+000A)"),
        (" FOO", "label name ' FOO' has whitespace at its start or end"),
        ("FOO ", "label name 'FOO ' has whitespace at its start or end"),
        ("FOO\u00a0", "label name 'FOO\\xa0' has whitespace at its start or end"),
        ("\u3000FOO", "label name '\\u3000FOO' has whitespace at its start or end"),
        ("FO\x07O", "label name 'FO\\x07O' contains a control character (U+0007)"),
        ("FOO\nBAR", "label name 'FOO\\nBAR' contains a control character (U+000A)"),
        ("FOO\t", "label name 'FOO\\t' contains a control character (U+0009)"),
        ("FOO\x7f", "label name 'FOO\\x7f' contains a control character (U+007F)"),
        ("FOO\x85", "label name 'FOO\\x85' contains a control character (U+0085)"),
        ("A\u200dB", "label name 'A\\u200dB' contains a format character (U+200D)"),
        ("\ufeffFOO", "label name '\\ufeffFOO' contains a format character (U+FEFF)"),
        ("FOO\u202e", "label name 'FOO\\u202e' contains a format character (U+202E)"),
        ("FOO\u00ad", "label name 'FOO\\xad' contains a format character (U+00AD)"),
        ("FOO\ud800", "label name 'FOO\\ud800' contains a lone surrogate (U+D800)"),
        ("FOO\u2028", "label name 'FOO\\u2028' contains a line separator (U+2028)"),
        ("FOO\u2029", "label name 'FOO\\u2029' contains a paragraph separator (U+2029)"),
        (
            "X" * (MAX_NAME_LENGTH + 1),
            f"label name '{'X' * 20}'… is longer than 64 characters ({MAX_NAME_LENGTH + 1})",
        ),
    ],
)
def test_bad_names(name, reason):
    assert name_problem(name) == reason


def test_first_forbidden_character_is_named():
    assert name_problem("A\x01B\u2028") == (
        "label name 'A\\x01B\\u2028' contains a control character (U+0001)"
    )


def test_control_characters_are_reported_before_whitespace_and_length():
    assert name_problem(" \x07" + "X" * 80).startswith("label name ' \\x07")
    assert name_problem(" \x07" + "X" * 80).endswith("contains a control character (U+0007)")


# --- colours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("color", "normal"),
    [
        ("#0072B2", "#0072B2"),
        ("#0072b2", "#0072B2"),
        ("#abc", "#AABBCC"),
        ("#ABC", "#AABBCC"),
        ("#000000", "#000000"),
        ("#fFfFfF", "#FFFFFF"),
    ],
)
def test_good_colours_are_normalised(color, normal):
    assert normalize_color(color) == normal


@pytest.mark.parametrize(
    "color",
    [
        None,
        "",
        "#",
        "0072B2",
        "#zzz",
        "#12345",
        "#1234",
        "#1234567",
        "#0072B2\n",
        " #0072B2",
        "#０７２",  # fullwidth digits are not hex digits
        "red",
        255,
        ["#0072B2"],
    ],
)
def test_bad_colours_are_none(color):
    assert normalize_color(color) is None


def test_palette_is_normalised_distinct_and_has_no_black():
    assert all(HEX.fullmatch(c) and normalize_color(c) == c for c in PALETTE)
    assert len(set(PALETTE)) == len(PALETTE) == 7
    assert "#000000" not in PALETTE
    assert PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


def test_next_color_takes_the_first_free_palette_colour_then_cycles():
    assert next_color([]) == PALETTE[0]
    assert next_color(["#0072b2", "#123456"]) == PALETTE[1]
    assert next_color(iter(["#E69F00"])) == PALETTE[0]
    assert next_color(PALETTE) == PALETTE[0]
    assert next_color([*PALETTE, PALETTE[0]]) == PALETTE[1]


# --- hotkeys --------------------------------------------------------------------------------


@pytest.mark.parametrize("hotkey", [None, "1", "9", "a", "z", "m"])
def test_good_hotkeys(hotkey):
    assert hotkey_problem(hotkey) is None


@pytest.mark.parametrize(
    ("hotkey", "reason"),
    [
        ("0", "hotkey '0' is not a single character 1-9 or a-z"),
        ("A", "hotkey 'A' is not a single character 1-9 or a-z"),
        ("F1", "hotkey 'F1' is not a single character 1-9 or a-z"),
        ("", "hotkey '' is not a single character 1-9 or a-z"),
        ("+", "hotkey '+' is not a single character 1-9 or a-z"),
        (" ", "hotkey ' ' is not a single character 1-9 or a-z"),
        ("a\n", "hotkey 'a\\n' is not a single character 1-9 or a-z"),
        ("ä", "hotkey 'ä' is not a single character 1-9 or a-z"),
        ("١", "hotkey '١' is not a single character 1-9 or a-z"),  # Arabic-Indic one
        (1, "hotkey 1 is not a single character 1-9 or a-z"),
        (True, "hotkey True is not a single character 1-9 or a-z"),
    ],
)
def test_bad_hotkeys(hotkey, reason):
    assert hotkey_problem(hotkey) == reason
