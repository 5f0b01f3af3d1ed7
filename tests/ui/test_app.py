"""Starting the app: the annotator's name, the project lock, read-only opening, bad files."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.project import Project
from annotator.core.settings import Settings, load_settings
from annotator.ui import app as app_module
from annotator.ui.app import App
from annotator.ui.lock import ProjectLock


@pytest.fixture
def app(qtbot, monkeypatch):
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "alice")
    running = App(QApplication.instance(), Settings(auto_suggest=False))
    yield running
    running._close_current()


def test_first_run_asks_the_name_once_and_remembers_it(app, tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    Project.create(path).close()
    assert app.open(path)
    assert app.window.workspace.annotator == "alice"
    assert load_settings().annotator_name == "alice"
    assert load_settings().recent_projects[0] == str(path)
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", pytest.fail)
    window = app.window
    assert app.open(path)  # already open: the same window, and the name is not asked again
    assert app.window is window


def test_cancel_on_the_first_run_prompt_keeps_the_os_user_name(app, tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    Project.create(path).close()
    offered = []
    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    monkeypatch.setattr(app_module.getpass, "getuser", lambda: "\u3000Jose\u0301 ")
    monkeypatch.setattr(
        app_module.dialogs, "ask_annotator_name", lambda parent, name: offered.append(name)
    )
    assert app.open(path)
    assert offered == ["Jos\u00e9"]  # offered in the name rules' form (NFC, trimmed)
    assert app.window.workspace.annotator == "Jos\u00e9"
    assert load_settings().annotator_name == "Jos\u00e9"


def test_the_first_run_prompt_offers_the_name_the_cli_uses(app, tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    Project.create(path).close()
    offered = []
    monkeypatch.setenv("ANNOTATOR_USER", " carol ")
    monkeypatch.setattr(app_module.getpass, "getuser", lambda: "root")
    monkeypatch.setattr(
        app_module.dialogs, "ask_annotator_name", lambda parent, name: offered.append(name)
    )
    assert app.open(path)
    assert offered == ["carol"] and app.window.workspace.annotator == "carol"


@pytest.mark.parametrize("login", ["_svc", "", "a\u200bb", OSError("no login name")])
def test_an_unusable_os_user_name_falls_back_to_a_valid_one(monkeypatch, login):
    def getuser():
        if isinstance(login, Exception):
            raise login
        return login

    monkeypatch.delenv("ANNOTATOR_USER", raising=False)
    monkeypatch.setattr(app_module.getpass, "getuser", getuser)
    assert app_module.os_user_name() == app_module.FALLBACK_NAME


def test_a_project_open_elsewhere_opens_read_only_when_the_user_agrees(app, tmp_path, monkeypatch):
    path = tmp_path / "p.db"
    Project.create(path).close()
    other = ProjectLock(path)
    assert other.acquire()
    try:
        monkeypatch.setattr(app_module.dialogs, "ask_open_read_only", lambda *a: False)
        assert not app.open(path)
        assert app.window is None
        monkeypatch.setattr(app_module.dialogs, "ask_open_read_only", lambda *a: True)
        assert app.open(path)
        assert app.window.workspace.read_only
    finally:
        other.release()


def test_a_damaged_file_gets_a_clear_message_and_no_window(app, tmp_path, monkeypatch):
    path = tmp_path / "broken.db"
    path.write_bytes(b"not a database" * 100)
    shown = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text()))
    )
    assert not app.open(path)
    assert shown and "not a SQLite database" in shown[0][1]
    assert path.read_bytes() == b"not a database" * 100


def test_the_default_project_opens_with_the_samples(app):
    assert app.open(None)
    assert app.window.workspace.document is not None
    assert app.window.workspace.project.count_documents() == 3
