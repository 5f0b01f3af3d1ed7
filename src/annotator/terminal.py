"""Terminal output for the CLI: a progress bar on a terminal (quiet in pipes) and plain tables."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from typing import TextIO


class TerminalProgress:
    """A progress token that draws `label [#####     ] 50/100` on stderr when it is a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def report(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = self.width * done // total
        bar = "#" * filled + " " * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()

    def cancelled(self) -> bool:
        return False


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows as aligned columns under a header line (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) and rows for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(w) if numeric[i] else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _cell(value: object) -> str:
    """One line of plain text: control characters (line breaks, tabs, terminal escapes from a
    hostile file) become spaces."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= 60 else text[:59] + "…"
