"""`--db` goes at any position of the command line, and usage errors are usage errors (exit 2)
as the README says: `annotator --db P` opens the app, an unknown `--format` is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run


@pytest.fixture
def db(tmp_path, capsys) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    capsys.readouterr()
    return path


def usage_error(capsys, *argv: object) -> str:
    """The message of a usage error (exit 2) that `argv` makes."""
    with pytest.raises(SystemExit) as exc:
        run(*argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["labels", "list", "--db", "{db}"],
        ["labels", "--db", "{db}", "list"],
        ["--db", "{db}", "labels", "list"],
        ["--db", "{db}", "labels"],
        ["labels", "--db", "{db}"],
    ],
    ids=["after-action", "before-action", "before-command", "top-no-action", "no-action"],
)
def test_db_goes_at_any_position(db, capsys, argv):
    assert run(*(str(db) if a == "{db}" else a for a in argv)) == 0
    assert "ACTOR" in capsys.readouterr().out


def test_db_after_nested_actions_with_arguments(db, tmp_path, capsys):
    assert run("labels", "add", "TOOL", "--db", db, "--key", "t") == 0
    assert run("labelmap", "set", "ORG", "TOOL", "--db", db) == 0
    terms = tmp_path / "terms.txt"
    terms.write_text("hammer\n", "utf-8")
    assert run("terms", "load", "TOOL", terms, "--db", db) == 0
    capsys.readouterr()
    assert run("terms", "list", "TOOL", "--db", db) == 0
    assert capsys.readouterr().out.split() == ["hammer"]
    assert run("labelmap", "--db", db) == 0
    assert "TOOL" in capsys.readouterr().out


def test_init_takes_db_before_the_command_too(tmp_path, capsys):
    assert run("--db", tmp_path / "new.db", "init") == 0
    assert (tmp_path / "new.db").exists()


def test_init_without_db_is_still_a_usage_error(capsys):
    assert "the following arguments are required: --db" in usage_error(capsys, "init")


def test_a_missing_project_is_still_a_clear_data_error(tmp_path, capsys):
    missing = tmp_path / "missing.db"
    assert run("labels", "list", "--db", missing) == 1
    assert "missing.db: no such project file" in capsys.readouterr().err
    assert not missing.exists()


def test_db_without_a_command_opens_the_app_on_it(db, monkeypatch):
    import annotator.ui.app

    opened = []
    monkeypatch.setattr(annotator.ui.app, "run", lambda target: opened.append(target) or 0)
    assert run("--db", db) == 0
    assert run("gui", "--db", db) == 0
    assert opened == [db, db]


def test_an_unknown_format_is_a_usage_error(db, tmp_path, capsys):
    out = tmp_path / "o.jsonl"
    err = usage_error(capsys, "export", "--db", db, "--format", "gold", "--out", out)
    assert "invalid choice: 'gold'" in err and "'csv-excel'" in err
    assert not out.exists()
    source = tmp_path / "a.txt"
    source.write_text("Baykar", "utf-8")
    err = usage_error(capsys, "import", "--db", db, "--format", "docz", source)
    assert "invalid choice: 'docz'" in err and "'auto'" in err


def test_every_format_name_is_accepted(db, tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text("Baykar", "utf-8")
    assert run("import", "--db", db, "--format", "txt", source) == 0
    out = tmp_path / "o.csv"
    assert run("export", "--db", db, "--format", "csv-excel", "--out", out, "--layer", "all") == 0
