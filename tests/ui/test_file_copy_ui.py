"""The app keeps the .db alone complete (idle checkpoint) and writes File → Save a Copy… through
SQLite's backup API, never over an existing file; every dialog stubbed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog

from annotator.core.commands import AddSpanCommand
from annotator.core.errors import ProjectError
from annotator.core.settings import Settings
from annotator.ui import file_tasks
from annotator.ui.copy_controller import CopyController
from annotator.ui.idle_checkpoint import IdleCheckpoint
from annotator.ui.main_window import MainWindow
from annotator.ui.progress_dialog import SHOW_AFTER_MS
from annotator.ui.workspace import Workspace

WAIT_MS = 10_000
EDITS = 120


@pytest.fixture
def errors(monkeypatch, qtbot):
    """Every error dialog shown, as (title, error, whether a progress dialog showed meanwhile);
    each stays up a moment, as a modal box would, with events processed."""
    seen: list[tuple[str, object, bool]] = []

    def fake_error(_parent, title, error):
        qtbot.wait(2 * SHOW_AFTER_MS)
        progress_shown = any(
            isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
        seen.append((title, error, progress_shown))

    monkeypatch.setattr(file_tasks, "show_error", fake_error)
    return seen


def _edited_workspace(project) -> Workspace:
    """A workspace after EDITS span additions through the undo stack, as a user makes them."""
    workspace = Workspace(project, "alice")
    (doc_id,) = project.add_document("z" * 2 * EDITS, "article").documents
    project.checkpoint()  # the file as last saved: schema and document, no spans yet
    _edit(workspace, doc_id, range(EDITS))
    return workspace


def _edit(workspace: Workspace, doc_id: int, starts: range) -> None:
    """Add a span at each start, one command (one commit) each, with no event processed."""
    label = workspace.labels[0].name
    for start in starts:
        assert workspace.execute(AddSpanCommand(doc_id, "alice", label, start, start + 1))


def _spans_in_file_alone(path: Path, folder: Path) -> int:
    """How many spans a plain copy of the .db file alone holds."""
    alone = folder / "mailed.db"
    shutil.copyfile(path, alone)
    with sqlite3.connect(alone) as conn:
        count = conn.execute("SELECT count(*) FROM span").fetchone()[0]
    conn.close()
    alone.unlink()
    return count


def test_a_pause_after_edits_leaves_the_db_alone_complete(qtbot, project, tmp_path):
    workspace = _edited_workspace(project)
    assert _spans_in_file_alone(project.path, tmp_path) < EDITS  # still in the WAL
    idle = IdleCheckpoint(workspace, idle_ms=50)  # as the window opens (after a crash, say)
    assert idle.timer.isActive()
    qtbot.waitUntil(lambda: _spans_in_file_alone(project.path, tmp_path) == EDITS, timeout=WAIT_MS)
    (doc_id,) = project.document_ids()
    _edit(workspace, doc_id, range(EDITS, 2 * EDITS))  # no event loop runs meanwhile
    assert _spans_in_file_alone(project.path, tmp_path) < 2 * EDITS
    qtbot.waitUntil(
        lambda: _spans_in_file_alone(project.path, tmp_path) == 2 * EDITS, timeout=WAIT_MS
    )


def test_the_main_window_checkpoints_when_the_user_pauses(qtbot, project, tmp_path):
    workspace = _edited_workspace(project)
    win = MainWindow(workspace, Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.idle_checkpoint.timer.setInterval(50)  # IDLE_MS in the app
    (doc_id,) = project.document_ids()
    _edit(workspace, doc_id, range(EDITS, EDITS + 1))  # restarts the timer
    qtbot.waitUntil(
        lambda: _spans_in_file_alone(project.path, tmp_path) == EDITS + 1, timeout=WAIT_MS
    )


def test_save_a_copy_from_the_file_menu_has_every_span(qtbot, project, tmp_path, monkeypatch):
    workspace = _edited_workspace(project)
    out = tmp_path / "share" / "sent.db"
    out.parent.mkdir()
    asked = []

    def fake_save(parent, caption, start, filters, options):
        asked.append((caption, start, options))
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    win = MainWindow(workspace, Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.actions_by_id["file.save_copy"].trigger()
    qtbot.waitUntil(lambda: win.project._copier.handle.is_done(), timeout=WAIT_MS)
    assert asked[0][1].endswith(f"{project.path.stem}-copy.db")
    assert asked[0][2] & QFileDialog.Option.DontConfirmOverwrite
    assert sorted(p.name for p in out.parent.iterdir()) == ["sent.db"]
    assert _spans_in_file_alone(out, tmp_path) == EDITS
    assert win.statusBar().currentMessage() == f"Saved a copy to {out}"


def test_save_a_copy_never_replaces_a_file_and_says_why(qtbot, project, runner, errors, tmp_path):
    workspace = Workspace(project, "alice")
    existing = tmp_path / "thesis.db"
    existing.write_bytes(b"my own work")
    controller = CopyController(workspace, runner)
    handle = controller.copy_to(existing)
    qtbot.waitUntil(handle.is_done, timeout=WAIT_MS)
    assert existing.read_bytes() == b"my own work"
    ((title, error, progress_shown),) = errors
    assert title == "Save a Copy Failed" and isinstance(error, ProjectError)
    assert not progress_shown  # the error box is not covered by a "Saving…" box
    assert str(error) == f"{existing}: exists; choose a new name; nothing was written"
