"""bench memory_scale: the layers it builds, the commands it measures, and the worker that
runs one `annotator` command and reports its peak RSS."""

from __future__ import annotations

import json

import pytest
from bench.cases.memory_scale import commands, write_layers
from bench.measure import MIB, run_worker

from annotator.core.project import Project
from annotator.io.export_options import export_formats
from annotator.nlp.formats import register_formats


def test_two_layers_of_the_same_finished_articles_that_differ(tmp_path):
    alice, bob = write_layers(tmp_path, 5, seed=0)
    ours = [json.loads(line) for line in alice.read_text(encoding="utf-8").splitlines()]
    theirs = [json.loads(line) for line in bob.read_text(encoding="utf-8").splitlines()]
    assert len(ours) == len(theirs) == 5
    assert [r["text"] for r in ours] == [r["text"] for r in theirs]
    assert {(r["annotator"], r["status"]) for r in ours + theirs} == {
        ("alice", "done"),
        ("bob", "done"),
    }
    assert all(a["spans"] != b["spans"] for a, b in zip(ours, theirs, strict=True))


def test_every_command_and_every_export_format_is_measured(tmp_path):
    register_formats()
    names = [
        name for name, _ in commands(tmp_path / "p.db", tmp_path / "a", tmp_path / "b", tmp_path)
    ]
    exports = [f"export {fmt}" for fmt in export_formats()]
    assert names == ["import", "merge", "docs", "stats", "agreement", *exports]
    assert "spacy" in export_formats() and "conll" in export_formats()


def test_the_worker_reports_a_command_peak_and_fails_with_its_reason(tmp_path):
    db = tmp_path / "p.db"
    Project.create(db).close()
    got = run_worker("bench.workers.command_peak", "stats", "--db", db, "--format", "json")
    assert got["code"] == 0 and 20 * MIB < got["rss_peak"] < 400 * MIB and got["seconds"] > 0
    with pytest.raises(RuntimeError, match="no such project file"):
        run_worker("bench.workers.command_peak", "stats", "--db", tmp_path / "missing.db")
