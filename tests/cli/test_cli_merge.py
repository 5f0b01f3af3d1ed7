"""`annotator merge`: the report it prints, exit codes, and bad input leaving the project as is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project
from merge_builders import SHARED, add_decisions, dump, fingerprint, make_other


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


@pytest.fixture
def other(tmp_path) -> Path:
    folder = tmp_path / "theirs"
    folder.mkdir()
    return make_other(folder / "bob.db")


def test_merge_prints_a_report_and_a_second_run_adds_nothing(db, other, capsys):
    capsys.readouterr()
    assert run("merge", "--db", db, other) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [
        "merged 1 file(s)",
        "                    added  updated  already present  conflicts",
        "documents               2        0                0          0",
    ]
    assert "spans                   3        0                0          0" in out
    assert "review rejections       0        0                0          0" in out
    before = dump(db)
    assert run("merge", "--db", db, other) == 0
    assert (
        "spans                   0        0                3          0" in capsys.readouterr().out
    )
    assert dump(db) == before


def test_stats_after_a_merge_count_the_collaborators_suggestion_decisions(db, other, capsys):
    add_decisions(other)
    assert run("merge", "--db", db, other) == 0
    assert (
        "suggestions             3        0                0          0" in capsys.readouterr().out
    )
    assert run("stats", "--db", db, "--format", "json") == 0
    (lexicon,) = json.loads(capsys.readouterr().out)["suggesters"]
    assert (lexicon["model"], lexicon["pending"], lexicon["accepted"], lexicon["rejected"]) == (
        "lexicon",
        1,
        1,
        1,
    )
    assert lexicon["precision"] == 0.5


def test_conflicts_are_listed(db, other, tmp_path, capsys):
    jsonl = tmp_path / "theirs" / "tool.jsonl"
    line = {"text": SHARED, "annotator": "bob", "status": "todo", "spans": []}
    jsonl.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert run("merge", "--db", db, other, jsonl) == 0
    out = capsys.readouterr().out
    assert "conflicts (1; this project's value kept unless stated):" in out
    assert (
        f"  {jsonl}: document 1 ('shared'): bob's status is todo there, done here; kept done" in out
    )


def test_a_bad_jsonl_line_exits_1_with_its_place_and_stores_nothing(db, other, tmp_path, capsys):
    bad = tmp_path / "theirs" / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "x", "spans": [{"start": 0}]}\n', encoding="utf-8")
    before = dump(db)
    assert run("merge", "--db", db, other, bad) == 1
    err = capsys.readouterr().err
    assert f'{bad}:2: span 1: "end" is missing' in err
    assert dump(db) == before


def test_a_newer_project_file_exits_1_and_both_files_stay_as_they_were(db, other, capsys):
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before, theirs = dump(db), fingerprint(other)
    assert run("merge", "--db", db, other) == 1
    assert "made by a newer version of annotator (schema 9999" in capsys.readouterr().err
    assert dump(db) == before and fingerprint(other) == theirs


def test_the_report_counts_relations_added_present_and_removed(db, other, capsys):
    with Project.open(other) as project:
        doc = project.document_ids()[0]
        actor, platform = (s.id for s in project.spans(doc, "bob"))
        project.add_relation(doc, "bob", "SUPPLIES", actor, platform)
    assert run("merge", "--db", db, other) == 0
    out = capsys.readouterr().out
    assert "relations               1        0                0          0" in out
    assert "relation types          0        0                4          0" in out
    with Project.open(other) as project:
        (relation,) = project.relations(project.document_ids()[0])
        project.remove_relation(relation.id)
    assert run("merge", "--db", db, other) == 0
    out = capsys.readouterr().out
    assert "relation deletions      1        0                0          0" in out
    assert "; 1 relation(s) removed, 0 deleted relation(s) not brought back" in out
