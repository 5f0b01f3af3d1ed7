"""`annotator export --format doccano|labelstudio`: files for colleagues on those tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

TEXTS = ["Baykar 🚀 sold the TB2\r\nto Kyiv.", "日本語 text about Baykar."]


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    records = [
        {
            "text": text,
            "annotator": "alice",
            "spans": [
                {"start": text.index("Baykar"), "end": text.index("Baykar") + 6, "label": "ACTOR"}
            ],
        }
        for text in TEXTS
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    assert run("init", "--db", path) == 0
    assert run("import", "--db", path, source) == 0
    return path


def test_export_doccano(db, tmp_path, capsys):
    out = tmp_path / "doccano.jsonl"
    capsys.readouterr()
    assert run("export", "--db", db, "--format", "doccano", "--out", out, "--layer", "alice") == 0
    assert "wrote 2 document(s)" in capsys.readouterr().out
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["text"] for r in records] == TEXTS
    assert [r["text"][s:e] for r in records for s, e, _ in r["label"]] == ["Baykar", "Baykar"]


def test_export_labelstudio_writes_tasks_and_config(db, tmp_path, capsys):
    out = tmp_path / "ls"
    capsys.readouterr()
    assert run("export", "--db", db, "--format", "labelstudio", "--out", out) == 0
    assert "also wrote 0 pending suggestion(s) as Label Studio predictions" in (
        capsys.readouterr().out
    )
    tasks = json.loads((out / "tasks.json").read_text("utf-8"))
    assert [t["data"]["text"] for t in tasks] == TEXTS
    values = [r["value"] for t in tasks for a in t["annotations"] for r in a["result"]]
    assert [(v["text"], v["labels"]) for v in values] == [("Baykar", ["ACTOR"])] * 2
    assert '<Labels name="label" toName="text">' in (out / "label_config.xml").read_text("utf-8")
    assert run("export", "--db", db, "--format", "labelstudio", "--out", out, "--force") == 0


def test_forced_exports_replace_only_their_own_format(db, tmp_path, capsys):
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "doccano.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", ours) == 0
    assert run("export", "--db", db, "--format", "doccano", "--out", theirs) == 0
    capsys.readouterr()
    assert run("export", "--db", db, "--format", "doccano", "--out", ours, "--force") == 1
    assert "is not an earlier doccano export" in capsys.readouterr().err
    assert run("export", "--db", db, "--format", "jsonl", "--out", theirs, "--force") == 1
    assert "is not an earlier jsonl export" in capsys.readouterr().err
    assert run("export", "--db", db, "--format", "doccano", "--out", theirs, "--force") == 0
