"""doccano JSONL export: the shape doccano's importer reads, span for span, in code points."""

from __future__ import annotations

import json
from pathlib import Path

from format_samples import SAMPLES, expected_spans, fill

from annotator.io.exporter import export

DOCCANO_EXAMPLE = Path(__file__).parents[1] / "data/peers/doccano/sequence_labeling.jsonl"


def doccano_load(path: Path) -> list[dict]:
    """Examples as doccano's importer makes them (backend/data_import/pipeline): the "text"
    column is the text, the "label" column holds [start_offset, end_offset, label] lists
    (non-negative ints, start < end, a non-empty label), every other column is metadata."""
    examples = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        row = json.loads(line)
        text = row.pop("text")
        assert isinstance(text, str) and text, f"line {number}: empty text"
        spans = []
        for entry in row.pop("label", []):
            start, end, label = entry
            assert type(start) is int and type(end) is int and 0 <= start < end, entry
            assert isinstance(label, str) and label, entry
            spans.append((start, end, label))
        examples.append({"text": text, "spans": spans, "meta": row})
    return examples


def test_export_keeps_texts_and_every_span_in_code_points(project, tmp_path):
    """Emoji, CRLF, combining marks, RTL and CJK: the texts as stored, offsets in code points;
    read by the same loader as doccano's own example."""
    examples = doccano_load(DOCCANO_EXAMPLE)
    assert [(e["text"][s:t], lab) for e in examples for s, t, lab in e["spans"]] == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("Peter Blackburn", "PERSON"),
        ("Obama", "PERSON"),
    ]
    fill(project)
    out = tmp_path / "corpus.jsonl"
    report = export(project, "doccano", out, layer="alice")
    assert not report.adjusted and not report.dropped
    examples = doccano_load(out)
    assert [e["text"] for e in examples] == [text for _, text, _ in SAMPLES]
    found = {(e["text"], s, t, label) for e in examples for s, t, label in e["spans"]}
    assert found == expected_spans()
    emoji = examples[0]
    start, end, _ = emoji["spans"][-1]
    assert emoji["text"][start:end] == "Bayraktar\r\nTB2"
    assert (start, end) == (56, 70)  # code points; UTF-16 would be (60, 74)
    assert [e["meta"]["title"] for e in examples] == [title for title, _, _ in SAMPLES]
    first = out.read_text("utf-8").splitlines()[0]
    assert first.startswith('{"label": [[') and "🚁" in first  # UTF-8, not \\u escapes


def test_identical_spans_of_several_annotators_are_written_once(project, tmp_path):
    doc = next(iter(project.add_document("Baykar sells the TB2.").documents))
    for who in ("alice", "bob"):
        project.add_span(doc, who, "ACTOR", 0, 6)
    project.add_span(doc, "bob", "PLATFORM", 17, 20)
    out = tmp_path / "all.jsonl"
    report = export(project, "doccano", out, layer="all")
    (example,) = doccano_load(out)
    assert example["spans"] == [(0, 6, "ACTOR"), (17, 20, "PLATFORM")]
    assert sum(report.adjusted.values()) == 1
    assert "written once (doccano has no annotator)" in report.summary()


def test_metadata_becomes_fields_and_doccanos_own_names_are_left_out(project, tmp_path):
    text = "Baykar sells the TB2."
    project.add_document(text, title="T", meta={"url": "https://x.test", "label": "news"})
    out = tmp_path / "meta.jsonl"
    report = export(project, "doccano", out, layer="all")
    (example,) = doccano_load(out)
    assert example["meta"] == {"url": "https://x.test", "title": "T"}
    assert report.adjusted == {"metadata 'label' left out (doccano's own field)": 1}
