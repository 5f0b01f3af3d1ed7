"""What the JSON readers (JSONL, Label Studio) share: checked values of a record (offsets,
names), refusing NaN and Infinity, and the JSON names of types, for messages."""

from __future__ import annotations

import re
from typing import Any

SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which Python's json accepts but JSON does not (for
    `parse_constant`)."""
    raise ValueError(f"{name} is not a JSON number")


def offset_value(value: Any, what: str, problems: list[str]) -> int | None:
    """An integer offset (true/false and 3.0 are not), or None with the reason appended."""
    if value is None:
        problems.append(f"{what} is missing")
    elif isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{what} must be an integer, got {json_kind(value)}")
    else:
        return value
    return None


def name_value(value: Any, what: str, problems: list[str], *, required: bool) -> str | None:
    """A non-empty name without control characters, or None (with a reason if it was bad)."""
    if value is None:
        if required:
            problems.append(f"{what} is missing")
        return None
    if not isinstance(value, str):
        problems.append(f"{what} must be a string, got {json_kind(value)}")
    elif not value.strip():
        problems.append(f"{what} is empty")
    elif match := _CONTROL_OR_SURROGATE.search(value):
        char = match.group()
        what_char = "a lone surrogate" if SURROGATE.match(char) else "a control character"
        problems.append(f"{what} contains {what_char} (U+{ord(char):04X})")
    else:
        return value
    return None


def json_kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return {dict: "an object", list: "an array", str: "a string"}[type(value)]
