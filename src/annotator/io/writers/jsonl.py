"""JSONL export: one document per line in the schema of docs/architecture.md (Prodigy-compatible
fields)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.model import Document
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.relations import linked


def document_meta(doc: Document) -> dict[str, Any]:
    """A document's metadata with its title and source (the source a file named, if any)."""
    meta = dict(doc.meta)
    if doc.title:
        meta["title"] = doc.title
    if doc.source:
        meta.setdefault("source", doc.source)
    return meta


def write_json_lines(records: Iterable[dict[str, Any]], target: Path) -> None:
    """One UTF-8 JSON object per line, non-ASCII kept as is (so offsets read naturally)."""
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False))
            stream.write("\n")


def document_record(item: ExportItem) -> dict[str, Any]:
    """The JSON object of one document; spans name their annotator when the layer has many, and
    relations (when it has some) name their head and tail by their index in "spans".
    `document_id` is the project's id of the document (`annotator export --doc`, `decide`);
    an import ignores it (ids are each project's own)."""
    doc = item.document
    record: dict[str, Any] = {"text": doc.text, "meta": document_meta(doc), "spans": []}
    record["document_id"] = doc.id
    for span in item.spans:
        entry: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
        if item.annotator is None:
            entry["annotator"] = span.annotator
        record["spans"].append(entry)
    if item.relations:
        index = {span.id: n for n, span in enumerate(item.spans)}
        record["relations"] = [
            {"head": index[head.id], "tail": index[tail.id], "type": relation.type}
            for relation, head, tail in linked(item)
        ]
    if item.annotator is not None:
        record["annotator"] = item.annotator
    if item.status is not None:
        record["status"] = item.status.value
    return record


class JsonlWriter:
    """One UTF-8 JSON object per line (non-ASCII kept as is, so offsets read naturally)."""

    name = "jsonl"
    suffix = ".jsonl"

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "text" field."""
        return head.startswith(b'{"text": ')

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        write_json_lines((document_record(item) for item in items), target)
