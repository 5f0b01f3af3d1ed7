"""The JSONL export writes each document's line as json.dumps(record, ensure_ascii=False) would,
with its spans formatted directly and one JSON encoder for the whole export."""

from __future__ import annotations

import json

import pytest
from format_samples import SAMPLES, fill

from annotator.core.layers import ALL
from annotator.core.model import Document, Relation, Span, Status
from annotator.io.exporter import export
from annotator.io.writers.base import ExportItem
from annotator.io.writers.jsonl import EncodedNames, document_line

HOSTILE = [
    'a "quoted" label',
    "back\\slash",
    "tab\tand\nnewline\r\n",
    "control \x01\x1f",
    "emoji 🚁 and 👩‍👩‍👧",
    "line\u2028separator\u2029",
    "RTL עברית",
    "CJK 日本語",
]
"""Names that JSON has to escape, or must keep as they are (ensure_ascii=False)."""
TEXT = 'Baykar sells the TB2 🚁 to Kyiv.\r\nThe 👩‍👩‍👧 family said: "Bayraktar"\u2028TB2.'
META = {"spans": [], "title": "an earlier meta's own", "nested": {"a": [1, 2.5, None, True]}}


def item(annotator: str | None, status: Status | None, relations: bool) -> ExportItem:
    """A document with a span per hostile name (as label and as annotator) and, when asked,
    relations between them."""
    doc = Document(7, 'Title "x"', "a/source.txt", TEXT, "sha", META)
    spans = [
        Span(n + 1, 7, name, HOSTILE[-1 - n], n, n + 5 + n % 3) for n, name in enumerate(HOSTILE)
    ]
    links = (
        (Relation(1, 7, "ann", 'a "type" 🚁', 3, 1), Relation(2, 7, "ann", "plain", 2, 5))
        if relations
        else ()
    )
    return ExportItem(doc, spans, annotator, status, relations=links)


def record(item: ExportItem) -> dict:
    """The record as the JSONL export's schema defines it (docs/architecture.md)."""
    doc = item.document
    meta = {**doc.meta, "title": doc.title}
    meta.setdefault("source", doc.source)
    entries = []
    for span in item.spans:
        entry = {"start": span.start, "end": span.end, "label": span.label}
        if item.annotator is None:
            entry["annotator"] = span.annotator
        entries.append(entry)
    found = {"text": doc.text, "meta": meta, "spans": entries, "document_id": doc.id}
    if item.relations:
        index = {span.id: n for n, span in enumerate(item.spans)}
        place = {span.id: (span.start, span.end, span.label, span.annotator) for span in item.spans}
        ordered = sorted(item.relations, key=lambda r: (place[r.head], place[r.tail], r.type))
        found["relations"] = [
            {"head": index[r.head], "tail": index[r.tail], "type": r.type} for r in ordered
        ]
    if item.annotator is not None:
        found["annotator"] = item.annotator
    if item.status is not None:
        found["status"] = item.status.value
    return found


@pytest.mark.parametrize("annotator", [None, 'judge "one" 🚁'])
@pytest.mark.parametrize("status", [None, Status.DONE])
@pytest.mark.parametrize("relations", [False, True])
def test_a_document_line_is_what_json_dumps_writes(annotator, status, relations):
    names = EncodedNames()
    exported = item(annotator, status, relations)
    line = document_line(exported, names)
    assert line == json.dumps(record(exported), ensure_ascii=False)
    assert json.loads(line)["spans"][0]["label"] == HOSTILE[-1]
    assert document_line(exported, names) == line  # the names encoded before are reused
    assert set(names) <= set(HOSTILE) | {annotator}


def test_a_document_without_spans_has_an_empty_list():
    doc = Document(1, "", "", "no spans", "sha", {})
    line = document_line(ExportItem(doc, [], None, None), EncodedNames())
    assert line == '{"text": "no spans", "meta": {}, "spans": [], "document_id": 1}'


def test_the_export_builds_no_json_encoder_per_document(project, tmp_path, monkeypatch):
    fill(project)
    made = []
    init = json.JSONEncoder.__init__

    def counted(self, *args, **kwargs):
        made.append(kwargs)
        init(self, *args, **kwargs)

    monkeypatch.setattr(json.JSONEncoder, "__init__", counted)
    report = export(project, "jsonl", tmp_path / "out.jsonl", layer=ALL)
    assert report.documents == len(SAMPLES) and made == []
