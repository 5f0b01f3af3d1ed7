"""Closing the main window ends its background work: a suggestion request queued behind a running
one does not start once the window is closed, so on exit no worker reports into objects the
application has already deleted ("Signal source has been deleted")."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

import shiboken6
from PySide6.QtCore import qInstallMessageHandler

from annotator.core.progress import check_cancelled
from annotator.core.settings import Settings
from annotator.ui import suggestion_service
from annotator.ui.main_window import MainWindow
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

WAIT_MS = 5000


def test_a_queued_suggestion_does_not_start_after_close_and_exit_logs_nothing(
    qtbot, project, monkeypatch, caplog
):
    project.add_document("Text one.")
    project.add_document("Text two.")
    first, second = project.document_ids()
    started: list[list[int] | None] = []
    release = threading.Event()

    def suggest(location, document_ids, *args, progress, **kwargs):
        started.append(document_ids)
        while not release.wait(0.01):
            check_cancelled(progress)
        return None, None

    monkeypatch.setattr(suggestion_service, "suggest_task", suggest)
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _where, text: messages.append(text))
    try:
        window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), print)
        qtbot.addWidget(window)
        service = window.suggester
        running = service.suggest_document(first)
        assert service.suggest_document(second) is None  # queued behind the running one
        qtbot.waitUntil(lambda: started == [[first]])
        window.close()  # cancels and waits; the cancelled task's outcome is delivered next
        qtbot.waitUntil(running.is_done, timeout=WAIT_MS)
        qtbot.wait(50)  # the queued request would be submitted here
        for handle in service.runner.active():
            shiboken6.delete(handle)  # what the application's teardown does to what is left
        release.set()
        assert service.runner.wait_all(WAIT_MS)
    finally:
        qInstallMessageHandler(previous)
    assert started == [[first]], "a suggestion task started after the window closed"
    assert "Signal source has been deleted" not in caplog.text
    assert [m for m in messages if "propagateSizeHints" not in m] == []


def test_after_shut_down_a_submitted_task_fails_as_cancelled_without_running(qtbot):
    runner = TaskRunner()
    ran = []
    assert runner.shut_down(WAIT_MS)
    handle = runner.submit(lambda *, progress: ran.append(1), title="late")
    with qtbot.waitSignal(handle.failed, timeout=WAIT_MS) as failed:
        pass
    assert type(failed.args[0]).__name__ == "Cancelled" and ran == []
    assert runner.active() == [] and runner.wait_all(WAIT_MS)
