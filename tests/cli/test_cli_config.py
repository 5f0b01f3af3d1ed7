"""`annotator config`: the minimum precision of the suggestions shown, and what `suggest` hid."""

from __future__ import annotations

import pytest
from cli_run import run

from annotator.core.model import NewSuggestion
from annotator.core.project import Project
from annotator.nlp.calibration import MIN_PRECISION_SETTING


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def test_min_precision_is_shown_set_and_refused_when_out_of_range(db, capsys):
    capsys.readouterr()
    assert run("config", "--db", db) == 0
    assert capsys.readouterr().out == "min-precision: 0.6 (the default)\n"
    assert run("config", "min-precision", "0.75", "--db", db) == 0
    assert capsys.readouterr().out == "min-precision: 0.75\n"
    for bad in ("1.5", "-0.1", "nan", "high"):
        assert run("config", "min-precision", bad, "--db", db) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is not a number from 0 to 1" in err
    with Project(db) as project:
        assert project.get_setting(MIN_PRECISION_SETTING) == 0.75
    assert run("config", "min-precision", "0", "--db", db) == 0
    assert capsys.readouterr().out == "min-precision: 0\n"


def test_suggest_says_how_many_it_hid(db, capsys):
    with Project(db) as project:
        (marked,) = project.add_document("Baykar sold drones.").documents
        project.add_span(marked, "alice", "ACTOR", 0, 6)
        words = [f"w{i}" for i in range(30)]
        (doc,) = project.add_document(" ".join(words)).documents
        at = [sum(len(w) + 1 for w in words[:i]) for i in range(30)]
        items = [NewSuggestion(a, a + len(w), "ACTOR", 1.0) for a, w in zip(at, words, strict=True)]
        project.store_suggestions(doc, "lexicon:bob", items)
        for suggestion in project.suggestions(doc, annotator="bob"):
            project.reject_suggestion(suggestion.id, "bob")
        (new,) = project.add_document("Then Baykar sold more.").documents
    capsys.readouterr()
    assert run("suggest", "--doc", new, "--annotator", "alice", "--db", db) == 0
    out = capsys.readouterr().out
    assert "lexicon:alice: hid 1 suggestion(s) whose precision is reliably below" in out
    with Project(db) as project:
        assert project.suggestions(new, annotator="alice") == []
    assert run("config", "min-precision", "0", "--db", db) == 0
    assert run("suggest", "--doc", new, "--annotator", "alice", "--redo", "--db", db) == 0
    assert "hid" not in capsys.readouterr().out
    with Project(db) as project:
        assert [s.start for s in project.suggestions(new, annotator="alice")] == [5]
