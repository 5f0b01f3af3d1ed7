"""Every export writer stays inside the chosen target whatever the titles hold, and never
replaces an existing file or folder unless asked."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.project import Project
from annotator.io import export_target, staging
from annotator.io.export_target import MARKER
from annotator.io.exporter import export
from annotator.io.writers.registry import WRITERS

PROJECT_FILES = ("project.db", "project.db-wal", "project.db-shm")
HOSTILE_TITLES = [
    "../../escaped",
    "/etc/passwd",
    "..",
    "CON",
    "nul\x00byte",
    "C:\\Windows\\win.ini",
    "~/.bashrc",
    ".hidden",
    "a" * 300,
    "",
]


@pytest.fixture
def hostile(project):
    """Documents whose titles try to name paths outside the export folder."""
    for n, title in enumerate(HOSTILE_TITLES):
        text = f"Document {n}: Baykar sold TB2 drones."
        doc_id = next(iter(project.add_document(text, title=title).documents))
        project.add_span(doc_id, "alice", "ACTOR", text.index("Baykar"), text.index(" sold"))
    return project


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_exports_stay_inside_the_target_and_never_overwrite_unasked(hostile, tmp_path, fmt):
    area = tmp_path / "area"
    area.mkdir()
    out = area / f"export{WRITERS[fmt].suffix}"
    report = export(hostile, fmt, out, layer="alice")
    assert report.documents == len(HOSTILE_TITLES)
    written = tree(area)
    assert written and all(Path(area, name).resolve().is_relative_to(out) for name in written)
    assert {p.name for p in tmp_path.iterdir()} <= {"area", *PROJECT_FILES}
    assert not (tmp_path.parent / "escaped").exists()
    if out.is_dir():
        names = [p.name for p in out.iterdir() if p.name != MARKER]
        assert len(names) == len(set(names))
        assert not any(name.startswith(".") or name.upper().startswith("CON.") for name in names)

    with pytest.raises(InputError, match=r"exists; choose another name, or overwrite it \(--force"):
        export(hostile, fmt, out, layer="alice")
    assert tree(area) == written
    export(hostile, fmt, out, layer="alice", overwrite=True)
    assert set(tree(area)) == set(written)


# -- what --force may replace (issue 15, item 1) -----------------------------------------------

FOLDER_EXPORTS = [("brat", []), ("xmi", []), ("jsonl", ["--split", "0.5,0.5"])]


def cli(db: Path, fmt: str, out: Path, *options: str) -> int:
    return main(["export", "--db", str(db), "--format", fmt, "--out", str(out), *options])


@pytest.fixture
def db(tmp_path) -> Path:
    """A project file with two documents and a span, closed (as the CLI finds it)."""
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        for n in range(2):
            doc = next(iter(project.add_document(f"Text {n}: Baykar sold TB2.").documents))
            project.add_span(doc, "alice", "ACTOR", 8, 14)
    return path


def test_force_never_removes_a_folder_of_the_users_files(db, tmp_path, capsys):
    mine = tmp_path / "mydir"
    mine.mkdir()
    (mine / "thesis.tex").write_text("\\chapter{One}")
    for fmt, options in FOLDER_EXPORTS:
        assert cli(db, fmt, mine, "--force", *options) == 1
        err = capsys.readouterr().err
        assert f"{mine}: not a folder written by an annotator export" in err
        assert "nothing was written" in err and "Traceback" not in err
        assert tree(mine) == {"thesis.tex": hashlib.sha256(b"\\chapter{One}").hexdigest()}
    assert {p.name for p in tmp_path.iterdir()} <= {"mydir", "p.db", "p.db-wal", "p.db-shm"}


@pytest.mark.parametrize(("fmt", "options"), [*FOLDER_EXPORTS, ("jsonl", [])])
def test_force_never_touches_the_project_its_side_files_or_its_folder(
    db, tmp_path, capsys, fmt, options
):
    with Project(db) as project:  # an open project leaves its -wal and -shm beside it
        before = project.count_documents()
        for out, why in [
            (db, "is the open project file"),
            (tmp_path, "holds the open project p.db"),
            (tmp_path / "p.db-wal", "belongs to the open project p.db"),
            (tmp_path / "p.db-journal", "belongs to the open project p.db"),
            (tmp_path / ".p.db.lock", "belongs to the open project p.db"),
            (tmp_path / "p.db.backup-schema-0003", "belongs to the open project p.db"),
        ]:
            with pytest.raises(InputError, match=why):
                export(project, fmt, out, overwrite=True, split=(0.5, 0.5) if options else None)
        assert project.count_documents() == before
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    assert cli(db, fmt, db, "--force", *options) == 1
    assert "is the open project file; an export never replaces it" in capsys.readouterr().err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest


def test_force_replaces_only_an_unchanged_earlier_export_of_the_same_format(db, tmp_path):
    with Project(db) as project:
        brat = tmp_path / "brat"
        export(project, "brat", brat)
        export(project, "brat", brat, overwrite=True)  # an unchanged earlier export: replaced
        note = next(brat.glob("*.ann"))
        note.write_text(note.read_text() + "#9\tAnnotatorNotes T1\tmy own note\n")
        with pytest.raises(InputError, match=f"{note.name} was changed after the export"):
            export(project, "brat", brat, overwrite=True)
        assert "my own note" in note.read_text()
        with pytest.raises(InputError, match="an earlier brat export, not xmi"):
            export(project, "xmi", brat, overwrite=True)
        (brat / "extra.txt").write_text("mine")
        with pytest.raises(InputError, match=r"holds extra\.txt, which the export did not write"):
            export(project, "brat", brat, overwrite=True)

        for fmt, other in [("jsonl", "hf"), ("csv", "csv-excel"), ("conll", "spacy")]:
            path = tmp_path / f"out-{fmt}"
            export(project, fmt, path)
            export(project, fmt, path, overwrite=True)
            with pytest.raises(InputError, match=f"is not an earlier {other} export"):
                export(project, other, path, overwrite=True)
        for fmt in WRITERS:
            if WRITERS[fmt].suffix:
                made = tmp_path / f"made{WRITERS[fmt].suffix}"
                made.unlink(missing_ok=True)
                export(project, fmt, made)
                assert WRITERS[fmt].recognises(made.read_bytes()[:4096]), fmt
                export(project, fmt, made, overwrite=True)


# -- leftovers of killed exports (item 3) ------------------------------------------------------


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_leftovers_of_killed_exports_are_removed_and_never_block_the_next(db, tmp_path):
    out = tmp_path / "corpus"
    with Project(db) as project:
        export(project, "brat", out)
        before_us = tmp_path / ".corpus.old"  # what a kill in an earlier version's cleanup left
        shutil.copytree(out, before_us)
        staged = tmp_path / f".corpus.export-{dead_pid()}-0badc0de"  # a killed export's staging
        shutil.copytree(out, staged / "half")
        running = tmp_path / f".corpus.export-{os.getppid()}-0c0ffee0"  # a live export's
        running.mkdir()
        gone = dead_pid()  # the staging folder of a killed export to "corpus.export-PID-notes":
        other = tmp_path / f".corpus.export-{gone}-notes.export-{gone}-0badc0de"
        shutil.copytree(out, other)
        for _ in range(2):  # idempotent
            report = export(project, "brat", out, overwrite=True)
            assert report.files == [out] and not staged.exists() and running.is_dir()
            assert tree(other) == tree(out)
        assert tree(before_us) == tree(out)  # not ours to remove: left as it was
        shutil.rmtree(out)
        export(project, "brat", out, overwrite=True)  # recovers .corpus.old, then replaces it
        assert not before_us.exists() and (out / MARKER).is_file()


def test_a_kill_between_the_two_renames_of_a_swap_is_undone_by_the_next_export(
    db, tmp_path, monkeypatch
):
    """Where no atomic exchange exists, the old folder is moved aside before the new one moves
    in: the next export puts a complete folder back before anything else."""
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    out = tmp_path / "corpus"
    with Project(db) as project:
        export(project, "xmi", out)
        written = tree(out)
        export(project, "xmi", out, overwrite=True)  # the two-rename path
        assert tree(out) == written
        out.rename(tmp_path / f".corpus.export-{dead_pid()}-a51de000")  # killed in between
        with pytest.raises(InputError, match="exists; choose another name"):
            export(project, "xmi", out)  # the recovered folder is there again, not replaced
        assert tree(out) == written
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- failures are one line, never a traceback (item 12) and permissions (item 19) ---------------


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_missing_or_unwritable_folders_and_dot_are_one_line_refusals(
    db, tmp_path, capsys, monkeypatch
):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:  # root ignores modes: make the folder immutable instead
        if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode:
            pytest.skip("chattr +i is not available here")
    else:
        locked.chmod(0o555)
    try:
        cases = [
            (tmp_path / "missing" / "x.jsonl", f"{tmp_path / 'missing'}: no such folder"),
            (tmp_path / "a-file" / "x.jsonl", f"{tmp_path / 'a-file'}: is a file, not a folder"),
            (tmp_path / "a-file" / "d" / "x", f"{tmp_path / 'a-file'}: is a file, not a folder"),
            (locked / "x.jsonl", f"{locked / 'x.jsonl'}: no permission to write there"),
        ]
        for out, message in cases:
            for fmt in ("jsonl", "brat"):
                assert cli(db, fmt, out) == 1
                assert f"annotator: {message}; nothing was written" == one_line_error(capsys)
        assert list(locked.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(locked)], check=True)
    monkeypatch.chdir(tmp_path)
    for fmt in ("jsonl", "brat"):
        assert cli(db, fmt, Path("."), "--force") == 1
        assert f"{tmp_path}: holds the open project p.db" in one_line_error(capsys)
    monkeypatch.chdir(tmp_path / "a-folder")
    assert cli(db, "jsonl", Path("."), "--force") == 1
    assert f"{tmp_path / 'a-folder'}: is a folder; choose a file name" in one_line_error(capsys)
    monkeypatch.chdir(locked)  # an empty folder (no longer immutable) may receive the export
    assert cli(db, "xmi", Path(".")) == 0
    assert (locked / MARKER).is_file()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_takes_no_new_files_is_called_not_writable_not_missing(db, capsys):
    """/proc exists, but creating anything in it fails with ENOENT, even for root."""
    for fmt, out in (("jsonl", "/proc/annotator.jsonl"), ("brat", "/proc/annotator")):
        assert cli(db, fmt, Path(out)) == 1
        reason = "the folder is not writable (it accepts no new files)"
        assert one_line_error(capsys) == f"annotator: {out}: {reason}; nothing was written"


def test_a_missing_entry_in_an_existing_folder_is_not_a_missing_folder(tmp_path):
    inside = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "x"))
    below = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "gone" / "x"))
    assert staging.os_reason(inside) == staging.NO_NEW_FILES
    assert staging.os_reason(below) == "no such folder"
    assert staging.os_reason(OSError(errno.ENOENT, "No such file or directory")) == (
        "no such folder"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "spacy"])
def test_a_full_disk_is_one_line_and_leaves_the_earlier_export(tiny_disk, db, capsys, fmt):
    out = tiny_disk / f"out{WRITERS[fmt].suffix}"
    with Project(db) as project:
        export(project, fmt, out)
        earlier = tree(tiny_disk)
        rng = random.Random(1)  # words that do not compress: 1.8 MB for every format
        project.add_document(" ".join(f"{rng.getrandbits(32):08x}" for _ in range(200_000)))
    assert cli(db, fmt, out, "--force") == 1
    message = f"annotator: {out}: the disk is full; free some space; nothing was written"
    assert one_line_error(capsys) == message
    assert tree(tiny_disk) == earlier


def test_a_write_error_while_writing_is_one_line(db, tmp_path, capsys, monkeypatch):
    """Fault injection where no tmpfs can be mounted: the writer's disk fills up mid-way."""

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(WRITERS["jsonl"], "write", full)
    assert cli(db, "jsonl", tmp_path / "out.jsonl") == 1
    message = f"{tmp_path / 'out.jsonl'}: the disk is full; free some space; nothing was written"
    assert one_line_error(capsys) == f"annotator: {message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]


