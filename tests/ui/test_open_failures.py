"""The app on bad project files and failing writes: a message, no window, no crash, no change."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.commands import AddSpanCommand
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.core.storage import engine
from annotator.ui import app as app_module
from annotator.ui.app import App
from annotator.ui.workspace import Workspace


def _future(path):
    Project.create(path).close()
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")


def _other_program(path):
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY)")


def _truncated(path):
    with Project.create(path) as project:
        project.add_document("Baykar sold TB2 drones. " * 2000)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


CASES = [
    (lambda p: p.write_bytes(os.urandom(4096)), "not a SQLite database"),
    (_truncated, "the file is damaged"),
    (_other_program, "not an annotator project"),
    (_future, "made by a newer version of annotator"),
]


@pytest.mark.parametrize(("make", "message"), CASES)
def test_bad_project_files_get_the_reason_in_a_dialog_and_stay_unchanged(
    qtbot, tmp_path, monkeypatch, make, message
):
    path = tmp_path / "bad.db"
    make(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "alice")
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text()))
    )
    running = App(QApplication.instance(), Settings(auto_suggest=False))
    assert not running.open(path)
    assert running.window is None
    assert shown[0][0] == "Cannot open project" and message in shown[0][1]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_an_edit_on_a_full_disk_reports_the_reason_and_is_not_undoable(
    qtbot, tmp_path, monkeypatch
):
    path = tmp_path / "p.db"
    with Project.create(path) as project:
        doc_id = next(iter(project.add_document("Baykar sold TB2 drones.").documents))
    with contextlib.closing(sqlite3.connect(path)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(engine, "_PRAGMAS", (*engine._PRAGMAS, f"max_page_count={pages}"))
    with Project.open(path) as project:
        workspace = Workspace(project, "alice")
        note = "n" * 200_000  # more than the file may grow by
        with qtbot.waitSignal(workspace.error_raised) as raised:
            ok = workspace.execute(AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6, note=note))
        assert not ok
        assert "the disk is full" in raised.args[0]
        assert workspace.undo_stack.count() == 0
        assert project.spans(doc_id) == []
