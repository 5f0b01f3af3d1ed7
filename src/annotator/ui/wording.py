"""How the app words counts in its messages."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """`n word` with an s unless n is 1, and thousands separators: "1 document", "2,000 spans"."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
