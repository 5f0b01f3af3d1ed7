"""`annotator labels add --key r` (and relations) is refused: r is the Relate key."""

from __future__ import annotations

import pytest
from cli_run import run

from annotator.core.project import Project


@pytest.mark.parametrize("group", ["labels", "relations"])
def test_adding_with_the_relate_key_is_refused_in_one_line(tmp_path, capsys, group):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    capsys.readouterr()
    assert run(group, "add", "SELLS", "--key", "r", "--db", db) != 0
    err = capsys.readouterr().err
    assert "hotkey 'r' is the Relate key (R starts a relation); choose another key" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    project = Project.open(db)
    try:
        assert "SELLS" not in {x.name for x in [*project.labels(), *project.relation_types()]}
    finally:
        project.close()
