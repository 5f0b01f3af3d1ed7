"""One writer per project file: a QLockFile beside it, `<dir>/.<name>.lock`.

Two app windows on one file would each keep spans in memory and silently overwrite each other's
work (SQLite does not notice lost updates), so the second one is told who holds the file and may
open it read-only. A lock left by a crashed process is taken over: QLockFile checks whether the
recorded pid still runs (and is still the same program) and, on Unix, whether the file is still
flock()ed. The age-based staleness (30 s by default) is switched off, since a window legitimately
holds its lock for hours and, on file systems without flock, an old lock would otherwise be stolen
from a live process.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

log = logging.getLogger(__name__)

TRY_LOCK_MS = 100


class ProjectLock:
    """The lock that makes this process the only writer of a project file."""

    def __init__(self, project_path: str | os.PathLike[str]) -> None:
        self.project_path = Path(project_path).absolute()
        self.path = self.project_path.with_name(f".{self.project_path.name}.lock")
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # stale only when the holder is gone, never by age

    def acquire(self, timeout_ms: int = TRY_LOCK_MS) -> bool:
        """Take the lock (reclaiming a dead process's stale one); False if someone else holds it."""
        if self._lock.isLocked():
            return True
        if self._lock.tryLock(timeout_ms):
            return True
        log.info("cannot lock %s: %s", self.project_path, self.failure())
        return False

    def is_locked(self) -> bool:
        """Whether this object holds the lock."""
        return self._lock.isLocked()

    def holder(self) -> str:
        """Who holds the lock, e.g. 'annotator (pid 1234) on host lab-pc'; '' if unknown."""
        pid, hostname, appname = self._lock.getLockInfo()[-3:]  # PySide6 drops the bool
        if not pid:
            return ""
        process = f"pid {pid}"
        if appname and appname != "annotator":
            process += f", {appname}"  # e.g. python3.12 when run from a source checkout
        text = f"annotator ({process})"
        if hostname:
            here = hostname == QSysInfo.machineHostName()
            text += f" on host {hostname}" + (" (this computer)" if here else "")
        return text

    def failure(self) -> str:
        """Why the last acquire() failed, in words; '' when it did not fail."""
        error = self._lock.error()
        if error == QLockFile.LockError.NoError:
            return ""
        if error == QLockFile.LockError.LockFailedError:
            return f"held by {self.holder() or 'another process'}"
        if error == QLockFile.LockError.PermissionError:
            return f"no permission to create {self.path}"
        return f"cannot create {self.path}"

    def release(self) -> None:
        """Give the lock up (removes the lock file); harmless when not held."""
        if self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> ProjectLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
