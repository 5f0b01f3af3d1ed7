"""`annotator relations suggest|accept|reject`: proposals printed with their ids, decided by id
in one transaction (a refused id changes nothing), and a clear word before anything is learned."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project

TRAINING = [
    ("Azerbaijan bought JF-17C Thunder jets from Pakistan.", "JF-17C Thunder"),
    ("Morocco bought C390 transports from Brazil.", "C390"),
    ("Indonesia bought KF-21 fighters from Korea.", "KF-21"),
]
NEW = ("Egypt bought Rafale jets from \x1b[2JFrance.", "Rafale")


def mark(project: Project, text: str, platform: str, *, relate: bool) -> int:
    (doc,) = project.add_document(text).documents
    words = text.rstrip(".").split(" ")
    buyer, seller = words[0], words[-1]
    ids = {}
    for label, word in (("ACTOR", buyer), ("PLATFORM", platform), ("ACTOR", seller)):
        start = text.index(word)
        ids[word] = project.add_span(doc, "alice", label, start, start + len(word)).spans_added[0]
    if relate:
        project.add_relation(doc, "alice", "BUYS", ids[buyer], ids[platform])
        project.add_relation(doc, "alice", "SUPPLIES", ids[seller], ids[platform])
    return doc


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def test_suggest_prints_proposals_with_ids_and_accept_makes_relations(db, capsys) -> None:
    with Project.open(db) as project:
        for text, platform in TRAINING:
            mark(project, text, platform, relate=True)
        new = mark(project, *NEW, relate=False)
    capsys.readouterr()
    assert run("relations", "--db", db, "suggest", "--doc", str(new)) == 0
    out = capsys.readouterr().out
    assert "learned from 6 relation(s); proposed 2 in 1 document(s)" in out
    assert "\x1b" not in out  # a hostile span text prints as plain text
    rows = [line.split() for line in out.splitlines()[2:]]
    by_type = {row[2]: int(row[0]) for row in rows}
    assert set(by_type) == {"BUYS", "SUPPLIES"}
    assert run("relations", "--db", db, "accept", str(by_type["BUYS"])) == 0
    assert run("relations", "--db", db, "reject", str(by_type["SUPPLIES"])) == 0
    with Project.open(db) as project:
        assert [r.type for r in project.relations(new, "alice")] == ["BUYS"]
        assert project.relation_suggestions(new, "alice") == []


def test_one_refused_id_leaves_every_decision_undone(db, capsys) -> None:
    with Project.open(db) as project:
        for text, platform in TRAINING:
            mark(project, text, platform, relate=True)
        new = mark(project, *NEW, relate=False)
    assert run("relations", "--db", db, "suggest") == 0
    with Project.open(db) as project:
        ids = [s.id for s in project.relation_suggestions(new, "alice")]
    before = dump(db)
    capsys.readouterr()
    assert run("relations", "--db", db, "accept", str(ids[0]), "999") == 1
    assert "no relation suggestion with id 999" in capsys.readouterr().err
    assert dump(db) == before


def test_suggest_before_any_relation_says_so_and_exits_0(db, capsys) -> None:
    with Project.open(db) as project:
        mark(project, *NEW, relate=False)
    before = dump(db)
    capsys.readouterr()
    assert run("relations", "--db", db, "suggest") == 0
    assert "nothing to suggest yet: alice has made no relation" in capsys.readouterr().out
    assert dump(db) == before


def test_a_threshold_outside_0_to_1_is_a_usage_error(db, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("relations", "--db", db, "suggest", "--threshold", "2")
    assert exit_.value.code == 2
    assert "'2' is not a number from 0 to 1" in capsys.readouterr().err


def test_stats_reports_the_relation_learners_precision_per_type(db, capsys) -> None:
    with Project.open(db) as project:
        for text, platform in TRAINING:
            mark(project, text, platform, relate=True)
        new = mark(project, *NEW, relate=False)
    assert run("relations", "--db", db, "suggest") == 0
    with Project.open(db) as project:
        by_type = {s.type: s.id for s in project.relation_suggestions(new, "alice")}
    assert run("relations", "--db", db, "accept", str(by_type["BUYS"])) == 0
    assert run("relations", "--db", db, "reject", str(by_type["SUPPLIES"])) == 0
    capsys.readouterr()
    assert run("stats", "--db", db, "--format", "json") == 0
    found = json.loads(capsys.readouterr().out)["relation_suggesters"]
    assert {(q["type"], q["accepted"], q["rejected"], q["precision"]) for q in found} == {
        ("BUYS", 1, 0, 1.0),
        ("SUPPLIES", 0, 1, 0.0),
    }
    assert run("stats", "--db", db) == 0
    out = capsys.readouterr().out
    rows = {line.split()[1]: line.split()[2:] for line in out.splitlines() if "relation-" in line}
    assert rows == {"BUYS": ["0", "1", "0", "1.000"], "SUPPLIES": ["0", "0", "1", "0.000"]}
