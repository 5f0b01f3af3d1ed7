"""The command line against a server database: init, import, docs, stats, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main

pytestmark = pytest.mark.postgresql

RECORDS = [
    {
        "text": "Baykar 🚀 sold the TB2\r\nto Azerbaijan.",
        "spans": [{"start": 0, "end": 6, "label": "ACTOR", "annotator": "ana"}],
        "status": "done",
        "annotator": "ana",
    },
    {"text": "Pakistan and China built the JF-17.", "spans": []},
]


def run(*argv: object) -> int:
    return main([str(a) for a in argv])


def test_init_import_docs_stats_and_export_round_trip(pg_url, tmp_path, capsys):
    assert run("init", "--db", pg_url) == 0
    assert "with labels ACTOR, PLATFORM, MOTIVATION" in capsys.readouterr().out
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), "utf-8")
    assert run("import", "--db", pg_url, source) == 0
    assert run("import", "--db", pg_url, source) == 0  # idempotent
    capsys.readouterr()

    assert run("docs", "--db", pg_url, "--search", "azerbaijan", "--format", "json") == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["span_count"] == 1

    assert run("stats", "--db", pg_url, "--format", "json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["documents"], stats["spans"]) == (2, 1)
    assert stats["status_per_annotator"] == {"ana": {"done": 1}}

    out = tmp_path / "out.jsonl"
    assert run("export", "--db", pg_url, "--format", "jsonl", "--out", out) == 0
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert exported[0]["text"] == RECORDS[0]["text"]  # verbatim, CRLF kept
    assert [(s["start"], s["end"], s["label"]) for s in exported[0]["spans"]] == [(0, 6, "ACTOR")]


def test_init_on_a_database_that_holds_a_project_is_refused(pg_url, capsys):
    assert run("init", "--db", pg_url) == 0
    assert run("labels", "--db", pg_url, "add", "COUNTRY") == 0
    capsys.readouterr()
    assert run("init", "--db", pg_url, "--samples") == 1
    assert "already holds a project; open it instead" in capsys.readouterr().err
    assert run("stats", "--db", pg_url, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 0  # --samples added nothing
    assert run("labels", "--db", pg_url) == 0
    assert "COUNTRY" in capsys.readouterr().out


def test_annotator_db_may_name_a_server(pg_url, monkeypatch, capsys):
    assert run("init", "--db", pg_url) == 0
    monkeypatch.setenv("ANNOTATOR_DB", pg_url)
    capsys.readouterr()
    assert run("labels") == 0
    assert "MOTIVATION" in capsys.readouterr().out


def test_a_bad_url_is_a_data_error(capsys, tmp_path: Path):
    assert run("stats", "--db", "postgresql://nobody@localhost:1/none") == 1
    assert "cannot open as a project" in capsys.readouterr().err
