"""A project file that travels whole: checkpoints, complete copies and read-only snapshots.

- `checkpoint` moves committed pages from the WAL into the .db (SQLite's PASSIVE checkpoint,
  which never waits), so a plain copy of the .db alone then holds every commit.
- `write_copy` writes a complete single-file copy through SQLite's backup API to a new file:
  an existing file is never replaced, and the copy appears whole or not at all.
- `snapshot` copies another program's (or user's) database and its `-wal`/`-journal` byte for
  byte into a private folder. SQLite never opens the originals, so neither they nor their
  `-shm` are written (a read-only SQLite connection still writes the `-shm`).
- `unreadable_side_file` / `read_only_side_file` name a `-wal` (or journal, or `-shm`) that
  would make a copy or an open silently miss changes, or make SQLite refuse the project.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import stat
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import ProjectError
from annotator.core.storage.engine import sqlite_driver
from annotator.core.storage.failures import reason

SIDE_FILES = ("-wal", "-journal")
"""Files beside a database that hold committed (or to be rolled back) content; `-shm` is only
an index SQLite rebuilds from the WAL."""
SNAPSHOT_ATTEMPTS = 5
NOT_WRITTEN = "nothing was written"


def side_file(path: Path, suffix: str) -> Path:
    """`path` with SQLite's side-file suffix appended (`p.db` -> `p.db-wal`)."""
    return path.with_name(path.name + suffix)


def checkpoint(engine: Engine) -> bool:
    """Copy what the WAL holds into the database file without waiting for other connections;
    True when the .db alone now holds every commit (always True off SQLite). Best effort: a
    read-only or busy file is left as it is (its commits stay safe in the WAL)."""
    if engine.dialect.name != "sqlite":
        return True
    try:
        with engine.connect() as conn:  # no statement through SQLAlchemy: no BEGIN is issued
            pragma = "PRAGMA wal_checkpoint(PASSIVE)"
            row: tuple[int, int, int] = sqlite_driver(conn).execute(pragma).fetchone()
    except (sqlite3.Error, SQLAlchemyError):
        return False
    busy, wal_frames, copied_frames = row
    return busy == 0 and wal_frames == copied_frames


def unreadable_side_file(path: Path, name: str) -> str | None:
    """`NAME-wal: cannot be read (why); it holds the file's latest changes` when a WAL or journal
    beside `path` cannot be read (the .db alone would miss its changes), else None."""
    for suffix in SIDE_FILES:
        side = side_file(path, suffix)
        try:
            mode = os.stat(side).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            return _side_problem(name, suffix, exc.strerror or str(exc))
        if not stat.S_ISREG(mode):
            return _side_problem(name, suffix, "not a regular file")
        if not os.access(side, os.R_OK):
            return _side_problem(name, suffix, "no permission to read it")
    return None


def read_only_side_file(path: Path, name: str) -> str | None:
    """`NAME-wal: read-only to you; ...` when the project file is writable but its WAL or
    shared-memory file is not (another user's, left by a crash): SQLite then cannot open it."""
    if not os.access(path, os.W_OK):
        return None  # a read-only project opens for reading
    for suffix in ("-wal", "-shm"):
        side = side_file(path, suffix)
        if os.path.exists(side) and not os.access(side, os.W_OK):
            return (
                f"{name}{suffix}: read-only to you (another user's, or locked), so SQLite cannot "
                "open the project beside it; ask its owner to open and close the project, "
                "which removes it"
            )
    return None


def _side_problem(name: str, suffix: str, why: str) -> str:
    return f"{name}{suffix}: cannot be read ({why}); it holds the file's latest changes"


def snapshot(path: Path, folder: Path, name: str) -> Path:
    """Copy the database at `path` and its side files byte for byte into `folder`, and return
    the copy; the originals are only read. A copy taken while another program wrote them is
    taken again; `name` is how messages call the file."""
    problem = unreadable_side_file(path, name)
    if problem:
        raise ProjectError(
            f"{problem}, so a copy may be missing recent changes; nothing was changed"
        )
    copy = folder / path.name
    for _ in range(SNAPSHOT_ATTEMPTS):
        before = _file_states(path)
        try:
            shutil.copyfile(path, copy)
            for suffix in SIDE_FILES:
                side_file(copy, suffix).unlink(missing_ok=True)
                if os.path.exists(side_file(path, suffix)):
                    shutil.copyfile(side_file(path, suffix), side_file(copy, suffix))
        except OSError as exc:
            raise ProjectError(
                f"{name}: cannot be read ({exc.strerror or exc}); nothing was changed"
            ) from None
        if _file_states(path) == before:
            return copy
        time.sleep(0.05)
    raise ProjectError(
        f"{name}: another program kept changing it while it was read; try again when it is "
        "closed; nothing was changed"
    )


def _file_states(path: Path) -> tuple[tuple[int, int, int, int] | None, ...]:
    """Size, change time and inode of the database and each side file (None when absent)."""
    states: list[tuple[int, int, int, int] | None] = []
    for candidate in (path, *(side_file(path, suffix) for suffix in SIDE_FILES)):
        try:
            info = os.stat(candidate)
        except FileNotFoundError:
            states.append(None)
            continue
        states.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return tuple(states)


def write_copy(source: sqlite3.Connection, out: Path) -> None:
    """Write everything `source` reads (its WAL included) to the new file `out` through SQLite's
    backup API. An existing `out` is refused; the copy is written under a temporary name beside
    it and linked into place when complete, so `out` is whole or absent."""
    out = Path(out)
    if os.path.lexists(out):
        raise ProjectError(f"{out}: exists; choose a new name; {NOT_WRITTEN}")
    if not out.parent.is_dir():
        raise ProjectError(f"{out.parent}: no such folder; {NOT_WRITTEN}")
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
        _link_new(partial, out)
    except sqlite3.Error as exc:
        raise ProjectError(f"{out}: {reason(exc)}; {NOT_WRITTEN}") from None
    except OSError as exc:
        raise ProjectError(
            f"{out}: cannot write it ({exc.strerror or exc}); {NOT_WRITTEN}"
        ) from None
    finally:
        for leftover in (partial, *(side_file(partial, suffix) for suffix in SIDE_FILES)):
            leftover.unlink(missing_ok=True)


def _link_new(partial: Path, out: Path) -> None:
    """Give the complete copy its name without replacing a file that appeared meanwhile."""
    try:
        os.link(partial, out)
    except FileExistsError:
        raise ProjectError(f"{out}: exists; choose a new name; {NOT_WRITTEN}") from None
    except OSError:  # a file system without hard links
        if os.path.lexists(out):
            raise ProjectError(f"{out}: exists; choose a new name; {NOT_WRITTEN}") from None
        os.rename(partial, out)
