"""`annotator gold [show | set ANNOTATOR | unset]`: a gold layer without the app (issue 19)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project

TEXT = "Baykar sold the TB2 to Kyiv."


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    record = {"text": TEXT, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record) + "\n", "utf-8")
    assert run("init", "--db", path) == 0
    assert run("import", "--db", path, source, "--annotator", "adjudicated") == 0
    return path


def test_without_gold_export_says_how_to_make_one_then_set_makes_it(db, tmp_path, capsys):
    out = tmp_path / "gold.jsonl"
    assert run("gold", "--db", db) == 0
    assert capsys.readouterr().out == "no gold layer\n"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "gold") == 1
    assert "annotator gold set ANNOTATOR" in capsys.readouterr().err
    assert run("gold", "set", "adjudicated", "--db", db) == 0  # --db after the sub-command
    assert capsys.readouterr().out == "gold layer: adjudicated\n"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "gold") == 0
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(0, 6, "ACTOR")]
    capsys.readouterr()
    assert run("gold", "show", "--db", db) == 0
    assert capsys.readouterr().out == "gold layer: adjudicated\n"


def test_an_unknown_annotator_is_refused_with_the_names_and_nothing_changes(db, capsys):
    before = db.read_bytes()
    assert run("gold", "set", "adjudicatd", "--db", db) == 1
    err = capsys.readouterr().err
    assert "no annotator named 'adjudicatd' (annotators: adjudicated)" in err
    assert db.read_bytes() == before
    with Project(db) as project:
        assert project.gold_annotator() is None


def test_unset_leaves_every_span_in_an_ordinary_layer(db, capsys):
    assert run("gold", "set", "adjudicated", "--db", db) == 0
    assert run("gold", "unset", "--db", db) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "no gold layer (adjudicated is an ordinary layer again)"
    )
    with Project(db) as project:
        assert project.gold_annotator() is None
        (doc,) = project.iter_documents()
        assert len(project.spans(doc.id, "adjudicated")) == 1
