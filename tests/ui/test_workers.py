"""TaskRunner: outcomes and progress reach the GUI thread; errors and cancels arrive via failed."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from annotator.core.errors import Cancelled, InputError
from annotator.core.progress import check_cancelled
from annotator.ui.workers import TaskHandle, TaskRunner

WAIT = 5  # seconds a worker may wait for the test; only reached when something is broken


def test_result_is_delivered_on_the_gui_thread(qtbot, runner):
    main = threading.get_ident()
    seen: dict[str, object] = {}

    def body(a, b, *, scale, progress):
        seen["worker"] = threading.get_ident()
        return (a + b) * scale

    handle = runner.submit(body, 1, 2, scale=10, title="sum")

    def on_succeeded(result):
        seen["slot"] = threading.get_ident()
        seen["result"] = result

    handle.succeeded.connect(on_succeeded)
    failed = []
    handle.failed.connect(failed.append)
    with qtbot.waitSignal(handle.finished, timeout=WAIT * 1000):
        pass
    assert seen["result"] == 30 and handle.result == 30
    assert seen["worker"] != main
    assert seen["slot"] == main
    assert failed == [] and handle.is_done() and handle.title == "sum"


def test_progress_reports_reach_the_gui_in_order_and_end_at_the_total(qtbot, runner):
    def body(progress):
        for done in range(101):
            progress.report(done, 100)
        return "ok"

    handle = runner.submit(body)
    reports: list[tuple[int, int]] = []
    handle.progressed.connect(lambda done, total: reports.append((done, total)))
    with qtbot.waitSignal(handle.finished, timeout=WAIT * 1000):
        pass
    assert reports, "no progress delivered"
    assert reports[-1] == (100, 100) == handle.last_progress
    dones = [done for done, _ in reports]
    assert dones == sorted(dones)
    assert all(total == 100 for _, total in reports)


def test_an_exception_is_delivered_via_failed_not_raised_into_qt(qtbot, runner):
    def body(progress):
        raise ValueError("boom")

    handle = runner.submit(body)
    succeeded = []
    handle.succeeded.connect(succeeded.append)
    with qtbot.waitSignal(handle.failed, timeout=WAIT * 1000) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, ValueError) and str(error) == "boom"
    assert handle.error is error and succeeded == []


def test_annotator_errors_keep_their_type_and_message(qtbot, runner):
    def body(progress):
        raise InputError("a.txt", 3, "bad line")

    handle = runner.submit(body)
    with qtbot.waitSignal(handle.failed, timeout=WAIT * 1000) as blocker:
        pass
    assert isinstance(blocker.args[0], InputError)
    assert str(blocker.args[0]) == "a.txt:3: bad line"


def test_cancel_reaches_the_body_and_arrives_as_cancelled(qtbot, runner):
    started, go = threading.Event(), threading.Event()

    def body(progress):
        started.set()
        go.wait(WAIT)
        check_cancelled(progress)
        return "should not happen"

    handle = runner.submit(body)
    assert started.wait(WAIT)
    with qtbot.waitSignal(handle.failed, timeout=WAIT * 1000) as blocker:
        handle.cancel()
        go.set()
    assert isinstance(blocker.args[0], Cancelled)
    assert handle.is_cancelled() and handle.result is None


def test_a_task_cancelled_before_it_starts_never_runs(qtbot):
    runner = TaskRunner(max_threads=1)
    go = threading.Event()
    ran = []
    first = runner.submit(lambda progress: go.wait(WAIT))
    second = runner.submit(lambda progress: ran.append(True))
    second.cancel()
    with qtbot.waitSignal(second.failed, timeout=WAIT * 1000) as blocker:
        go.set()
    assert isinstance(blocker.args[0], Cancelled)
    assert ran == [] and first.is_done()
    assert runner.wait_all(5000)


def test_wait_all_times_out_while_busy_then_returns_true(qtbot, runner):
    go = threading.Event()
    counts: list[int] = []
    runner.active_changed.connect(counts.append)
    handle = runner.submit(lambda progress: go.wait(WAIT), title="blocked")
    assert runner.active() == [handle]
    assert runner.wait_all(10) is False
    go.set()
    assert runner.wait_all(5000) is True
    qtbot.waitUntil(lambda: not runner.active(), timeout=WAIT * 1000)
    assert handle.is_done() and counts == [1, 0]


def test_cancel_all_stops_every_running_task(qtbot, runner):
    started = [threading.Event(), threading.Event()]

    def body(index, progress):
        started[index].set()
        while not progress.cancelled():
            started[index].wait(0.01)  # a busy task polling its token
        check_cancelled(progress)

    handles = [runner.submit(body, i) for i in range(2)]
    for event in started:
        assert event.wait(WAIT)
    errors: list[object] = []
    for handle in handles:
        handle.failed.connect(errors.append)
    runner.cancel_all()
    assert runner.wait_all(5000)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=WAIT * 1000)
    assert all(isinstance(e, Cancelled) for e in errors)


def test_handle_can_be_built_alone():
    handle = TaskHandle("title")
    assert not handle.is_done() and not handle.is_cancelled()
    handle.cancel()
    assert handle.progress.cancelled()


def test_progress_dialog_shows_n_of_m_cancels_the_task_and_closes_when_it_finishes(qtbot):
    from annotator.ui.progress_dialog import TaskProgressDialog

    handle = TaskHandle("Importing")
    dialog = TaskProgressDialog(handle, label="Importing files", show_after_ms=0)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Importing"
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT * 1000)
    handle.progressed.emit(2, 5)
    assert dialog.labelText() == "Importing files\n2 of 5"
    assert (dialog.maximum(), dialog.value()) == (5, 2)
    dialog.cancel_button.click()
    assert handle.is_cancelled() and dialog.isVisible()
    assert "Cancelling" in dialog.labelText() and not dialog.cancel_button.isEnabled()
    handle.post_outcome(False, Cancelled("cancelled"))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT * 1000)


def test_progress_dialog_never_shows_for_a_quick_task(qtbot, runner):
    from annotator.ui.progress_dialog import TaskProgressDialog

    handle = runner.submit(lambda progress: progress.report(1, 1))
    dialog = TaskProgressDialog(handle)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(handle.finished, timeout=WAIT * 1000):
        pass
    assert not dialog.isVisible()
