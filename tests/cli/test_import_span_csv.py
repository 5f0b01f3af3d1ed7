"""`annotator import` of annotator's own CSV span export: refused with its shape named, exit 1,
the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import digest, run


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_our_csv_span_export_is_refused_with_its_shape_named(db, tmp_path, capsys, fmt):
    record = {
        "text": "Baykar sold TB2\nto Azerbaijan.",
        "spans": [{"start": 0, "end": 6, "label": "X"}],
    }
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record) + "\n", "utf-8")
    assert run("import", "--db", db, "--add-labels", source) == 0
    out = tmp_path / f"spans-{fmt}.csv"
    assert run("export", "--db", db, "--format", fmt, "--out", out) == 0
    other = tmp_path / "other.db"
    assert run("init", "--db", other) == 0
    before = digest(other)
    capsys.readouterr()
    assert run("import", "--db", other, "--add-labels", out) == 1
    err = capsys.readouterr().err
    assert (
        f"{out}:1: this is an annotator span export (one row per span), not a document table: "
        "import the JSONL export instead" in err
    )
    assert "nothing was imported" in err
    assert digest(other) == before
