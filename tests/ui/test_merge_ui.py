"""File → Merge Project from the desktop app, with every dialog stubbed."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QFileDialog

from annotator.core.errors import Cancelled, ProjectError
from annotator.core.merge_records import KINDS
from annotator.core.project.store import WRITE_LOCK
from annotator.core.settings import Settings
from annotator.ui import file_tasks, merge_controller
from annotator.ui.main_window import MainWindow
from annotator.ui.merge_controller import MergeController
from annotator.ui.workspace import Workspace
from merge_builders import dump, fingerprint, make_other

WAIT_MS = 10_000


@pytest.fixture
def workspace(project):
    return Workspace(project, "alice")


@pytest.fixture
def errors(monkeypatch):
    """Every error dialog the controller shows, as (title, error)."""
    seen: list[tuple[str, object]] = []
    for module in (file_tasks, merge_controller):
        monkeypatch.setattr(
            module, "show_error", lambda _parent, title, error: seen.append((title, error))
        )
    return seen


@pytest.fixture
def other(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    return make_other(folder / "bob.db")


def test_merge_project_from_the_file_menu_reports_and_refreshes(qtbot, project, other, monkeypatch):
    picked = []

    def fake_open(parent, caption, folder, filters):
        picked.append((caption, filters))
        return [str(other)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_open)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    before = fingerprint(other)
    assert win.actions_by_id["file.merge"].text() == "&Merge Project…"
    win.actions_by_id["file.merge"].trigger()
    with qtbot.waitSignal(win.project.merger.merged, timeout=WAIT_MS) as blocker:
        pass
    report = blocker.args[0]
    assert picked[0][0] == "Merge Project" and "*.jsonl" in picked[0][1]
    assert report.counts["documents"].added == 2
    assert win.navigator.model.rowCount() == 2
    assert win.workspace.document is not None, "the first document opens, as after an import"
    dialog = win.project.merger.report_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Merge Finished"
    assert dialog.table.item(0, 0).text() == "2"
    assert "0 deletion(s) applied, 0 deleted span(s) not brought back" in dialog.summary.text()
    assert not dialog.conflicts.isVisible()
    assert fingerprint(other) == before
    if os.environ.get("ANNOTATOR_SHOTS"):
        dialog.grab().save(os.path.join(os.environ["ANNOTATOR_SHOTS"], "merge-report.png"))
    dialog.accept()


def test_conflicts_are_listed_in_the_report(qtbot, workspace, runner, errors, other):
    from annotator.core.model import Status

    project = workspace.project
    project.add_document("Baykar sold TB2 drones to Azerbaijan.", title="mine", verbatim=True)
    (doc_id,) = project.document_ids()
    project.add_span(doc_id, "bob", "ACTOR", 0, 6, note="ours")
    project.set_status(doc_id, "bob", Status.IN_PROGRESS)
    changes = []
    workspace.changes_applied.connect(changes.append)
    controller = MergeController(workspace, runner)
    with qtbot.waitSignal(controller.merged, timeout=WAIT_MS):
        controller.merge_paths([other])
    dialog = controller.report_dialog
    text = dialog.conflicts.toPlainText().splitlines()
    assert len(text) == 2 and text[0].startswith("bob.db: document 1") and "kept done" in text[0]
    assert "note 'maker' there, 'ours' here" in text[1]
    assert dialog.table.item(KINDS.index("notes"), 3).text() == "1", "one notes conflict"
    if os.environ.get("ANNOTATOR_SHOTS"):
        dialog.grab().save(os.path.join(os.environ["ANNOTATOR_SHOTS"], "merge-conflicts.png"))
    assert changes and doc_id in changes[-1].documents
    assert errors == []
    dialog.accept()  # else it stays open until a garbage collection frees the controller


def test_a_bad_file_shows_the_error_and_stores_nothing(qtbot, workspace, runner, errors, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("plain text")
    before = dump(workspace.project.path)
    controller = MergeController(workspace, runner)
    handle = controller.merge_paths([bad])
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    ((title, error),) = errors
    assert title == "Merge Failed" and isinstance(error, ProjectError)
    assert str(error) == f"{bad}: cannot open as a project (not a SQLite database)"
    assert dump(workspace.project.path) == before
    assert controller.report_dialog is None


def test_cancel_while_waiting_stores_nothing(qtbot, workspace, runner, errors, other):
    before = dump(workspace.project.path)
    controller = MergeController(workspace, runner)
    with WRITE_LOCK:  # another writer is busy: the merge waits, then is cancelled
        handle = controller.merge_paths([other])
        handle.cancel()
        with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
            pass
    ((title, error),) = errors
    assert title == "Merge Cancelled" and isinstance(error, Cancelled)
    assert "nothing was stored" in str(error)
    assert dump(workspace.project.path) == before


def test_cancelled_file_dialog_and_read_only_project_merge_nothing(
    project, runner, errors, other, monkeypatch
):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: ([], ""))
    assert MergeController(Workspace(project, "alice"), runner).merge_project() is None
    read_only = MergeController(Workspace(project, "alice", read_only=True), runner)
    assert read_only.merge_paths([other]) is None
    assert errors == [("Merge", "This project is open read-only; cannot merge.")]
