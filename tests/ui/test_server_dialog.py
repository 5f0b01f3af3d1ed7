"""File → Connect to Server: URLs from the form, the keyring, Test Connection, and a password
that never lands in settings, QSettings, the recent list, the title or the log."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import Engine, event, make_url

from annotator.core.errors import ProjectError
from annotator.core.settings import Settings, load_settings, remember_project, settings_path
from annotator.core.storage.engine import hold_password, make_engine
from annotator.core.storage.server import ServerAddress
from annotator.ui import app as app_module
from annotator.ui import server_dialog
from annotator.ui.app import App
from annotator.ui.main_window import MainWindow
from annotator.ui.project_opener import ProjectOpener
from annotator.ui.server_dialog import ServerDialog
from annotator.ui.workspace import Workspace

keyring = pytest.importorskip("keyring")
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import fail  # noqa: E402
from keyring.errors import PasswordDeleteError  # noqa: E402

SECRET = "s3cr:t/@pw#?"


class MemoryKeyring(KeyringBackend):
    """An in-memory stand-in for the desktop's keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def passwords_sent():
    """The password of every connection attempt (attempts to port 1 stop before connecting)."""
    sent: list[str | None] = []

    def capture(_dialect, _record, _cargs, cparams):
        sent.append(cparams.get("password"))
        if cparams.get("port") == 1:
            raise ConnectionError("stopped by the test")

    event.listen(Engine, "do_connect", capture)
    yield sent
    event.remove(Engine, "do_connect", capture)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fill(dialog: ServerDialog, url: str, password: str = "") -> None:
    address = ServerAddress.from_url(url)
    dialog.host_edit.setText(address.host)
    dialog.port_spin.setValue(address.port)
    dialog.socket_edit.setText(address.socket_dir)
    dialog.database_edit.setText(address.database)
    dialog.user_edit.setText(address.user)
    dialog.password_edit.setText(password)


def test_urls_from_the_fields_escape_every_part_and_hold_no_password():
    plain = ServerAddress("defence", "ana", "db.lab.example")
    assert plain.url() == "postgresql+psycopg://ana@db.lab.example/defence"
    assert ServerAddress("d", "ana", "h", port=5433).url().endswith("@h:5433/d")
    socket_url = ServerAddress("d", "ana", socket_dir="/run/post gresql", port=5433).url()
    assert make_url(socket_url).query == {"host": "/run/post gresql", "port": "5433"}
    odd = ServerAddress("défense/2026?#%", "ana maría@lab:x", "h")
    parsed = make_url(odd.url())
    assert (parsed.username, parsed.database, parsed.password) == (
        "ana maría@lab:x",
        "défense/2026?#%",
        None,
    )
    assert ServerAddress.from_url(odd.url()) == odd
    assert ServerAddress.from_url(socket_url).socket_dir == "/run/post gresql"
    assert ServerAddress("  ").problem() == "Enter the name of the database."


def test_a_held_password_reaches_the_driver_but_not_the_url(passwords_sent):
    url = ServerAddress("d", "ana", "localhost", port=1).url()
    hold_password(url, SECRET)
    try:
        engine = make_engine(url)
        with pytest.raises(ConnectionError):
            engine.connect()
        assert passwords_sent == [SECRET] and SECRET not in str(engine.url)
    finally:
        hold_password(url, None)


def test_the_fail_keyring_disables_remembering_with_the_reason(qtbot):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = ServerDialog()
        qtbot.addWidget(dialog)
        assert not dialog.remember_box.isEnabled()
        assert "No system keyring" in dialog.remember_box.toolTip()
        assert "asked for each time" in dialog.remember_box.toolTip()
    finally:
        keyring.set_keyring(previous)


def test_connect_keeps_the_password_in_the_keyring_only_when_asked(qtbot, memory_keyring):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.remember_box.isEnabled() and dialog.user_edit.text()  # the login name
    _fill(dialog, "postgresql://ana@db.lab/defence", SECRET)
    dialog.socket_edit.setText("/run/postgresql")
    assert not dialog.host_edit.isEnabled()
    dialog.remember_box.setChecked(True)
    dialog.accept()
    url = dialog.url()
    assert memory_keyring.store == {("annotator", url): SECRET}
    assert dialog.password_edit.text() == "" and SECRET not in url
    again = ServerDialog(address=ServerAddress.from_url(url))
    qtbot.addWidget(again)
    assert again.remember_box.isChecked()  # a kept password shows as kept
    again.remember_box.setChecked(False)
    again.accept()
    assert memory_keyring.store == {}
    hold_password(url, None)


def test_an_unreachable_server_gets_a_clear_message(qtbot):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, f"postgresql://ana@127.0.0.1:{_free_port()}/defence", SECRET)
    dialog.test_connection()
    assert not dialog.test_button.isEnabled()
    with qtbot.waitSignal(dialog._test.finished, timeout=15000):
        pass
    text = dialog.status_label.text()
    assert "not reachable" in text and "Connection refused" in text
    assert "Traceback" not in text and SECRET not in text and dialog.test_button.isEnabled()


