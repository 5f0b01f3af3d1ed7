"""Terminal output for the CLI: a progress bar on a terminal (quiet in pipes) and plain tables."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
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
    return "\n".join(table_lines(headers, lambda: rows))


def table_lines(
    headers: Sequence[str], rows: Callable[[], Iterable[Sequence[object]]]
) -> Iterator[str]:
    """The lines of `table`, for rows too many to hold: `rows()` is called twice, once to
    measure the columns and once to write them."""
    widths = [len(str(h)) for h in headers]
    numeric = [True] * len(headers)
    seen = False
    for row in rows():
        seen = True
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(_cell(value)))
            numeric[i] = numeric[i] and isinstance(value, int)
    numeric = [seen and n for n in numeric]

    def line(cells: Iterable[str]) -> str:
        parts = [
            cell.rjust(w) if numeric[i] else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    yield line(str(h) for h in headers)
    for row in rows():
        yield line(_cell(v) for v in row)


def _cell(value: object) -> str:
    """One line of plain text: control characters (line breaks, tabs, terminal escapes from a
    hostile file) become spaces."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= 60 else text[:59] + "…"
