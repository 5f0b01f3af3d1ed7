"""doccano JSONL export: one sequence-labelling record per line, as doccano imports and exports it.

A record is `{"label": [[START, END, "LABEL"], ...], "text": TEXT, ...metadata}`: offsets are
Python code points of the stored text (doccano's own unit), and the document's metadata, title
and source are top-level fields, which doccano keeps as the example's metadata. doccano has no
annotator per span: a span marked identically by several annotators (layer "all") is written
once, and reported. "label" comes first so that an earlier export is told apart from our own
JSONL (`{"text": ...`) by its first bytes; doccano reads the fields in any order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.jsonl import document_meta, write_json_lines

RESERVED = ("label", "text")
DUPLICATE = "marked identically by several annotators: written once (doccano has no annotator)"


def doccano_record(item: ExportItem, report: ExportReport) -> dict[str, Any]:
    """The doccano record of one document; metadata named like a doccano field is left out
    (reported)."""
    doc = item.document
    spans: list[list[Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key in seen:
            report.adjusted[DUPLICATE] += 1
            continue
        seen.add(key)
        spans.append([span.start, span.end, span.label])
    record: dict[str, Any] = {"label": spans, "text": doc.text}
    for key, value in document_meta(doc).items():
        if key in RESERVED:
            report.adjusted[f"metadata {key!r} left out (doccano's own field)"] += 1
            continue
        record[key] = value
    return record


class DoccanoWriter:
    """doccano's sequence-labelling JSONL (UTF-8, one record per line, non-ASCII kept)."""

    name = "doccano"
    suffix = ".jsonl"

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "label" field."""
        return head.startswith(b'{"label": [')

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        write_json_lines((doccano_record(item, report) for item in items), target)
