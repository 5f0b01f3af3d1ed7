"""`annotator relations list|add|set|remove`, as `annotator labels`: usage counts, refusals
with exit 1 and the database unchanged, relation types from a schema file at init."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import digest, run

from annotator.core.project import Project


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def table_rows(out: str) -> dict[str, list[str]]:
    """The listed relation types by name: each row's columns (split on two spaces)."""
    rows = [line.split("  ") for line in out.strip().splitlines()[1:]]
    return {row[0]: [cell.strip() for cell in row if cell.strip()] for row in rows}


def test_list_shows_the_default_types_with_shape_and_usage(db, capsys):
    with Project.open(db) as project:
        (doc,) = project.add_document("Azerbaijan buys the JF-17C.").documents
        actor = project.add_span(doc, "alice", "ACTOR", 0, 10).spans_added[0]
        jet = project.add_span(doc, "alice", "PLATFORM", 20, 26).spans_added[0]
        project.add_relation(doc, "alice", "BUYS", actor, jet)
    capsys.readouterr()
    assert run("relations", "--db", db) == 0
    rows = table_rows(capsys.readouterr().out)
    assert list(rows) == ["BUYS", "SUPPLIES", "PARTNERS_WITH", "MOTIVATES"]
    assert rows["BUYS"][1:5] == ["#D55E00", "b", "ACTOR → PLATFORM", "1"]
    assert rows["PARTNERS_WITH"][3:5] == ["ACTOR ↔ ACTOR", "0"]
    assert run("relations", "--db", db, "remove", "BUYS") == 1
    assert "used by 1 relation(s)" in capsys.readouterr().err
    assert run("relations", "--db", db, "remove", "BUYS", "--force") == 0
    assert "BUYS" not in table_rows(capsys.readouterr().out)


def test_add_set_remove(db, capsys):
    assert (
        run(
            "relations", "--db", db, "add", "OPERATES", "--key", "o", "--head", "actor",
            "--tail", "PLATFORM", "--tail", "MOTIVATION", "--description", "who flies it",
        )
        == 0
    )  # fmt: skip
    assert table_rows(capsys.readouterr().out)["OPERATES"][2:4] == [
        "o",
        "ACTOR → PLATFORM|MOTIVATION",
    ]
    assert run("relations", "--db", db, "set", "operates", "--rename", "RUNS", "--key", "none",
               "--symmetric", "--any-tail") == 0  # fmt: skip
    assert table_rows(capsys.readouterr().out)["RUNS"][2] == "ACTOR ↔ any label"
    assert run("relations", "--db", db, "set", "RUNS", "--directed", "--head", "PLATFORM") == 0
    assert table_rows(capsys.readouterr().out)["RUNS"][2] == "PLATFORM → any label"
    assert run("relations", "--db", db, "remove", "RUNS") == 0
    assert "RUNS" not in table_rows(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["add", "buys"], "already exists"),
        (["add", "X", "--head", "NOPE"], "no span label named 'NOPE'"),
        (["add", "X", "--key", "b"], "hotkey 'b' is already used"),
        (["set", "NOPE", "--color", "#000000"], "no relation type named 'NOPE'"),
        (["set", "BUYS", "--color", "red"], "not of the form #RRGGBB"),
        (["remove", "NOPE"], "no relation type named 'NOPE'"),
    ],
)
def test_refusals_exit_1_and_change_nothing(db, capsys, arguments, message):
    before = digest(db)
    assert run("relations", "--db", db, *arguments) == 1
    assert message in capsys.readouterr().err
    assert digest(db) == before


def test_init_stores_the_relation_types_of_a_schema_file(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    labels = [{"name": "STATE"}, {"name": "WEAPON"}]
    relations = [{"name": "ARMS", "head": ["STATE"], "tail": "WEAPON", "hotkey": "a"}]
    schema.write_text(json.dumps({"labels": labels, "relations": relations}))
    assert run("init", "--db", tmp_path / "w.db", "--labels", schema) == 0
    assert "with labels STATE, WEAPON; relation types ARMS" in capsys.readouterr().out
    assert run("relations", "--db", tmp_path / "w.db") == 0
    assert table_rows(capsys.readouterr().out) == {
        "ARMS": ["ARMS", "#0072B2", "a", "STATE → WEAPON", "0"]
    }
