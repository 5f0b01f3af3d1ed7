"""Opening a project in the background: the window stays responsive, Cancel and failures keep
the current project, and a server URL given at start-up asks for its password."""

from __future__ import annotations

import contextlib
import sqlite3
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from annotator.core.errors import ProjectError
from annotator.core.project import Project
from annotator.core.settings import Settings, settings_path
from annotator.core.storage import engine
from annotator.ui import app as app_module
from annotator.ui import project_opener
from annotator.ui.app import OPEN_ACTIONS, App
from annotator.ui.server_dialog import ServerDialog

SECRET = "pa55:w/rd@x"
URL = "postgresql+psycopg://ana@db.lab/defence"


@pytest.fixture
def app(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "alice")
    running = App(QApplication.instance(), Settings(auto_suggest=False))
    Project.create(tmp_path / "first.db").close()
    assert running.open(tmp_path / "first.db")
    yield running
    running.opener.runner.cancel_all()
    assert running.opener.runner.wait_all(5000)
    running._close_current()


@pytest.fixture
def gate(monkeypatch):
    """Project.open waits for `gate.set()`; the projects it made are in `gate.made`."""
    event = threading.Event()
    event.made = []
    real_open = Project.open

    def slow_open(target, **kwargs):
        assert event.wait(10), "the test never let the open finish"
        event.made.append(real_open(target, **kwargs))
        return event.made[-1]

    monkeypatch.setattr(project_opener.Project, "open", slow_open)
    yield event
    event.set()


@pytest.fixture
def no_keyring(monkeypatch):
    """The desktop's keyring stays out of these tests."""
    monkeypatch.setattr("annotator.ui.keyring_store.keyring_problem", lambda: "none in tests")
    monkeypatch.setattr("annotator.ui.server_dialog.keyring_problem", lambda: "none in tests")


def _second(tmp_path):
    Project.create(tmp_path / "second.db").close()
    return tmp_path / "second.db"


def _open_actions_enabled(window) -> bool:
    enabled = [window.actions_by_id[key].isEnabled() for key in OPEN_ACTIONS]
    assert len(set(enabled)) == 1 and window.recent_menu.isEnabled() == enabled[0]
    return enabled[0]


def test_the_window_stays_responsive_while_a_slow_project_opens(qtbot, app, gate, tmp_path):
    first = app.window
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    assert app.start_open(_second(tmp_path))
    qtbot.waitUntil(lambda: len(ticks) >= 20)  # 400 ms of events while the worker is stuck
    assert app.opener.busy and not _open_actions_enabled(first)
    assert app.opener.dialog.isVisible() and "second.db" in app.opener.dialog.labelText()
    assert not app.start_open(tmp_path / "first.db")  # one open at a time
    gate.set()
    qtbot.waitUntil(lambda: app.window is not first)
    assert app.window.windowTitle().endswith("second — annotator")
    assert app.settings.recent_projects[0] == str(tmp_path / "second.db")
    assert _open_actions_enabled(app.window) and not app.opener.busy
    assert app.window.workspace.project.count_documents() == 0  # used on the GUI thread


def test_cancel_abandons_the_open_and_keeps_the_current_project(
    qtbot, app, gate, tmp_path, monkeypatch
):
    first = app.window
    closed = []
    real_close = Project.close
    monkeypatch.setattr(Project, "close", lambda self: (closed.append(self), real_close(self)))
    assert app.start_open(_second(tmp_path))
    qtbot.waitUntil(lambda: app.opener.dialog.isVisible())
    app.opener.dialog.cancel_button.click()
    assert app.opener.dialog is None and not app.opener.busy
    assert app.window is first and _open_actions_enabled(first)
    first.workspace.project.add_document("Still usable while the worker winds down.")
    gate.set()
    assert app.opener.runner.wait_all(5000)
    qtbot.waitUntil(lambda: not app.opener.runner.active())
    assert gate.made and gate.made[0] in closed  # the half-opened project was closed
    assert app.window is first and first.workspace.project.count_documents() == 1
    assert app.settings.recent_projects[0] == str(tmp_path / "first.db")


