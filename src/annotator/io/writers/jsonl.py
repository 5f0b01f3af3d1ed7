"""JSONL export: one document per line in the DESIGN.md schema (Prodigy-compatible fields)."""

from __future__ import annotations

import json
from typing import IO, Any

from annotator.core.model import Document, Span, Status


def document_record(
    doc: Document, spans: list[Span], annotator: str | None, status: Status | None
) -> dict[str, Any]:
    """The JSON object of one document; spans name their annotator when the layer has many."""
    meta = dict(doc.meta)
    if doc.title:
        meta["title"] = doc.title
    if doc.source:
        meta.setdefault("source", doc.source)
    record: dict[str, Any] = {"text": doc.text, "meta": meta, "spans": []}
    for span in spans:
        item: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
        if annotator is None:
            item["annotator"] = span.annotator
        record["spans"].append(item)
    if annotator is not None:
        record["annotator"] = annotator
    if status is not None:
        record["status"] = status.value
    return record


def write_record(out: IO[str], record: dict[str, Any]) -> None:
    """One line of UTF-8 JSON (non-ASCII kept as is, so offsets read naturally)."""
    out.write(json.dumps(record, ensure_ascii=False))
    out.write("\n")
