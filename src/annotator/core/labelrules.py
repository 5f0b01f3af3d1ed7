"""What a label's name, colour and hotkey may be: one set of rules for schemas, CLI and UI."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_LENGTH = 64
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_HOTKEY = re.compile(r"[1-9a-z]")


def name_problem(name: object) -> str | None:
    """Why `name` cannot name a label, or None when it can."""
    if not isinstance(name, str) or not name.strip():
        return "a label needs a non-empty name"
    if name != name.strip():
        return f"label name {name!r} has spaces at its ends"
    if len(name) > MAX_NAME_LENGTH:
        return f"label name {name[:20]!r}… is longer than {MAX_NAME_LENGTH} characters"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        return f"label name {name!r} contains control characters"
    return None


def normalize_color(color: object) -> str | None:
    """`#RRGGBB` in upper case for '#rgb' or '#rrggbb', else None."""
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        return None
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def hotkey_problem(hotkey: object) -> str | None:
    """Why `hotkey` cannot be a label's key (one of 1-9 or a-z), or None when it can."""
    if hotkey is None:
        return None
    if not isinstance(hotkey, str) or not _HOTKEY.fullmatch(hotkey):
        return f"hotkey {hotkey!r} must be one character, 1-9 or a-z"
    return None
