"""The project file travels whole: the .db alone holds every commit once work is done,
`annotator copy` writes a complete copy, and merging another file never writes to it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.project import Project
from annotator.io.merge_input import merge_files

SPANS = 300


def _project_with_spans(path: Path, spans: int = SPANS, annotator: str = "alice") -> Project:
    """An open project (as the app keeps it) with `spans` single-character spans, one commit
    each; the connection stays open, so SQLite keeps the WAL beside the file."""
    project = Project.create(path)
    doc = project.add_document("x" * spans, "article").documents
    (doc_id,) = doc
    label = project.labels()[0].name
    for start in range(spans):
        project.add_span(doc_id, annotator, label, start, start + 1)
    return project


def _spans_in_file_alone(path: Path, tmp_path: Path) -> int:
    """How many spans a plain copy of the .db file alone holds (as when it is e-mailed)."""
    alone = tmp_path / "mailed" / path.name
    alone.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as conn:
        return conn.execute("SELECT count(*) FROM span").fetchone()[0]


def _states(*paths: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of each file."""
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


def test_without_a_checkpoint_the_db_alone_misses_spans(tmp_path):
    # the premise of the tests below: while a project is open, commits live in its WAL
    path = tmp_path / "p.db"
    with _project_with_spans(path):
        assert _spans_in_file_alone(path, tmp_path) < SPANS


def test_after_bulk_work_the_db_alone_holds_every_commit(tmp_path):
    path = tmp_path / "p.db"
    gui = Project.create(path)  # the app keeps the project open meanwhile
    worker = Project(path)  # a background import, merge or suggestion run opens its own
    (doc_id,) = worker.add_document("y" * SPANS, "bulk").documents
    label = worker.labels()[0].name
    for start in range(SPANS):
        worker.add_span(doc_id, "bob", label, start, start + 1)
    worker.close()  # the task ends
    assert _spans_in_file_alone(path, tmp_path) == SPANS
    gui.close()


def test_a_checkpoint_makes_the_db_alone_complete_while_the_project_stays_open(tmp_path):
    path = tmp_path / "p.db"
    with _project_with_spans(path) as project:
        assert project.checkpoint()
        assert path.with_name("p.db-wal").stat().st_size > 0  # the app still has it open
        assert _spans_in_file_alone(path, tmp_path) == SPANS


def test_annotator_copy_of_an_open_project_has_every_span(tmp_path, capsys):
    path, out = tmp_path / "p.db", tmp_path / "share" / "copy.db"
    out.parent.mkdir()
    with _project_with_spans(path):
        assert main(["copy", "--db", str(path), str(out)]) == 0
        assert sorted(os.listdir(out.parent)) == ["copy.db"]  # one whole file, no -wal
        assert _spans_in_file_alone(out, tmp_path) == SPANS
    assert f"to {out}" in capsys.readouterr().out


@pytest.mark.parametrize("target", ["existing", "project", "missing-folder"])
def test_annotator_copy_refuses_to_replace_anything(tmp_path, capsys, target):
    path = tmp_path / "p.db"
    Project.create(path).close()
    existing = tmp_path / "thesis.db"
    existing.write_bytes(b"my own work")
    out = {
        "existing": existing,
        "project": path,
        "missing-folder": tmp_path / "nowhere" / "c.db",
    }[target]
    before = _states(path, existing)
    assert main(["copy", "--db", str(path), str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.rstrip().endswith("nothing was written")
    assert ("exists" in err) == (target != "missing-folder")
    assert _states(path, existing) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "thesis.db"]


def test_merging_a_relative_path_with_a_wal_beside_it_brings_every_span(tmp_path, monkeypatch):
    ours = Project.create(tmp_path / "ours.db")
    other = _project_with_spans(tmp_path / "other.db", annotator="bob")
    monkeypatch.chdir(tmp_path)
    report = merge_files(ours, [Path("other.db")])
    assert report.sources == ["other.db"]
    assert len(ours.spans_with_label(ours.labels()[0].name)) == SPANS
    other.close()
    ours.close()


def test_merging_never_writes_the_other_file_or_its_side_files(tmp_path):
    ours = Project.create(tmp_path / "ours.db")
    other_path = tmp_path / "other.db"
    other = _project_with_spans(other_path, annotator="bob")  # its owner has it open
    side = [other_path, *(other_path.with_name(f"other.db{s}") for s in ("-wal", "-shm"))]
    before = _states(*side)
    merge_files(ours, [other_path])
    assert _states(*side) == before
    assert len(ours.spans_with_label(ours.labels()[0].name)) == SPANS
    other.close()
    ours.close()


def test_a_wal_that_cannot_be_read_is_named_by_merge_and_open(tmp_path):
    ours = Project.create(tmp_path / "ours.db")
    other_path = tmp_path / "other.db"
    Project.create(other_path).close()
    (tmp_path / "other.db-wal").mkdir()  # unreadable as a file (as one without permission)
    with pytest.raises(ProjectError, match=r"other\.db-wal: cannot be read .* recent changes"):
        merge_files(ours, [other_path])
    with pytest.raises(ProjectError, match=r"other\.db-wal: cannot be read"):
        Project(other_path)
    ours.close()


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_a_side_file_read_only_to_us_is_named_on_open(tmp_path, suffix):
    path = tmp_path / "shared.db"
    owner = _project_with_spans(path, spans=3)  # its owner has it open: -wal and -shm exist
    side = path.with_name(f"shared.db{suffix}")
    side.chmod(0o444)
    locked = False
    if os.access(side, os.W_OK):  # root ignores modes
        locked = subprocess.run(["chattr", "+i", str(side)], capture_output=True).returncode == 0
        if not locked:
            owner.close()
            pytest.skip("cannot make a file read-only for this user")
    try:
        with pytest.raises(ProjectError) as raised:
            Project(path)
        assert str(raised.value).startswith(f"{side}: read-only to you")
    finally:
        if locked:
            subprocess.run(["chattr", "-i", str(side)], check=True)
        side.chmod(0o644)
        owner.close()