def test_escape_abandons_the_open_too(qtbot, app, gate, tmp_path):
    first = app.window
    assert app.start_open(_second(tmp_path))
    qtbot.waitUntil(lambda: app.opener.dialog.isVisible())
    app.opener.dialog.reject()  # what Escape does
    assert not app.opener.busy and _open_actions_enabled(first)
    gate.set()
    assert app.opener.runner.wait_all(5000)
    qtbot.waitUntil(lambda: not app.opener.runner.active())
    assert app.window is first


def test_a_failing_open_shows_the_reason_and_keeps_the_current_project(
    qtbot, app, tmp_path, monkeypatch
):
    first, title = app.window, app.window.windowTitle()
    newer = _second(tmp_path)
    with contextlib.closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text()))
    )
    app.choose_and_open(newer, False)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0][0] == "Cannot open project" and "newer version of annotator" in shown[0][1]
    assert app.window is first and first.windowTitle() == title and _open_actions_enabled(first)
    assert first.workspace.project.count_documents() == 0


def test_new_project_is_created_in_the_background(qtbot, app, tmp_path):
    app.choose_and_open(tmp_path / "fresh", True)
    qtbot.waitUntil(lambda: app.window.workspace.project.path == tmp_path / "fresh.db")
    assert app.window.workspace.labels  # the default schema


def test_a_project_opened_on_a_worker_thread_works_on_this_thread(tmp_path):
    Project.create(tmp_path / "p.db").close()
    made = []
    worker = threading.Thread(target=lambda: made.append(Project.open(tmp_path / "p.db")))
    worker.start()
    worker.join()
    project = made[0]
    try:
        assert project.engine.pool.checkedin() >= 1  # the worker's own connection, reused here
        project.add_document("Opened elsewhere, written here.")
        assert project.count_documents() == 1 and project.labels()
    finally:
        project.close()


def test_a_server_url_at_startup_asks_for_its_password(qtbot, tmp_path, monkeypatch, no_keyring):
    monkeypatch.setenv("ANNOTATOR_DB", "postgresql://ana@db.lab/defence")
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "ana")
    Project.create(tmp_path / "stand-in.db").close()
    tried = []

    def fake_open(target, **_kwargs):  # a server that wants a password, then takes it
        tried.append((str(target), engine._PASSWORDS.get(URL)))
        if len(tried) == 1:
            raise ProjectError(f"{URL}: fe_sendauth: no password supplied")
        return Project(tmp_path / "stand-in.db")

    asked = []

    def type_password(dialog):
        asked.append(dialog.status_label.text())
        assert dialog.database_edit.text() == "defence" and dialog.user_edit.text() == "ana"
        dialog.password_edit.setText(SECRET)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(project_opener.Project, "open", fake_open)
    monkeypatch.setattr(ServerDialog, "exec", type_password)
    running = App(QApplication.instance(), Settings(auto_suggest=False))
    try:
        assert running.open(None)
        assert len(asked) == 1 and "asks for a password" in asked[0]
        assert tried == [("postgresql://ana@db.lab/defence", None), (URL, SECRET)]
        assert SECRET not in settings_path().read_text()
    finally:
        running._close_current()
        engine.hold_password(URL, None)


def test_cancelling_the_startup_password_prompt_opens_nothing(qtbot, monkeypatch, no_keyring):
    monkeypatch.setenv("ANNOTATOR_DB", URL)
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "ana")

    def refuse(target, **_kwargs):
        raise ProjectError(f"{target}: fe_sendauth: no password supplied")

    monkeypatch.setattr(project_opener.Project, "open", refuse)
    monkeypatch.setattr(ServerDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(box.text()))  # no error
    running = App(QApplication.instance(), Settings(auto_suggest=False))
    assert not running.open(None)
    assert running.window is None and not running.opener.busy