def test_exports_get_the_permissions_the_umask_gives(db, tmp_path):
    old = os.umask(0o027)
    try:
        with Project(db) as project:
            for fmt, split in [
                ("brat", None),
                ("xmi", None),
                ("jsonl", (0.5, 0.5)),
                ("jsonl", None),
            ]:
                out = tmp_path / f"{fmt}-{bool(split)}{'' if split else WRITERS[fmt].suffix}"
                export(project, fmt, out, split=split)
                modes = {
                    stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")] if p.is_file()
                }
                folders = {
                    stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")] if p.is_dir()
                }
                assert modes == {0o640} and folders <= {0o750}, (fmt, modes, folders)
    finally:
        os.umask(old)


def test_a_name_as_long_as_the_file_system_allows_is_exported_and_replaced(db, tmp_path):
    with Project(db) as project:
        for fmt, name in [("jsonl", "é" * 120 + ".jsonl"), ("brat", "é" * 127)]:  # 246, 254 bytes
            out = tmp_path / name
            export(project, fmt, out)
            export(project, fmt, out, overwrite=True)
            assert out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_earlier_export_that_cannot_be_read_is_refused_with_the_reason(
    db, tmp_path, monkeypatch
):
    def unreadable(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    out = tmp_path / "b"
    with Project(db) as project:
        export(project, "brat", out)
        written = tree(out)
        monkeypatch.setattr(export_target, "_digest", unreadable)
        with pytest.raises(InputError, match="b: cannot be checked: Permission denied; nothing"):
            export(project, "brat", out, overwrite=True)
    assert tree(out) == written


def test_devices_pipes_and_links_are_never_replaced_nor_read(db, tmp_path):
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)  # reading it would hang the export
    link = tmp_path / "link.jsonl"
    link.symlink_to(db)
    with Project(db) as project:
        for fmt, out, reason in [
            ("jsonl", Path("/dev/null"), "is not a regular file"),
            ("jsonl", pipe, "is not a regular file"),
            ("brat", pipe, "is not a folder; this export writes a folder"),
            ("jsonl", link, "is the open project file"),
            ("jsonl", tmp_path / "elsewhere.jsonl", "is a symbolic link"),
        ]:
            if out.name == "elsewhere.jsonl":
                out.symlink_to(tmp_path / "earlier.jsonl")
                export(project, "jsonl", tmp_path / "earlier.jsonl")
            with pytest.raises(InputError, match=reason):
                export(project, fmt, out, overwrite=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(pipe.stat().st_mode)
    assert link.is_symlink() and (tmp_path / "elsewhere.jsonl").is_symlink()
