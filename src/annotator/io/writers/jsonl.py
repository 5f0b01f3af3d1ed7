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


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""json.dumps(record, ensure_ascii=False) with one encoder for every record (json.dumps makes
a new one per call when given an option)."""


def write_json_lines(records: Iterable[dict[str, Any]], target: Path) -> None:
    """One UTF-8 JSON object per line, non-ASCII kept as is (so offsets read naturally)."""
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        for record in records:
            stream.write(_ENCODE(record))
            stream.write("\n")


def document_line(item: ExportItem, names: EncodedNames) -> str:
    """The JSON object of one document on one line, as json.dumps(record, ensure_ascii=False)
    writes it: {"text", "meta", "spans", "document_id"}, then "relations" (when the layer has
    some: head and tail by their index in "spans"), "annotator" and "status" (layers of one
    annotator). Spans name their annotator when the layer has many. `document_id` is the
    project's id of the document (`annotator export --doc`, `decide`); an import ignores it
    (ids are each project's own).

    Spans are formatted directly, their names encoded once per export (`names`): a dict per
    span, then its encoding, took a fifth of the export."""
    doc = item.document
    before = _ENCODE({"text": doc.text, "meta": document_meta(doc)})
    after: dict[str, Any] = {"document_id": doc.id}
    if item.relations:
        index = {span.id: n for n, span in enumerate(item.spans)}
        after["relations"] = [
            {"head": index[head.id], "tail": index[tail.id], "type": relation.type}
            for relation, head, tail in linked(item)
        ]
    if item.annotator is not None:
        after["annotator"] = item.annotator
    if item.status is not None:
        after["status"] = item.status.value
    if item.annotator is None:
        spans = [
            f'{{"start": {s.start}, "end": {s.end}, "label": {names[s.label]}, '
            f'"annotator": {names[s.annotator]}}}'
            for s in item.spans
        ]
    else:
        spans = [
            f'{{"start": {s.start}, "end": {s.end}, "label": {names[s.label]}}}' for s in item.spans
        ]
    return f'{before[:-1]}, "spans": [{", ".join(spans)}], {_ENCODE(after)[1:]}'


class EncodedNames(dict[str, str]):
    """Label and annotator names as JSON strings, each encoded the first time it is asked for."""

    def __missing__(self, name: str) -> str:
        encoded: str = _ENCODE(name)
        self[name] = encoded
        return encoded


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
        names = EncodedNames()
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            for item in items:
                stream.write(document_line(item, names))
                stream.write("\n")
