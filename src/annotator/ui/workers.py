"""Background tasks: run plain task bodies on a QThreadPool, deliver outcomes on the GUI thread.

A task body is a plain function from core/io/nlp called as `fn(*args, progress=token, **kwargs)`
on a worker thread. Its result, exception and progress reach the GUI thread as `TaskHandle`
signals (queued connections); nothing raised in a worker ever escapes into Qt. A body must not
touch Qt objects or the GUI's Project: it opens its own Project on `project.location`.

A body that writes holds the store's write lock (core.project.store.write_lock) around opening
its own Project and writing, so two background writers never compete for SQLite's write lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.progress import check_cancelled
from annotator.ui.guard import qt_override

log = logging.getLogger(__name__)

_INT_MAX = 2**31 - 1


class TaskProgress:
    """The progress token a task body gets; thread-safe, with reports coalesced for the GUI."""

    def __init__(self, notify: Callable[[], None]) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._latest: tuple[int, int] | None = None
        self._pending = False
        self._notify = notify

    def report(self, done: int, total: int) -> None:
        """Record how far the task is; at most one GUI update is queued at a time."""
        with self._lock:
            self._latest = (min(int(done), _INT_MAX), min(int(total), _INT_MAX))
            if self._pending:
                return
            self._pending = True
        with suppress(RuntimeError):  # the handle was deleted: nobody is listening any more
            self._notify()

    def cancelled(self) -> bool:
        """Whether cancel() was called; task bodies stop with Cancelled when it is."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the task to stop at its next check."""
        self._cancel.set()

    def take(self) -> tuple[int, int] | None:
        """The latest report (GUI thread), clearing the pending flag so reports flow again."""
        with self._lock:
            self._pending = False
            return self._latest


class TaskHandle(QObject):
    """One submitted task as the GUI sees it; all signals arrive on the GUI thread."""

    progressed = Signal(int, int)  # done, total (total 0: unknown)
    ending = Signal()  # first, before succeeded or failed: progress UI closes here
    succeeded = Signal(object)  # the task's return value
    failed = Signal(object)  # the exception (Cancelled when cancelled)
    finished = Signal()  # after succeeded or failed, always

    _progress_posted = Signal()
    _outcome_posted = Signal(bool, object)

    def __init__(self, title: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.progress = TaskProgress(self._progress_posted.emit)
        self.result: Any = None
        self.error: BaseException | None = None
        self.last_progress: tuple[int, int] | None = None
        self._done = False
        self._progress_posted.connect(self._on_worker_progress, Qt.ConnectionType.QueuedConnection)
        self._outcome_posted.connect(self._on_worker_outcome, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Ask the task to stop; it then fails with Cancelled (unless it already finished)."""
        self.progress.cancel()

    def is_cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self.progress.cancelled()

    def is_done(self) -> bool:
        """Whether the outcome has been delivered (finished was emitted)."""
        return self._done

    def post_outcome(self, ok: bool, value: object) -> None:
        """Called by the worker thread with the result (ok) or the exception (not ok)."""
        self._outcome_posted.emit(ok, value)

    @Slot()
    def _on_worker_progress(self) -> None:
        latest = self.progress.take()
        if latest is None or latest == self.last_progress or self._done:
            return
        self.last_progress = latest
        self.progressed.emit(*latest)

    @Slot(bool, object)
    def _on_worker_outcome(self, ok: bool, value: object) -> None:
        self._done = True
        self.ending.emit()  # no result or error box may open under a pending progress dialog
        if ok:
            self.result = value
            self.succeeded.emit(value)
        else:
            self.error = value  # type: ignore[assignment]
            self.failed.emit(value)
        self.finished.emit()


class _TaskRunnable(QRunnable):
    """Runs one task body on a pool thread and posts its outcome to the handle."""

    def __init__(self, handle: TaskHandle, fn: Callable[..., Any], args: tuple, kwargs: dict):
        super().__init__()
        self._handle = handle
        self._call = partial(fn, *args, progress=handle.progress, **kwargs)

    @qt_override()
    def run(self) -> None:
        try:
            ok, value = self._execute()  # catches everything the task body raises
            self._handle.post_outcome(ok, value)
        finally:
            self._call = None  # drop the task's arguments now, not when Qt frees the runnable

    def _execute(self) -> tuple[bool, object]:
        title = self._handle.title
        try:
            check_cancelled(self._handle.progress)
            return True, self._call()
        except Cancelled as exc:
            log.info("task %r cancelled", title)
            return False, exc
        except AnnotatorError as exc:
            log.info("task %r failed: %s", title, exc)
            return False, exc
        except BaseException as exc:
            log.error("task %r raised an unexpected error", title, exc_info=exc)
            return False, exc


class TaskRunner(QObject):
    """Runs task bodies on its own QThreadPool and tracks them until their outcome is delivered."""

    active_changed = Signal(int)  # number of tasks not yet finished

    def __init__(self, parent: QObject | None = None, *, max_threads: int | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if max_threads:
            self._pool.setMaxThreadCount(max_threads)
        self._active: list[TaskHandle] = []
        self._shut_down = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, title: str = "", **kwargs: Any):
        """Run `fn(*args, progress=token, **kwargs)` in the pool; returns its TaskHandle.

        After `shut_down` nothing starts: the handle fails with Cancelled.
        """
        handle = TaskHandle(title)
        handle.finished.connect(self._on_handle_finished)
        self._active.append(handle)
        if self._shut_down:
            handle.cancel()
            handle.post_outcome(False, Cancelled("closing; the task was not started"))
        else:
            self._pool.start(_TaskRunnable(handle, fn, args, kwargs))
        self.active_changed.emit(len(self._active))
        return handle

    def active(self) -> list[TaskHandle]:
        """Tasks submitted whose outcome has not been delivered yet."""
        return list(self._active)

    def cancel_all(self) -> None:
        """Ask every active task to stop (queued ones fail with Cancelled as they start)."""
        for handle in self._active:
            handle.cancel()

    def shut_down(self, timeout_ms: int = -1) -> bool:
        """Cancel every task, start none from now on, and wait for the workers (True: idle).

        For closing: a task chained on another's outcome (a queued suggestion request) would
        otherwise start after the window is gone and outlive the objects it reports to.
        """
        self._shut_down = True
        self.cancel_all()
        return self.wait_all(timeout_ms)

    def wait_all(self, timeout_ms: int = -1) -> bool:
        """Block until every worker thread is idle (True) or the timeout passed (False).

        Outcomes are delivered later, by the event loop; closeEvent may ignore them.
        """
        return self._pool.waitForDone(timeout_ms)

    @Slot()
    def _on_handle_finished(self) -> None:
        handle = self.sender()
        if handle not in self._active:
            return
        self._active.remove(handle)
        self.active_changed.emit(len(self._active))
