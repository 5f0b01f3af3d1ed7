"""`export` and `train` without --layer: gold if there is one, else the only annotator, else an
error listing the layers, with nothing written (issue 19, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from annotator.cli.main import build_parser

TEXT = "Baykar sold the TB2 to Kyiv."
BAYKAR, TB2 = (0, 6), (16, 19)


def _import(tmp_path: Path, db: Path, annotator: str, label: str, where: tuple[int, int]) -> None:
    record = {"text": TEXT, "spans": [{"start": where[0], "end": where[1], "label": label}]}
    source = tmp_path / f"{annotator}.jsonl"
    source.write_text(json.dumps(record) + "\n", "utf-8")
    assert run("import", "--db", db, source, "--annotator", annotator) == 0


@pytest.fixture
def db(tmp_path) -> Path:
    """A project where alice marked Baykar an ACTOR."""
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    _import(tmp_path, path, "alice", "ACTOR", BAYKAR)
    return path


def _exported_spans(out: Path) -> list[tuple[int, int, str]]:
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    return [(s["start"], s["end"], s["label"]) for s in record["spans"]]


def test_with_one_annotator_export_takes_that_layer(db, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out) == 0
    assert "of layer 'alice'" in capsys.readouterr().out
    assert _exported_spans(out) == [(*BAYKAR, "ACTOR")]


def test_with_gold_and_others_export_takes_gold(db, tmp_path, capsys):
    _import(tmp_path, db, "bob", "PLATFORM", BAYKAR)
    _import(tmp_path, db, "carol", "PLATFORM", TB2)
    assert run("gold", "set", "carol", "--db", db) == 0
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out) == 0
    assert "of layer 'gold'" in capsys.readouterr().out
    assert _exported_spans(out) == [(*TB2, "PLATFORM")]


def test_with_two_annotators_and_no_gold_export_is_refused_listing_the_layers(db, tmp_path, capsys):
    _import(tmp_path, db, "bob", "PLATFORM", BAYKAR)
    capsys.readouterr()
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: choose the layer to export with --layer")
    assert "layers: alice, bob, all, majority, suggestions (majority:" in err
    assert "annotator gold set ANNOTATOR" in err
    assert "majority: the spans (same label, start and end) marked by more than half" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.glob("out*")) == []  # no staging leftovers either
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "all") == 0
    assert sorted(_exported_spans(out)) == [(*BAYKAR, "ACTOR"), (*BAYKAR, "PLATFORM")]


def test_with_two_annotators_and_no_gold_train_is_refused_listing_the_layers(db, tmp_path, capsys):
    _import(tmp_path, db, "bob", "PLATFORM", BAYKAR)
    capsys.readouterr()
    out = tmp_path / "model-out"
    assert run("train", "--db", db, "--out", out) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: choose the layer to train with --layer")
    assert "layers: alice, bob, all, majority (majority:" in err  # no suggestions: not trained on
    assert not out.exists()


@pytest.mark.parametrize("command", ["export", "train"])
def test_help_names_the_default_layer_and_defines_majority(command):
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    text = " ".join(commands.choices[command].format_help().split())
    assert "(default: gold if there is one, else the only annotator;" in text
    assert (
        "majority: the spans (same label, start and end) marked by more than half of the "
        "annotators who worked on the document (made a span or set a status there)"
    ) in text
