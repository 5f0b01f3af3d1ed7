"""CSV export: one row per span that R, pandas and spreadsheets read back exactly."""

from __future__ import annotations

import codecs
import csv
import re

from format_samples import SAMPLES, expected_spans, fill

from annotator.io.exporter import export
from annotator.io.writers.csv import HEADER


def read_rows(path, encoding="utf-8"):
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def one_line(text):
    return re.sub(r"\r\n|[\r\n]", " ", text)


def test_rows_read_back_exactly_with_the_csv_module(project, tmp_path):
    texts = fill(project)
    out = tmp_path / "spans.csv"
    report = export(project, "csv", out)
    assert not out.read_bytes().startswith(codecs.BOM_UTF8)
    with out.open(encoding="utf-8", newline="") as stream:
        assert next(csv.reader(stream)) == list(HEADER)
    rows = read_rows(out)
    assert len(rows) == sum(len(spans) for _, _, spans in SAMPLES)
    found = set()
    for row in rows:
        text = texts[int(row["document_id"])]
        start, end = int(row["start"]), int(row["end"])
        assert row["text"] == text[start:end]  # CRLF, emoji, combining marks kept
        assert row["annotator"] == "alice"
        assert row["left_context"] == one_line(text[max(0, start - 40) : start])
        assert row["right_context"] == one_line(text[end : end + 40])
        found.add((text, start, end, row["label"]))
    assert found == expected_spans()
    assert {row["title"] for row in rows} == {title for title, _, spans in SAMPLES if spans}
    assert report.documents == len(SAMPLES) and not report.dropped and not report.adjusted


def test_context_is_forty_characters_on_one_line(project, tmp_path):
    text = "x" * 50 + "\r\nBaykar\nTB2\r\n" + "y" * 50
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    project.add_span(doc, "alice", "ACTOR", 52, 58)
    out = tmp_path / "spans.csv"
    export(project, "csv", out)
    (row,) = read_rows(out)
    assert row["left_context"] == "x" * 38 + " "  # "\r\n" is one space
    assert row["right_context"] == " TB2 " + "y" * 34


def test_excel_variant_has_a_bom_and_disarms_formulas(project, tmp_path):
    text = '=HYPERLINK("http://evil") and @SUM(A1) said Baykar'
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    project.add_span(doc, "alice", "ACTOR", 0, 10)
    project.add_span(doc, "alice", "ACTOR", text.index("Baykar"), len(text))
    out = tmp_path / "excel.csv"
    export(project, "csv-excel", out)
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    rows = read_rows(out, encoding="utf-8-sig")
    assert [row["document_id"] for row in rows] == [str(doc), str(doc)]
    assert rows[0]["text"] == "'=HYPERLINK"
    assert rows[1]["text"] == "Baykar"
    assert not any(v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())


def test_documents_without_spans_give_no_rows(project, tmp_path):
    project.add_document("Nothing here.")
    out = tmp_path / "empty.csv"
    report = export(project, "csv", out, layer="all")
    assert read_rows(out) == [] and report.documents == 1
