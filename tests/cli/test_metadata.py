"""Article metadata through the command line (issue 19 item 7): imported with the documents,
and carried by every export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project
from annotator.io.readers.xmi import read_xmi
from annotator.io.writers.xmi import DOCUMENT_METADATA, METADATA_FIELD, TYPESYSTEM_FILE
from annotator.nlp.docbin import read_docbin
from annotator.nlp.formats.docbin_reader import read_spacy

BODY = "In a significant shift in defense alliances, Azerbaijan and Baykar signed.\n"
SEED = " date 2024-03-08 " + BODY  # how the seed article opens: the date, then the text


def test_import_stores_the_named_source_else_the_file(tmp_path):
    seed = tmp_path / "azerbaijan-baykar-2024-03-08.txt"
    seed.write_text(SEED, encoding="utf-8")
    named = tmp_path / "named.txt"
    named.write_text("Source: Reuters\nURL: https://r.example/1\n\nOther text.", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, seed, named) == 0
    with Project.open(db) as project:
        docs = {doc.meta["filename"]: doc for doc in project.iter_documents()}
    assert docs[seed.name].source == str(seed)
    assert docs[seed.name].meta["date"] == "2024-03-08"
    assert not docs[seed.name].title.startswith("date")
    assert docs["named.txt"].source == "Reuters"
    assert docs["named.txt"].meta["url"] == "https://r.example/1"
    assert docs["named.txt"].text == "Other text."


ARTICLE = {
    "text": "Baykar sold TB2 drones to Azerbaijan.",
    "meta": {"title": "Baykar deal", "date": "8 March 2024", "source": "AP", "url": "https://a/1"},
    "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
    "annotator": "alice",
}
EXPECTED = {"title": "Baykar deal", "date": "2024-03-08", "source": "AP", "url": "https://a/1"}


@pytest.fixture
def exported(tmp_path):
    """A project holding ARTICLE, and a function exporting alice's layer in a format."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, source) == 0

    def export(fmt: str) -> Path:
        out = tmp_path / f"out-{fmt}"
        assert run("export", "--db", db, "--format", fmt, "--out", out, "--layer", "alice") == 0
        return out

    return export


def test_jsonl_round_trip_keeps_title_date_source_and_url(exported, tmp_path):
    [record] = [json.loads(line) for line in exported("jsonl").read_text("utf-8").splitlines()]
    assert {key: record["meta"][key] for key in EXPECTED} == EXPECTED
    again = tmp_path / "again.db"
    assert run("init", "--db", again) == 0
    assert run("import", "--db", again, tmp_path / "out-jsonl") == 0
    with Project.open(again) as project:
        [doc] = project.iter_documents()
    assert (doc.title, doc.meta["date"], doc.source, doc.meta["url"]) == tuple(EXPECTED.values())


def test_label_studio_round_trip_keeps_title_date_source_and_url(exported, tmp_path):
    out = exported("labelstudio")
    again = tmp_path / "again.db"
    assert run("init", "--db", again) == 0
    assert run("import", "--db", again, out / "tasks.json") == 0
    with Project.open(again) as project:
        [doc] = project.iter_documents()
    assert (doc.title, doc.meta["date"], doc.source, doc.meta["url"]) == tuple(EXPECTED.values())


def test_hf_records_have_title_date_source_and_url_columns(exported):
    [record] = [json.loads(line) for line in exported("hf").read_text("utf-8").splitlines()]
    assert {key: record[key] for key in EXPECTED} == EXPECTED


def test_docbin_user_data_carries_them_and_reads_back(exported):
    data = exported("spacy").read_bytes()
    [record] = read_docbin(data)
    assert {key: record.user_data[key] for key in EXPECTED} == EXPECTED
    [doc] = read_spacy(Path("out.spacy"), data)
    assert (doc.meta["date"], doc.meta["source"], doc.meta["url"]) == (
        "2024-03-08",
        "AP",
        "https://a/1",
    )


def test_xmi_document_metadata_and_metadata_fields_carry_them(exported):
    from cassis import load_cas_from_xmi, load_typesystem

    folder = exported("xmi")
    ts = load_typesystem((folder / TYPESYSTEM_FILE).read_text("utf-8"))
    [xmi] = [path for path in folder.iterdir() if path.suffix == ".xmi"]
    cas = load_cas_from_xmi(xmi.read_text("utf-8"), typesystem=ts)
    [info] = cas.select(DOCUMENT_METADATA)
    assert (info.get("documentTitle"), info.get("documentUri")) == ("Baykar deal", "https://a/1")
    fields = {field.get("key"): field.get("value") for field in cas.select(METADATA_FIELD)}
    assert fields == {"date": "2024-03-08", "source": "AP"}
    result = read_xmi(xmi, xmi.read_bytes())
    assert not result.skipped  # the metadata fields are not annotations left out
    assert {key: result[0].meta[key] for key in ("date", "source", "url")} == {
        "date": "2024-03-08",
        "source": "AP",
        "url": "https://a/1",
    }


def test_doccano_and_label_studio_carry_them_as_metadata(exported):
    [record] = [json.loads(line) for line in exported("doccano").read_text("utf-8").splitlines()]
    assert {key: record[key] for key in EXPECTED} == EXPECTED
    [task] = json.loads((exported("labelstudio") / "tasks.json").read_text("utf-8"))
    assert {key: task["meta"][key] for key in EXPECTED} == EXPECTED


def test_docs_lists_the_date_and_searches_sources_and_dates(tmp_path, capsys):
    named = tmp_path / "named.txt"
    named.write_text("Date: 8 March 2024\nSource: Reuters\n\nOther text.", encoding="utf-8")
    (tmp_path / "plain.txt").write_text("A text without a date.", encoding="utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, named, tmp_path / "plain.txt") == 0
    capsys.readouterr()
    assert run("docs", "--db", db, "--search", "reuters") == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert "date" in header.split() and len(rows) == 1 and "2024-03-08" in rows[0]
    assert run("docs", "--db", db, "--search", "2024-03") == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
