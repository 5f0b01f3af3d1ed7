"""The UI tests' watchdog (loop_watchdog.py) catches what it must and nothing else."""

from __future__ import annotations

import functools
import gc
import time

from loop_watchdog import LIMIT_S, LOOP_LIMIT_S, LoopWatchdog, open_dialogs
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog


def _run_loop(ms: int) -> None:
    """Run a plain event loop (not a qtbot wait, which the autouse watchdog watches)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def blocking_slot() -> None:
    time.sleep(0.4)


def test_a_slot_blocking_the_running_loop_is_caught_the_tests_own_blocking_is_not(qtbot):
    watchdog = LoopWatchdog()
    watchdog.start()
    time.sleep(0.4)  # the test's own synchronous time: the loop is not supposed to run
    QTimer.singleShot(0, blocking_slot)
    with watchdog.running():
        _run_loop(700)
    watchdog.stop()
    (stall,) = watchdog.stalls
    assert stall.seconds > 0.3 and stall.in_python
    assert "blocking_slot" in stall.stack


def _blocked_without_python(seconds: float) -> None:
    """Run the loop while a call from it blocks with no Python frame, as Qt's C++ work or a
    wait for the GIL does (a partial of a builtin adds no frame)."""
    QTimer.singleShot(0, functools.partial(time.sleep, seconds))
    _run_loop(int(seconds * 1000) + 150)


def test_a_stall_inside_the_loop_has_the_longer_limit(qtbot):
    watchdog = LoopWatchdog(limit_s=0.1, loop_limit_s=0.6)
    watchdog.start()
    with watchdog.running(loop_frames=2):  # _blocked_without_python, _run_loop
        _blocked_without_python(0.35)
    watchdog.stop()
    assert watchdog.stalls == []
    (tolerated,) = watchdog.tolerated
    assert 0.1 < tolerated.seconds < 0.6 and not tolerated.in_python


def test_a_stall_inside_the_loop_over_the_loop_limit_is_caught(qtbot):
    watchdog = LoopWatchdog(limit_s=0.1, loop_limit_s=0.6)
    watchdog.start()
    with watchdog.running(loop_frames=2):
        _blocked_without_python(1.0)
    watchdog.stop()
    (stall,) = watchdog.stalls
    assert stall.seconds > 0.6 and not stall.in_python
    assert LOOP_LIMIT_S > LIMIT_S  # the suite's limits keep that order


def test_a_full_garbage_collection_is_not_counted_a_young_one_is(qtbot):
    slowed: list[int] = []  # the generations of the collections the slots ask for

    def slow_collection(phase: str, info: dict) -> None:
        if phase == "start" and slowed and info["generation"] == slowed[-1]:
            time.sleep(0.4)  # as a full collection of a big heap takes

    def collect(generation: int) -> None:
        slowed.append(generation)
        gc.collect(generation)
        slowed.clear()

    watchdog = LoopWatchdog()
    watchdog.start()
    gc.callbacks.append(slow_collection)  # after the watchdog's: the sleep is in its timing
    try:
        QTimer.singleShot(0, lambda: collect(2))
        QTimer.singleShot(600, lambda: collect(0))
        with watchdog.running():
            _run_loop(1200)
    finally:
        gc.callbacks.remove(slow_collection)
        watchdog.stop()
    (stall,) = watchdog.stalls
    assert stall.seconds > 0.3
    assert "collect(0)" in stall.stack


def test_open_modal_and_armed_progress_dialogs_are_reported_and_closed(qtbot):
    box = QMessageBox(QMessageBox.Icon.Information, "Left Open", "text")
    box.open()
    armed = QProgressDialog("working", "Cancel", 0, 0)
    armed.setWindowTitle("Still Armed")
    armed.setMinimumDuration(60_000)
    armed.setValue(0)  # arms the show timer; it would pop up in a later test
    done = QProgressDialog("done", "Cancel", 0, 0)
    done.setWindowTitle("Reset")
    done.reset()
    found = open_dialogs()
    assert any("'Left Open'" in text for text in found)
    assert any("'Still Armed'" in text for text in found)
    assert not any("'Reset'" in text for text in found)
    assert not box.isVisible() and open_dialogs() == []
