"""`annotator agreement`: table, JSON and CSV output, annotator choice, exit 1 on bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from cli_run import run

from agreement_data import add_relations, build_agreement_project
from annotator.core.project import Project


@pytest.fixture
def db(tmp_path):
    return build_agreement_project(tmp_path / "p.db")


def test_table_lists_pairs_labels_confusion_and_documents(db, capsys):
    assert run("agreement", "--db", db) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 document(s) finished by all of alice, bob, carol; 20 token(s) each")
    assert "Krippendorff's alpha (nominal, tokens): 0." in out
    lines = out.splitlines()
    assert any(line.split()[:2] == ["alice", "bob"] for line in lines)
    assert "token label confusion" in out and "lowest agreement:" in out
    assert lines[-3].split()[0] == "2"  # document 2 agrees least


def test_json_matches_the_core_report(db, capsys):
    assert run("agreement", "--db", db, "--format", "json", "--lowest", "1") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["annotators"] == ["alice", "bob", "carol"]
    assert (data["documents"], data["units"]) == (3, 20)
    assert [(p["first"], p["second"]) for p in data["pairs"]] == [
        ("alice", "bob"), ("alice", "carol"), ("bob", "carol"),
    ]  # fmt: skip
    assert data["pairs"][0]["exact"]["ACTOR"]["tp"] == 1
    assert [d["id"] for d in data["lowest"]] == [2]


def test_csv_is_long_form(db, capsys):
    assert run("agreement", "--db", db, "--format", "csv", "--annotators", "alice", "gold") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert set(rows[0]) == {"section", "first", "second", "label", "document", "metric", "value"}
    summary = {r["metric"]: r["value"] for r in rows if r["section"] == "summary"}
    assert summary["documents"] == "3"
    kappa = [r for r in rows if r["section"] == "pair" and r["metric"] == "kappa"]
    assert [(r["first"], r["second"]) for r in kappa] == [("alice", "gold")]
    assert any(r["section"] == "confusion" and r["first"] == "ACTOR" for r in rows)


def test_one_annotator_exits_1(db, capsys):
    assert run("agreement", "--db", db, "--annotators", "alice") == 1
    assert "at least two annotators; got 1 (alice)" in capsys.readouterr().err


def test_no_shared_finished_documents_exits_1(db, capsys):
    assert run("agreement", "--db", db, "--annotators", "alice", "bob") == 0
    capsys.readouterr()
    with Project(db) as project:
        for doc_id in (1, 2, 3):
            project.set_status(doc_id, "bob", "todo")
    assert run("agreement", "--db", db, "--annotators", "alice", "bob") == 1
    err = capsys.readouterr().err
    assert "fewer than two annotators share finished documents" in err


def test_unknown_annotator_exits_1(db, capsys):
    assert run("agreement", "--db", db, "--annotators", "alice", "zoe") == 1
    assert "no annotator named 'zoe'" in capsys.readouterr().err


def test_bad_format_is_a_usage_error(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("agreement", "--db", db, "--format", "xml")
    assert exit_info.value.code == 2


def test_relation_scores_per_type_in_the_table_and_json(db, capsys):
    """The arithmetic is in agreement_data.add_relations's docstring."""
    add_relations(db)
    assert run("agreement", "--db", db) == 0
    out = capsys.readouterr().out
    assert "relations (exact: type and both spans):" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert rows["SUPPLIES"] == ["1.000", "0.333", "0.500", "1", "2"]
    assert rows["BUYS"] == ["0.500", "0.500", "0.500", "1", "2"]
    assert run("agreement", "--db", db, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["relations"]["ALL"] == {
        "precision": 0.6667,
        "recall": 0.4,
        "f1": 0.5,
        "tp": 2,
        "fp": 1,
        "fn": 3,
    }
    assert data["pairs"][0]["relations"]["BUYS"]["fn"] == 1  # alice has it, bob has not
    assert data["labels"]["exact"]["ACTOR"]["tp"] > 0  # the span scores stay beside them
