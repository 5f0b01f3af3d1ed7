"""An event-loop watchdog for the UI tests: the GUI loop must never stall, nor a test end with
a modal or progress dialog still open.

A heartbeat QTimer fires every BEAT_MS on the GUI thread; a watcher thread notices when it
stops. Only time during which the loop is supposed to run counts: inside pytest-qt's waits
(`qtbot.wait`, `waitUntil`, `waitSignal(s)`, `waitCallback`, which all run a QEventLoop through
`qt_api.exec`; `waitActive`/`waitExposed`, which call QTest) and `QTest.qWait`. A test's own
synchronous calls (building a project, a direct method call) block the loop by design and are
not counted.

A full garbage collection (generation 2) does not count either: it scans the whole heap, which
in one pytest process holds the leftovers of every earlier test (about 250,000 objects by the end
of the UI suite); measured at 100-470 ms on the GUI thread, it failed whichever test it fell in.
Its time is taken off the gap. Younger collections, which scan what the test itself made, count.

Two limits, by where the GUI thread was during the gap (sampled every POLL_S): running Python
code called from the loop (a slot, an event handler, a model's `data()`: this project's work)
LIMIT_S; inside the loop with no Python frame above it (Qt's own C++ work, or waiting for the GIL
a worker holds inside one long C call) LOOP_LIMIT_S. Both CI failures from machine noise (264 and
297 ms, on two-core CI machines) were of the second kind; every stall the project's code caused
was of the first.

Time the process was kept off a CPU by others does not count: on Linux, the longest run-queue
delay any of its threads had during the gap (`/proc/self/task/*/schedstat`: runnable, waiting for
a CPU that another process on a loaded machine holds) is taken off. That covers the GUI thread
itself and a worker preempted while it holds the GIL the GUI thread waits for. Time the GUI
thread ran, or waited on a lock, a disk or a busy worker's GIL, stays in.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

LIMIT_S = 0.25
LOOP_LIMIT_S = 1.0
BEAT_MS = 20
POLL_S = 0.02
HISTORY = 500  # samples kept: 10 s at POLL_S


def limit_s() -> float:
    """The stall limit for Python code: LIMIT_S, or ANNOTATOR_WATCHDOG_LIMIT_MS when set (a
    lower one lists the tests that come near it: `ANNOTATOR_WATCHDOG_LIMIT_MS=100 pytest tests/ui`).
    """
    override = os.environ.get("ANNOTATOR_WATCHDOG_LIMIT_MS")
    return int(override) / 1000 if override else LIMIT_S


@dataclass
class Stall:
    """One stretch of the running loop without a heartbeat, and where the GUI thread was."""

    seconds: float
    stack: str
    in_python: bool  # Python code called from the loop ran during it (the stack is from then)

    def counts(self, limit_s: float, loop_limit_s: float) -> bool:
        """Whether it is over its limit: `limit_s` in Python code, `loop_limit_s` in the loop."""
        return self.seconds > (limit_s if self.in_python else max(limit_s, loop_limit_s))

    def describe(self) -> str:
        where = "in Python code" if self.in_python else "inside the loop, no Python code running"
        return (
            f"the event loop stalled {self.seconds * 1000:.0f} ms ({where}); "
            f"GUI thread at:\n{self.stack}"
        )


class FullCollections:
    """The seconds spent in full (generation 2) garbage collections since `start`, on any
    thread (a collection holds the GIL, so it stops the GUI thread's Python wherever it runs)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began: float | None = None

    def start(self) -> None:
        gc.callbacks.append(self._on_collection)

    def stop(self) -> None:
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._on_collection)

    def until(self, now: float) -> float:
        """The seconds so far, with the collection under way (if any) counted up to `now`."""
        began = self._began
        return self.seconds + (now - began if began is not None else 0.0)

    def _on_collection(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.monotonic()
        elif self._began is not None:
            self.seconds += time.monotonic() - self._began
            self._began = None


def _run_queue_delays() -> dict[str, float]:
    """Each thread's total run-queue delay so far, in seconds (empty where unknown)."""
    delays = {}
    with contextlib.suppress(OSError):
        for task in Path("/proc/self/task").iterdir():
            with contextlib.suppress(OSError, IndexError, ValueError):
                delays[task.name] = int((task / "schedstat").read_text().split()[1]) / 1e9
    return delays


class LoopWatchdog:
    """Watches the GUI thread's event loop while `running()` says it should be running."""

    def __init__(self, limit_s: float = LIMIT_S, loop_limit_s: float = LOOP_LIMIT_S) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.limit_s = limit_s
        self.loop_limit_s = loop_limit_s
        self.stalls: list[Stall] = []
        self.tolerated: list[Stall] = []  # over limit_s inside the loop, under loop_limit_s
        self._gui_ident = threading.get_ident()
        self._depth = 0  # nesting of running(); written on the GUI thread only
        self._loop_caller = None  # the frame that entered the outermost running()
        self._loop_frames = 1  # Python frames between it and the running loop
        self._beat_at = time.monotonic()
        self._pending: Stall | None = None  # the stall under way, not yet reported
        self._held: list[object] = []  # see _gui_frames
        self._samples: deque[tuple[float, dict[str, float]]] = deque(maxlen=HISTORY)
        self._collections = FullCollections()
        self._collected_at_beat = 0.0  # full-collection seconds at the last beat
        self._stop = threading.Event()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(BEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._watcher = threading.Thread(target=self._watch, name="loop-watchdog", daemon=True)

    def start(self) -> None:
        self._collections.start()
        self._timer.start()
        self._watcher.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        self._watcher.join()
        self._collections.stop()
        self._close_pending()
        self._held.clear()

    @contextlib.contextmanager
    def running(self, loop_frames: int = 1) -> Iterator[None]:
        """Mark a stretch during which the event loop runs (a wait) and must keep beating;
        `loop_frames` Python frames lie between the caller and the loop (0: it calls a C++
        function that runs the loop; 1: it calls a Python function that does)."""
        if self._depth == 0:
            self._loop_caller = sys._getframe(2)  # past this generator and contextlib's enter
            self._loop_frames = loop_frames
            self._beat()  # the time before, the test's own, does not count
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._close_pending()
                self._loop_caller = None  # a frame kept would keep the test's objects alive

    def _beat(self) -> None:
        self._held.clear()  # frame references the watcher took: released on the GUI thread
        self._close_pending()
        self._beat_at = time.monotonic()
        self._collected_at_beat = self._collections.seconds

    def _close_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending.counts(self.limit_s, self.loop_limit_s):
            self.stalls.append(pending)
        elif pending is not None and pending.seconds > self.limit_s:
            self.tolerated.append(pending)

    def _in_python(self, chain: list[FrameType]) -> bool:
        """Whether the GUI thread (its frames `chain`, innermost first) runs Python code the
        running loop called."""
        above = next((i for i, f in enumerate(chain) if f is self._loop_caller), None)
        return above is None or above > self._loop_frames

    def _own_gap(self, now: float, delays: dict[str, float]) -> float:
        """Seconds since the last beat, less the longest run-queue delay of any thread since
        and the full garbage collections since."""
        beat_at = self._beat_at
        collecting = self._collections.until(now) - self._collected_at_beat
        before = next((d for t, d in reversed(self._samples) if t <= beat_at), None)
        if before is None:  # no sample that old: the delay since the oldest one is the bound
            before = self._samples[0][1] if self._samples else delays
        kept_off = max((delays[tid] - before[tid] for tid in delays if tid in before), default=0)
        return (now - beat_at) - kept_off - collecting

    def _watch(self) -> None:
        while not self._stop.wait(POLL_S):
            now, delays = time.monotonic(), _run_queue_delays()
            self._samples.append((now, delays))
            if self._depth == 0:
                continue
            gap = self._own_gap(now, delays)
            if gap <= self.limit_s:
                continue
            chain = self._gui_frames()
            in_python = self._in_python(chain)
            pending = self._pending
            if pending is None or (in_python and not pending.in_python):
                stack = traceback.StackSummary.extract((f, f.f_lineno) for f in reversed(chain))
                self._pending = pending = Stall(gap, "".join(stack.format()), in_python)
            pending.seconds = max(pending.seconds, gap)

    def _gui_frames(self) -> list[FrameType]:
        """The GUI thread's Python frames, innermost first. Every frame reference taken here
        is kept until the GUI thread's next beat drops them: dropped here, the last reference to
        a frame the GUI thread has left would free its locals (Qt objects) on this thread."""
        frames = sys._current_frames()
        chain = []
        frame = frames.get(self._gui_ident)
        while frame is not None:
            chain.append(frame)
            frame = frame.f_back
        self._held.append((frames, chain))
        return chain


def open_dialogs() -> list[str]:
    """Modal dialogs still shown and progress dialogs still shown or armed (not reset), which
    would block or pop up in whatever comes next; each is closed, and described."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

    found = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QProgressDialog):
            if not widget.isVisible() and widget.value() < widget.minimum():
                continue  # reset: it will never show
            found.append(f"a progress dialog {widget.windowTitle()!r}")
            widget.reset()
            widget.hide()
        elif widget.isVisible() and (
            (isinstance(widget, QDialog) and widget.isModal())
            or widget.windowModality() != Qt.WindowModality.NonModal
        ):
            found.append(f"a modal dialog {widget.windowTitle()!r} ({type(widget).__name__})")
            widget.close()
    return found


@contextlib.contextmanager
def loops_marked_running(watchdog: LoopWatchdog) -> Iterator[None]:
    """Wrap the ways a test runs the event loop so the watchdog watches just those stretches."""
    from PySide6.QtTest import QTest
    from pytestqt.qt_compat import qt_api

    originals = []

    def wrap(owner, name, loop_frames):
        original = getattr(owner, name)

        def watched(*args, **kwargs):
            with watchdog.running(loop_frames):
                return original(*args, **kwargs)

        originals.append((owner, name, original))
        setattr(owner, name, watched)

    wrap(qt_api, "exec", 1)  # every pytest-qt wait runs its QEventLoop through this Python
    for name in ("qWait", "qWaitForWindowActive", "qWaitForWindowExposed"):  # and waitActive...
        wrap(QTest, name, 0)  # C++ functions
    try:
        yield
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)
