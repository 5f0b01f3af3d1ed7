"""CSV export for R, Stata and spreadsheets: one row per span, with the text around it.

Columns: document_id, title, annotator, label, start, end, text, left_context, right_context.
Offsets are code points into the stored text, and `text` is exactly `document.text[start:end]`
(line breaks included, quoted as RFC 4180 says). The contexts are up to 40 characters either side
with every line break and tab shown as one space. Documents without spans give no rows.

`csv` is UTF-8 without a BOM. `csv-excel` is for opening in Excel: UTF-8 with a BOM (else Excel
guesses a legacy code page), and a cell that Excel would run as a formula (one starting with
=, +, -, @, tab or CR) gets a leading apostrophe, as OWASP advises against CSV injection; use
`csv` when the exact text matters.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from annotator.io.writers.base import ExportItem, ExportReport

HEADER = (
    "document_id",
    "title",
    "annotator",
    "label",
    "start",
    "end",
    "text",
    "left_context",
    "right_context",
)
CONTEXT = 40
_BREAKS = re.compile(r"\r\n|[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvWriter:
    """Rows of spans; `excel=True` adds the BOM and guards cells Excel would evaluate."""

    suffix = ".csv"

    def __init__(self, *, excel: bool = False) -> None:
        self.excel = excel
        self.name = "csv-excel" if excel else "csv"

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: the header row (after the BOM for csv-excel)."""
        bom = "\ufeff" if self.excel else ""
        return head.startswith(f"{bom}{','.join(HEADER)}\r\n".encode())

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        encoding = "utf-8-sig" if self.excel else "utf-8"
        with target.open("w", encoding=encoding, newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(HEADER)
            for item in items:
                writer.writerows(self._rows(item))

    def _rows(self, item: ExportItem) -> Iterable[list[str | int]]:
        doc = item.document
        text = doc.text
        for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label, s.annotator)):
            row: list[str | int] = [
                doc.id,
                doc.title,
                span.annotator,
                span.label,
                span.start,
                span.end,
                text[span.start : span.end],
                _flat(text[max(0, span.start - CONTEXT) : span.start]),
                _flat(text[span.end : span.end + CONTEXT]),
            ]
            yield [_guard(cell) for cell in row] if self.excel else row


def _flat(text: str) -> str:
    """Context on one line: each line break (CRLF counts as one) and tab becomes a space."""
    return _BREAKS.sub(" ", text)


def _guard(cell: str | int) -> str | int:
    """A text cell Excel would evaluate as a formula, prefixed with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell
