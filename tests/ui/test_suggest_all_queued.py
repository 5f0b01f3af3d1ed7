"""Suggest for All Documents asked while a suggestion task runs (right after start, the open
document's) is queued, never dropped: it runs when that task ends, with its progress dialog and
result box, and a later request for another document does not push it out (issue 17)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from annotator.core.progress import check_cancelled
from annotator.core.settings import Settings
from annotator.nlp.runner import SuggestReport
from annotator.ui import suggestion_service
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

WAIT_MS = 10_000


@pytest.fixture
def started(monkeypatch) -> tuple[list, threading.Event]:
    """Replace the suggestion task by one that records its documents and holds the first run
    until released."""
    runs: list[tuple[int, ...] | None] = []
    release = threading.Event()

    def suggest(location, document_ids, *args, progress, **kwargs):
        runs.append(None if document_ids is None else tuple(document_ids))
        while not release.wait(0.01):
            check_cancelled(progress)
        return None, SuggestReport(documents=2, total=2)

    monkeypatch.setattr(suggestion_service, "suggest_task", suggest)
    return runs, release


def test_suggest_all_asked_during_the_first_run_runs_after_it_and_reports(
    qtbot, project, monkeypatch, started
):
    runs, release = started
    first, second = (
        next(iter(project.add_document(text, title).documents))
        for text, title in (("Baykar met Saab.", "One"), ("Saab and Baykar", "Two"))
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=True), print)
    qtbot.addWidget(window)
    window.show()
    window.workspace.open_document(first)  # its suggestions are computed once the window shows
    qtbot.waitUntil(lambda: runs == [(first,)], timeout=WAIT_MS)

    window.actions_by_id["suggest.all"].trigger()
    assert "starts when the running computation ends" in window.statusBar().currentMessage()
    window.workspace.open_document(second)  # asks for the second document's suggestions
    release.set()

    qtbot.waitUntil(lambda: len(runs) == 3 and bool(shown), timeout=WAIT_MS)
    assert runs == [(first,), None, (second,)]
    assert shown == ["Done: 2 of 2 documents, 0 suggestions from no suggester."]
    qtbot.waitUntil(lambda: not window.suggester.is_busy(), timeout=WAIT_MS)


def test_every_request_waiting_behind_a_run_runs_unless_a_newer_one_of_its_kind_replaced_it(
    qtbot, project, started
):
    runs, release = started
    ids = [next(iter(project.add_document(f"Text {n}.").documents)) for n in range(4)]
    service = suggestion_service.SuggestionService(Workspace(project, "alice"))
    running = service.suggest_document(ids[0])
    qtbot.waitUntil(lambda: runs == [(ids[0],)], timeout=WAIT_MS)
    assert service.suggest_all() is None  # waits for the running one
    assert service.suggest_document(ids[1], include_done=True) is None  # F5 on one document
    assert service.suggest_document(ids[2]) is None  # opening a document
    assert service.suggest_document(ids[3]) is None  # opening another: replaces the previous
    assert service.suggest_all() is None  # asked again: runs once, after the newer requests
    release.set()
    qtbot.waitUntil(lambda: len(runs) == 4 and not service.is_busy(), timeout=WAIT_MS)
    assert running.is_done()
    assert runs == [(ids[0],), (ids[1],), (ids[3],), None]
