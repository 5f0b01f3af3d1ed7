"""Damaged, foreign, read-only, newer and full-disk project files: a clear CLI message, exit 1,
and the file byte for byte unchanged."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.model import ImportedDocument
from annotator.core.project import Project
from annotator.core.storage import engine


def _project(path: Path, documents: int = 60) -> Path:
    with Project.create(path) as project:
        texts = [f"Document {n}: Baykar sold TB2 drones. " * 20 for n in range(documents)]
        project.import_documents([ImportedDocument(text) for text in texts])
    return path


def truncated(tmp_path: Path) -> Path:
    path = _project(tmp_path / "truncated.db")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def random_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("Meeting notes, not a database.\n" * 100, encoding="utf-8")
    return path


def sqlite_header_then_garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    return path


def other_program(tmp_path: Path) -> Path:
    path = tmp_path / "invoices.db"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
    return path


def newer_version(tmp_path: Path) -> Path:
    path = _project(tmp_path / "future.db", documents=1)
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    return path


BAD_FILES = {
    truncated: "the file is damaged",
    random_bytes: "not a SQLite database",
    text_file: "not a SQLite database",
    sqlite_header_then_garbage: "not a SQLite database",
    other_program: "not an annotator project (it has tables invoice)",
    newer_version: "made by a newer version of annotator",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("make", "message"), BAD_FILES.items(), ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("command", [["docs"], ["labels", "add", "WEAPON"], ["export"]])
def test_cli_refuses_bad_files_clearly_and_changes_nothing(
    tmp_path, capsys, make, message, command
):
    path = make(tmp_path)
    before = digest(path)
    if command == ["export"]:
        command = ["export", "--format", "jsonl", "--out", str(tmp_path / "out.jsonl")]
    assert main([command[0], "--db", str(path), *command[1:]]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert digest(path) == before
    assert not (tmp_path / "out.jsonl").exists()


@pytest.fixture
def read_only(tmp_path):
    """A project file nobody may write: mode 0444, plus the immutable flag when we are root."""
    path = _project(tmp_path / "ro.db", documents=3)
    path.chmod(0o444)
    immutable = False
    if os.access(path, os.W_OK):  # root ignores modes
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        if not immutable:
            pytest.skip("cannot make a file read-only for this user")
    yield path
    if immutable:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


def test_read_only_file_reads_and_refuses_writes_clearly(read_only, capsys):
    before = digest(read_only)
    assert main(["docs", "--db", str(read_only)]) == 0
    assert main(["labels", "--db", str(read_only), "add", "WEAPON"]) == 1
    err = capsys.readouterr().err
    assert "the file is read-only; changes cannot be saved; nothing was changed" in err
    with Project.open(read_only) as project:
        with pytest.raises(ProjectError, match="read-only"):
            project.add_span(1, "alice", "ACTOR", 0, 8)
        assert project.spans(1) == []
    assert digest(read_only) == before


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """A project whose file may not grow by one page: SQLite reports "database or disk is full"."""
    path = _project(tmp_path / "full.db", documents=3)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(engine, "_PRAGMAS", (*engine._PRAGMAS, f"max_page_count={pages}"))
    return path


def test_full_disk_is_a_clear_error_and_stores_nothing(full_disk, tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_text("Baykar sold TB2 drones to Azerbaijan. " * 20_000, encoding="utf-8")
    before = digest(full_disk)
    assert main(["import", str(big), "--db", str(full_disk)]) == 1
    err = capsys.readouterr().err
    assert "the disk is full; free some space; nothing was changed" in err
    assert "Traceback" not in err
    assert digest(full_disk) == before
    with Project.open(full_disk) as project:
        assert project.count_documents() == 3


def test_a_really_full_disk_is_a_clear_error_and_stores_nothing(tiny_disk, tmp_path, capsys):
    path = _project(tiny_disk / "p.db", documents=3)
    big = tmp_path / "big.txt"
    big.write_text("Baykar sold TB2 drones to Azerbaijan. " * 40_000, encoding="utf-8")  # 1.5 MB
    before = digest(path)
    assert main(["import", str(big), "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "Traceback" not in err
    assert digest(path) == before
    with Project.open(path) as project:
        assert project.count_documents() == 3
