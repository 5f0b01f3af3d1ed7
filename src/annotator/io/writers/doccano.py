"""doccano JSONL export: one sequence-labelling record per line, as doccano imports and exports it.

A record is `{"label": [[START, END, "LABEL"], ...], "text": TEXT, ...metadata}`: offsets are
Python code points of the stored text (doccano's own unit), and the document's metadata, title
and source are top-level fields, which doccano keeps as the example's metadata. doccano has no
annotator per span: a span marked identically by several annotators (layer "all") is written
once, and reported. "label" comes first so that an earlier export is told apart from our own
JSONL (`{"text": ...`) by its first bytes; doccano reads the fields in any order.

When the export holds relations, every record has doccano's relation-extraction shape instead
(its "JSONL (relation)" import): `{"entities": [{"id", "start_offset", "end_offset", "label"}],
"relations": [{"id", "from_id", "to_id", "type"}], "text": TEXT, ...}`, ids numbering the
record's entities from 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.jsonl import document_meta, write_json_lines
from annotator.io.writers.relations import linked

RESERVED = ("label", "text", "entities", "relations")
DUPLICATE = "marked identically by several annotators: written once (doccano has no annotator)"


def doccano_record(item: ExportItem, report: ExportReport) -> dict[str, Any]:
    """The doccano record of one document: sequence labelling, or, when the export holds
    relations, relation extraction; metadata named like a doccano field is left out
    (reported)."""
    doc = item.document
    spans: list[list[Any]] = []
    seen: dict[tuple[int, int, str], int] = {}
    entity_of: dict[int, int] = {}
    for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key in seen:
            report.adjusted[DUPLICATE] += 1
            entity_of[span.id] = seen[key]
            continue
        seen[key] = entity_of[span.id] = len(spans)
        spans.append([span.start, span.end, span.label])
    record: dict[str, Any] = (
        _relation_record(doc.text, spans, entity_of, item)
        if report.relation_types
        else {"label": spans, "text": doc.text}
    )
    for key, value in document_meta(doc).items():
        if key in RESERVED:
            report.adjusted[f"metadata {key!r} left out (doccano's own field)"] += 1
            continue
        record[key] = value
    return record


def _relation_record(
    text: str, spans: list[list[Any]], entity_of: dict[int, int], item: ExportItem
) -> dict[str, Any]:
    """doccano's relation-extraction record: entities with ids (their index) and relations
    naming them; relations that become the same once duplicate spans are merged, once."""
    entities = [
        {"id": n, "start_offset": start, "end_offset": end, "label": label}
        for n, (start, end, label) in enumerate(spans)
    ]
    pairs = dict.fromkeys(
        (entity_of[head.id], entity_of[tail.id], relation.type)
        for relation, head, tail in linked(item)
    )
    relations = [
        {"id": n, "from_id": head, "to_id": tail, "type": kind}
        for n, (head, tail, kind) in enumerate(pairs)
    ]
    return {"entities": entities, "relations": relations, "text": text}


class DoccanoWriter:
    """doccano's sequence-labelling JSONL (UTF-8, one record per line, non-ASCII kept)."""

    name = "doccano"
    suffix = ".jsonl"

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "label" field (or with
        "entities", with relations)."""
        return head.startswith((b'{"label": [', b'{"entities": ['))

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        write_json_lines((doccano_record(item, report) for item in items), target)
