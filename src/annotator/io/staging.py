"""Write beside a target, then put it in place in one step; clear what killed runs left behind.

A staging folder is `.<NAME>.export-<pid>-<random>` beside the target `NAME` (a long NAME is
shortened, see staging_prefix), made with the user's umask (so what is moved into place has the
permissions of any file the user creates). A file target is replaced with one rename. A folder
target that exists is exchanged with the staged folder in one step (`renameat2` with
RENAME_EXCHANGE on Linux, `renamex_np` with RENAME_SWAP on macOS), so at every moment the target
is the old folder or the new one; the old one, now under the staging name, is then deleted.
Where no exchange exists (Windows, some file systems) the old folder is first renamed to a
staging name: a kill between the two renames leaves no target, and `clear_leftovers` puts a
complete folder back.

A staged folder is complete once its `complete` file (the export's marker, written last) exists.
`clear_leftovers` removes every staging folder of the target whose process is gone, after
restoring a complete one when the target itself is missing (or else the `.NAME.old` folder that
versions before this one moved a folder to before replacing it); it is idempotent. Other files
that earlier versions left (`.NAME.old` beside an existing target, `.NAME.XXXXXXXX` staging
folders) cannot be told apart from the user's own and are left alone; they no longer block
an export.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import secrets
import shutil
import sys
from pathlib import Path

_NAME_KEPT = 160
"""Bytes of a target's name kept in its staging folders' names."""
_STAGING_TAIL = re.compile(r"([0-9]+)-[0-9a-f]{8}")
"""What follows the prefix in a staging folder's name: the process id and a random part."""
_AT_FDCWD = -100
_EXCHANGE = 2  # RENAME_EXCHANGE (Linux) and RENAME_SWAP (macOS) are both 2
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV}

NO_NEW_FILES = "the folder is not writable (it accepts no new files)"
_REASONS = {
    errno.ENOSPC: "the disk is full; free some space",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an I/O error",
}


def os_reason(exc: OSError) -> str:
    """A short reason for a failed file operation, in words a person can act on."""
    if exc.errno == errno.ENOENT and _in_a_folder(exc.filename):
        return NO_NEW_FILES  # e.g. /proc: the folder is there but takes no new entries
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def _in_a_folder(filename: object) -> bool:
    """Whether `filename` (an OSError's) names an entry whose folder exists."""
    return isinstance(filename, str | bytes) and _plain_folder(Path(os.fsdecode(filename)).parent)


def staging_prefix(target: Path) -> str:
    """The name every staging folder of `target` starts with (a long name is shortened, with a
    hash of it, so the staging name stays within the 255 bytes file systems allow)."""
    name = target.name
    if len(name.encode()) > _NAME_KEPT:
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        name = f"{name.encode()[:_NAME_KEPT].decode(errors='ignore')}~{digest}"
    return f".{name}.export-"


def make_staging(target: Path) -> Path:
    """A new empty folder beside `target`, named for this process, with the user's umask."""
    while True:
        path = target.with_name(f"{staging_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}")
        try:
            path.mkdir()  # mode 0o777 less the umask, as for any folder the user creates
            return path
        except FileExistsError:
            continue


def put_in_place(staged: Path, target: Path) -> Path | None:
    """Move `staged` (a file or folder) to `target` in one step; returns where the old folder
    went (to be deleted by the caller), or None when nothing was displaced."""
    if not staged.is_dir() or not target.is_dir() or target.is_symlink():
        os.replace(staged, target)  # a file, or a folder onto an empty or missing one
        return None
    try:
        os.rmdir(target)  # an empty folder: nothing to keep
    except OSError:
        pass
    else:
        os.replace(staged, target)
        return None
    if _exchange(staged, target):
        return staged
    aside = make_staging(target)
    os.replace(target, aside)  # no exchange here: a kill now leaves no target (see module doc)
    os.replace(staged, target)
    return aside


def clear_leftovers(target: Path, complete: str) -> None:
    """Remove the staging folders of `target` left by dead processes; when `target` is missing,
    first put back the newest of them holding `complete` (a folder that was being exchanged),
    or else the `.NAME.old` of an earlier version."""
    prefix = staging_prefix(target)
    try:
        found = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return
    leftovers = [p for p in found if _plain_folder(p) and _orphaned(p, prefix)]
    if not target.exists() and not target.is_symlink():
        finished = [p for p in leftovers if (p / complete).is_file()]
        aside_before = target.with_name(f".{target.name}.old")  # versions before this one
        if finished:
            newest = max(finished, key=lambda p: (p / complete).stat().st_mtime_ns)
            os.replace(newest, target)
            leftovers.remove(newest)
        elif _plain_folder(aside_before):
            os.replace(aside_before, target)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def remove_quietly(path: Path | None) -> None:
    """Delete a staging file or folder; what cannot be deleted now is cleared next time."""
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _plain_folder(path: Path) -> bool:
    """Whether `path` is a folder, not a link to one (False when it cannot be looked at)."""
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:  # e.g. a name too long for the file system
        return False


def _orphaned(path: Path, prefix: str) -> bool:
    """Whether the process that made this staging folder is gone (or is this one, done)."""
    made_by = _STAGING_TAIL.fullmatch(path.name[len(prefix) :])
    if made_by is None:  # not a staging folder of this target (another name, longer)
        return False
    pid = int(made_by[1])
    if pid == os.getpid() or sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            call = libc.renameat2
            args = (_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _EXCHANGE)
        elif sys.platform == "darwin":
            call = libc.renamex_np
            args = (os.fsencode(a), os.fsencode(b), _EXCHANGE)
        else:
            return False
    except (AttributeError, OSError):
        return False
    if call(*args) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))
