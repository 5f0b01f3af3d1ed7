"""Labels on the command line: spans whose labels the project lacks refuse the import unless
`--add-labels`; a label name matches the project's label without regard to case, on import and
in `--labels` / `--label` options."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project

TEXT = "Baykar sold Bayraktar drones to Kyiv."


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def record(*spans: tuple[int, int, str], text: str = TEXT) -> dict:
    return {"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}


def counts(db: Path) -> tuple[int, int, int]:
    """(documents, spans, labels) stored in the project file."""
    with sqlite3.connect(db) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("document", "span", "label")
        )


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0  # labels ACTOR, PLATFORM, MOTIVATION
    return path


@pytest.fixture
def typos(tmp_path) -> Path:
    """Three records: WEAPON on lines 1 and 3, ZZZ on line 2, besides known labels."""
    return write_jsonl(
        tmp_path / "typos.jsonl",
        record((0, 6, "ACTOR"), (12, 21, "WEAPON")),
        record((0, 6, "ZZZ"), text="Rokets hit Kyiv."),
        record((0, 6, "weapon"), (7, 11, "PLATFORM"), text="Drones and more."),
    )


def test_unknown_labels_refuse_the_import_naming_each_with_its_spans_and_first_line(
    db, typos, capsys
):
    capsys.readouterr()
    before = counts(db)
    assert run("import", "--db", db, typos) == 1
    err = capsys.readouterr().err
    assert err == (
        f"annotator: labels this project does not have: 'WEAPON' (2 spans, first at {typos}:1), "
        f"'ZZZ' (1 span, first at {typos}:2); import with --add-labels to add them\n"
        "annotator: nothing was imported\n"
    )
    assert counts(db) == before == (0, 0, 3)


def test_add_labels_adds_them_once_apart_from_case_and_says_so(db, typos, capsys):
    capsys.readouterr()
    assert run("import", "--db", db, "--add-labels", typos) == 0
    out = capsys.readouterr().out
    assert "new labels: WEAPON, ZZZ\n" in out
    assert "5 span(s) added" in out
    with Project.open(db) as project:
        names = [label.name for label in project.labels()]
        assert names == ["ACTOR", "PLATFORM", "MOTIVATION", "WEAPON", "ZZZ"]
        assert len(project.spans_with_label("WEAPON")) == 2  # `weapon` is WEAPON too


def test_a_label_is_the_projects_label_whatever_its_case(db, tmp_path, capsys):
    source = write_jsonl(tmp_path / "lower.jsonl", record((0, 6, "actor"), (12, 21, "Platform")))
    capsys.readouterr()
    assert run("import", "--db", db, source) == 0
    out = capsys.readouterr().out
    assert "labels matched apart from case: actor -> ACTOR, Platform -> PLATFORM" in out
    assert "new labels" not in out
    with Project.open(db) as project:
        assert [label.name for label in project.labels()] == ["ACTOR", "PLATFORM", "MOTIVATION"]
        document = next(project.iter_documents())
        assert sorted(span.label for span in project.spans(document.id)) == ["ACTOR", "PLATFORM"]


def test_label_options_match_without_regard_to_case(db, tmp_path, capsys):
    source = write_jsonl(tmp_path / "in.jsonl", record((0, 6, "ACTOR"), (12, 21, "PLATFORM")))
    assert run("import", "--db", db, source) == 0
    out = tmp_path / "actors.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--labels", "actor", "--out", out) == 0
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [span["label"] for span in exported[0]["spans"]] == ["ACTOR"]
    capsys.readouterr()
    assert run("docs", "--db", db, "--label", "platform") == 0
    assert "Baykar sold" in capsys.readouterr().out
    assert run("labels", "--db", db, "set", "motivation", "--key", "9") == 0
    terms = tmp_path / "terms.txt"
    terms.write_text("Roketsan\n", "utf-8")
    assert run("terms", "--db", db, "load", "Actor", terms) == 0
    assert run("labelmap", "--db", db, "set", "ORG", "platform") == 0
    capsys.readouterr()
    assert run("terms", "--db", db, "list", "actor") == 0
    assert capsys.readouterr().out == "Roketsan\n"
    from annotator.nlp.labelmap import label_map_for
    from annotator.nlp.termlists import term_lists_for

    with Project.open(db) as project:
        assert project.label("MOTIVATION").hotkey == "9"
        assert term_lists_for(project) == {"ACTOR": ["Roketsan"]}
        assert label_map_for(project)["ORG"] == "PLATFORM"
