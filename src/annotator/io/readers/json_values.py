"""What the JSON readers share: refusing NaN and Infinity, and naming a value's type."""

from __future__ import annotations

from typing import Any


def reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which Python's json accepts but JSON does not (for
    `parse_constant`)."""
    raise ValueError(f"{name} is not a JSON number")


def json_kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return {dict: "an object", list: "an array", str: "a string"}[type(value)]