def test_a_missing_database_name_is_asked_for_before_connecting(qtbot):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.test_connection()
    assert dialog._test is None and "name of the database" in dialog.status_label.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_refused_password_is_asked_again(qtbot, monkeypatch, memory_keyring):
    url = "postgresql+psycopg://ana@db.lab/defence"
    memory_keyring.set_password("annotator", url, "old")
    refusals = iter(['FATAL:  password authentication failed for user "ana"'])
    opened = []

    def fake_open(target):
        if (refusal := next(refusals, None)) is not None:
            raise ProjectError(refusal)
        opened.append(target)
        return "project"

    def type_password(dialog):
        assert "Wrong password" in dialog.status_label.text()
        dialog.password_edit.setText("new")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(server_dialog.ServerDialog, "exec", type_password)
    monkeypatch.setattr("annotator.ui.project_opener.Project.open", fake_open)
    opener = ProjectOpener()
    with qtbot.waitSignal(opener.opened, timeout=5000) as got:
        assert opener.start(url)
    assert got.args == ["project", url] and opened == [url]
    assert memory_keyring.store == {("annotator", url): "new"}  # the box stayed ticked
    hold_password(url, None)


@pytest.mark.postgresql
def test_test_connection_reports_a_real_server(qtbot, pg_url):
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, pg_url)
    dialog.test_connection()
    with qtbot.waitSignal(dialog._test.finished, timeout=15000):
        pass
    assert "Connection works" in dialog.status_label.text()
    assert "an annotator project" in dialog.status_label.text()
    dialog.database_edit.setText("annotator_no_such_db")
    dialog.test_connection()
    with qtbot.waitSignal(dialog._test.finished, timeout=15000):
        pass
    assert "No such database" in dialog.status_label.text()


@pytest.mark.postgresql
def test_connecting_stores_the_password_nowhere_in_plain_text(
    qtbot, monkeypatch, pg_url, memory_keyring, passwords_sent, caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "ana")
    app = App(QApplication.instance(), Settings(auto_suggest=False))

    def fill_and_connect(dialog):
        _fill(dialog, pg_url, SECRET)
        dialog.remember_box.setChecked(True)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ServerDialog, "exec", fill_and_connect)
    try:
        server_dialog.connect_to_server(None, None, app.choose_and_open)
        qtbot.waitUntil(lambda: app.window is not None, timeout=15000)  # opens in the background
        window = app.window
        assert window is not None and SECRET in passwords_sent
        url = ServerAddress.from_url(pg_url).url()
        assert load_settings().recent_projects[0] == url
        assert (
            SECRET not in window.windowTitle() and SECRET not in window.workspace.project.location
        )
        app._close_current()  # saves the window's layout into QSettings
        hold_password(url, None)
        passwords_sent.clear()
        assert app.open(url)  # as Open Recent does: the password comes from the keyring
        assert passwords_sent and set(passwords_sent) == {SECRET}
        app._close_current()
    finally:
        app._close_current()
        hold_password(ServerAddress.from_url(pg_url).url(), None)
    QSettings().sync()
    stored = settings_path().read_text() + Path(QSettings().fileName()).read_text()
    assert SECRET not in stored and SECRET not in caplog.text
    assert memory_keyring.store == {("annotator", ServerAddress.from_url(pg_url).url()): SECRET}


@pytest.mark.postgresql
def test_a_password_in_the_url_query_reaches_no_title_recent_list_or_log(
    qtbot, monkeypatch, pg_url, caplog
):
    secret = "qu3ry-s3cret"
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(app_module.dialogs, "ask_annotator_name", lambda *a: "ana")
    app = App(QApplication.instance(), Settings(auto_suggest=False))
    try:
        assert app.open(f"{pg_url}?password={secret}")  # libpq's standard form
        qtbot.waitUntil(lambda: app.window is not None, timeout=15000)
        location = app.window.workspace.project.location
        assert location.endswith("?password=***") and secret not in app.window.windowTitle()
    finally:
        app._close_current()
    QSettings().sync()
    stored = settings_path().read_text() + Path(QSettings().fileName()).read_text()
    assert "password=" not in stored and secret not in caplog.text


def test_recent_projects_keep_server_urls_as_given():
    url = "postgresql+psycopg://ana@db.lab/defence"
    settings = Settings()
    remember_project(settings, url)
    remember_project(settings, url)
    assert settings.recent_projects == [url] and settings.existing_recent() == [url]


def test_file_menu_connects_and_open_recent_reopens_a_server(qtbot, project, monkeypatch):
    url = "postgresql+psycopg://ana@db.lab/defence"
    opened, shown = [], []
    settings = Settings(recent_projects=[url], auto_suggest=False)
    win = MainWindow(Workspace(project, "alice"), settings, lambda *a: opened.append(a))
    qtbot.addWidget(win)
    win.recent_menu.aboutToShow.emit()
    [action] = win.recent_menu.actions()
    assert action.text() == url
    action.trigger()
    assert opened == [(url, False)]  # a str: a Path would mangle the URL

    def show(dialog):
        shown.append(dialog.address())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ServerDialog, "exec", show)
    win.actions_by_id["file.connect"].trigger()
    assert shown and shown[0].user and opened == [(url, False)]  # cancelled: nothing opened
