"""CSV export for R, Stata and spreadsheets: one row per span, with the text around it.

Columns: document_id, title, annotator, label, start, end, text, left_context, right_context.
Offsets are code points into the stored text, and `text` is exactly `document.text[start:end]`
(line breaks included, quoted as RFC 4180 says). The contexts are up to 40 characters either side
with every line break and tab shown as one space. Documents without spans give no rows.

When the export holds relations, a relations table goes beside the spans table
(`NAME.relations.csv` beside `NAME.csv`; in a split, beside each part): one row per relation,
columns document_id, title, annotator, type, then head_label, head_start, head_end, head_text
and the same for the tail; the two spans are those of the spans table with the same document,
annotator, label and offsets. A later export without relations removes the table an earlier
export of the same name wrote (when it may replace that export).

`csv` is UTF-8 without a BOM. `csv-excel` is for opening in Excel: UTF-8 with a BOM (else Excel
guesses a legacy code page), and a cell that Excel would run as a formula (one starting with
=, +, -, @, tab or CR) gets a leading apostrophe, as OWASP advises against CSV injection; use
`csv` when the exact text matters.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.relations import linked

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
RELATION_HEADER = (
    "document_id",
    "title",
    "annotator",
    "type",
    "head_label",
    "head_start",
    "head_end",
    "head_text",
    "tail_label",
    "tail_start",
    "tail_end",
    "tail_text",
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

    def side_file(self, target: Path) -> Path:
        """Where the relations table of an export to `target` goes: `NAME.relations.csv`."""
        return target.with_name(f"{target.stem}.relations{target.suffix or self.suffix}")

    def recognises_side(self, head: bytes) -> bool:
        """A relations table this writer wrote: its header row."""
        bom = "\ufeff" if self.excel else ""
        return head.startswith(f"{bom}{','.join(RELATION_HEADER)}\r\n".encode())

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        encoding = "utf-8-sig" if self.excel else "utf-8"
        with ExitStack() as files:
            writer = csv.writer(
                files.enter_context(target.open("w", encoding=encoding, newline=""))
            )
            writer.writerow(HEADER)
            table = None
            if report.relation_types:
                side = self.side_file(target)
                table = csv.writer(
                    files.enter_context(side.open("w", encoding=encoding, newline=""))
                )
                table.writerow(RELATION_HEADER)
            for item in items:
                writer.writerows(self._rows(item))
                if table is not None:
                    table.writerows(self._relation_rows(item))

    def _relation_rows(self, item: ExportItem) -> Iterable[list[str | int]]:
        doc = item.document
        for relation, head, tail in linked(item):
            row: list[str | int] = [doc.id, doc.title, relation.annotator, relation.type]
            for span in (head, tail):
                row += [span.label, span.start, span.end, doc.text[span.start : span.end]]
            yield [_guard(cell) for cell in row] if self.excel else row

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
