"""SIGKILL at random moments loses no committed span and leaves no half import or merge; two
writers on one file lose nothing, and a writer locked out for too long gets a clear "in use"
error."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys

import crashkit
import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.project import Project
from annotator.core.storage import engine


@pytest.mark.parametrize("seed", [1, 2])
def test_span_writer_killed_at_a_random_moment_loses_no_committed_span(tmp_path, seed):
    outcome = crashkit.spans_round(tmp_path, random.Random(seed))
    assert outcome.committed > 0  # it was killed while writing, not before


def test_import_killed_midway_stores_all_of_it_or_none(tmp_path):
    rng = random.Random(7)
    assert crashkit.import_round(tmp_path, rng, documents=300).committed in (0, 300)


def test_merge_killed_midway_stores_all_of_it_or_none_and_leaves_the_other_file_alone(tmp_path):
    """Three kills of a 4,000-document merge; merge_round checks counts and the other file."""
    rng = random.Random(3)
    for _ in range(3):
        assert crashkit.merge_round(tmp_path, rng).committed in (0, 4000)


def test_three_writers_on_one_file_lose_nothing(tmp_path):
    """A span-adding process, an `annotator import` process and this process, all at once."""
    db, log, source = tmp_path / "shared.db", tmp_path / "a.log", tmp_path / "batch.jsonl"
    crashkit.make_project(db)
    source.write_text("".join(f'{{"text": "text {n}"}}\n' for n in range(200)), encoding="utf-8")
    children = [
        subprocess.Popen(
            [sys.executable, crashkit.__file__, "--child", "spans", str(db), str(log), "30", "al"],
            stderr=subprocess.PIPE,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "import", str(source), "--db", str(db)],
            stderr=subprocess.PIPE,
        ),
    ]
    with Project.open(db) as project:
        mine = [project.add_span(1, "carol", "ACTOR", n, n + 5).spans_added[0] for n in range(30)]
    try:
        for child in children:
            assert child.wait(timeout=120) == 0, child.stderr.read().decode()[-2000:]
    finally:
        for child in children:
            child.kill()
    crashkit.check_database(db)
    present = crashkit.span_ids(db)
    added, _, removed = crashkit._read_log(log)
    assert len(added - removed) == 30
    assert (added - removed) | set(mine) == present
    with Project.open(db) as project:
        assert project.count_documents() == 1 + 200


@pytest.fixture
def locked_out(tmp_path, monkeypatch):
    """A project whose file another connection holds the write lock of (busy wait: 0.2 s)."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "p.db"
    Project.create(db).close()
    project = Project.open(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield db, project
    holder.rollback()
    holder.close()
    project.close()


def test_a_writer_locked_out_too_long_gets_a_clear_in_use_error(locked_out):
    _, project = locked_out
    with pytest.raises(ProjectError, match=r"in use by another program.*nothing was changed"):
        project.add_label("WEAPON")
    assert "WEAPON" not in [label.name for label in project.labels()]  # readers still read


def test_the_cli_says_in_use_instead_of_a_traceback(locked_out, capsys):
    db, _ = locked_out
    assert main(["labels", "--db", str(db), "add", "WEAPON"]) == 1
    err = capsys.readouterr().err
    assert "in use by another program" in err and "Traceback" not in err
