"""ProjectLock: one writer per project file; stale locks of dead processes are taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("PySide6")

from annotator.ui.lock import ProjectLock

HOLDER = """
import sys
from annotator.ui.lock import ProjectLock
lock = ProjectLock(sys.argv[1])
print("locked" if lock.acquire() else "refused", flush=True)
sys.stdin.readline()  # hold the lock until told to go (or killed)
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "project.db"
    path.touch()
    return path


@pytest.fixture
def holder_process(db):
    """A second process that holds the project's lock until it is killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_lock_file_sits_beside_the_project_as_a_hidden_file(db):
    lock = ProjectLock(db)
    assert lock.path == db.parent / ".project.db.lock"
    assert lock.acquire()
    assert lock.path.exists() and lock.is_locked()
    lock.release()
    assert not lock.path.exists() and not lock.is_locked()


def test_second_lock_fails_and_names_the_holder(db):
    first, second = ProjectLock(db), ProjectLock(db)
    assert first.acquire()
    assert first.acquire()  # idempotent for the holder
    assert not second.acquire()
    assert second.holder().startswith(f"annotator (pid {os.getpid()}")
    assert " on host " in second.holder()
    assert second.failure() == f"held by {second.holder()}"
    first.release()
    assert second.acquire()
    assert second.failure() == ""
    second.release()


def test_lock_held_by_another_process_is_refused(db, holder_process):
    lock = ProjectLock(db)
    assert not lock.acquire()
    assert f"(pid {holder_process.pid}" in lock.holder()


def test_old_lock_of_a_live_process_is_not_stolen(db, holder_process):
    lock = ProjectLock(db)
    an_hour_ago = time.time() - 3600
    os.utime(lock.path, (an_hour_ago, an_hour_ago))  # far beyond Qt's default 30 s stale time
    assert not lock.acquire()


def test_stale_lock_of_a_killed_process_is_reclaimed(db, holder_process):
    lock = ProjectLock(db)
    assert not lock.acquire()
    holder_process.kill()  # SIGKILL: no chance to remove its lock file
    holder_process.wait(timeout=10)
    assert lock.path.exists()
    assert f"(pid {holder_process.pid}" in lock.holder()
    assert lock.acquire()
    assert lock.holder().startswith(f"annotator (pid {os.getpid()}")
    lock.release()


def test_context_manager_releases(db):
    with ProjectLock(db) as lock:
        assert lock.acquire()
    assert not lock.path.exists()
    assert ProjectLock(db).holder() == ""


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="needs a non-root POSIX user"
)
def test_unwritable_folder_fails_with_a_reason(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "project.db").touch()
    folder.chmod(0o555)
    try:
        lock = ProjectLock(folder / "project.db")
        assert not lock.acquire()
        assert "permission" in lock.failure()
    finally:
        folder.chmod(0o755)


def test_missing_folder_fails_with_a_reason(tmp_path):
    lock = ProjectLock(tmp_path / "gone" / "project.db")
    assert not lock.acquire()
    assert lock.failure() == f"cannot create {tmp_path / 'gone' / '.project.db.lock'}"
    assert lock.holder() == ""
