"""File → Connect to Server: the login form, its connection test, and opening a server project.

The password goes from the form to the engine through `hold_password` (process memory) and,
when the user asks, to the OS keyring; never into a URL, the settings, the recent list, a log
or the window title.
"""

from __future__ import annotations

import getpass
import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.storage.engine import hold_password, is_url
from annotator.core.storage.server import ServerAddress, probe_server
from annotator.ui.guard import qt_override
from annotator.ui.keyring_store import (
    forget_password,
    keyring_problem,
    save_password,
    saved_password,
)
from annotator.ui.workers import TaskRunner

_HEADLINES = (  # (words that all appear in the driver's message, what to say first)
    (("password authentication failed",), "Wrong password (or user name)."),
    (("no password supplied",), "The server asks for a password."),
    (('database "', "does not exist"), "No such database on the server."),
    (('role "', "does not exist"), "No such user on the server."),
    (("permission denied",), "The server refuses this user access."),
    (("connection refused",), "The server is not reachable: nothing answers at that port."),
    (("resolve host",), "The server is not reachable: unknown host name."),
    (("timeout expired",), "The server is not reachable: no answer in time."),
    (("no such file or directory",), "The server is not reachable: no server socket there."),
)
_PASSWORD_WORDS = ("password authentication failed", "no password supplied")


def headline(message: str) -> str:
    """A one-line summary of a connection failure, from the server's or driver's words."""
    lowered = message.lower()
    found = (line for words, line in _HEADLINES if all(w in lowered for w in words))
    return next(found, "Cannot use this database.")


def asks_password(message: str) -> bool:
    """Whether a failure means the server wants a (different) password."""
    return any(words in message.lower() for words in _PASSWORD_WORDS)


class ServerDialog(QDialog):
    """Host, port or socket folder, database, user, password; Test Connection and Connect."""

    def __init__(
        self,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
        address: ServerAddress | None = None,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to Server")
        self._runner = runner or TaskRunner(self)
        self._test = None
        self._build(address or ServerAddress("", _login_name()))
        if message:
            self._show_status(headline(message), message)

    def _build(self, address: ServerAddress) -> None:
        self.host_edit = QLineEdit(address.host, self)
        self.host_edit.setPlaceholderText("db.lab.example")
        self.port_spin = QSpinBox(self)
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(address.port)
        self.socket_edit = QLineEdit(address.socket_dir, self)
        self.socket_edit.setPlaceholderText("instead of a host, e.g. /run/postgresql")
        self.database_edit = QLineEdit(address.database, self)
        self.user_edit = QLineEdit(address.user, self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("empty: ~/.pgpass or no password")
        self.remember_box = QCheckBox("Remember password in the system keyring", self)
        problem = keyring_problem()
        self.remember_box.setEnabled(problem is None)
        self.remember_box.setToolTip(problem or "Kept by your desktop's keyring, not in a file")
        if problem is None and address.database:
            self.remember_box.setChecked(saved_password(address.url()) is not None)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        host_row = QHBoxLayout()
        host_row.addWidget(self.host_edit, 1)
        port_label = QLabel("&Port:", self)
        port_label.setBuddy(self.port_spin)
        host_row.addWidget(port_label)
        host_row.addWidget(self.port_spin)
        host_label = QLabel("&Host:", self)
        host_label.setBuddy(self.host_edit)
        form = QFormLayout()
        form.addRow(host_label, host_row)
        form.addRow("&Socket folder:", self.socket_edit)
        form.addRow("&Database:", self.database_edit)
        form.addRow("&User:", self.user_edit)
        form.addRow("Pass&word:", self.password_edit)
        form.addRow("", self.remember_box)
        self.buttons = QDialogButtonBox(self)
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.test_button = self.buttons.addButton(
            "&Test Connection", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_connection)
        self.socket_edit.textChanged.connect(self._on_socket_edit_text_changed)
        self._on_socket_edit_text_changed(address.socket_dir)
        intro = QLabel("Open a project kept on a lab's PostgreSQL server.", self)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.status_label)
        column.addStretch(1)
        column.addWidget(self.buttons)
        self.setMinimumWidth(460)
        (self.password_edit if address.database else self.host_edit).setFocus()

    def address(self) -> ServerAddress:
        """The server as the form describes it."""
        return ServerAddress(
            database=self.database_edit.text(),
            user=self.user_edit.text(),
            host=self.host_edit.text(),
            port=self.port_spin.value(),
            socket_dir=self.socket_edit.text(),
        )

    def url(self) -> str:
        """The server's URL, without the password."""
        return self.address().url()

    def test_connection(self) -> None:
        """Connect once in the background and show what the server says."""
        problem = self.address().problem()
        if problem:
            self._show_status(problem)
            return
        self.test_button.setEnabled(False)
        self.status_label.setText("Connecting…")
        password = self.password_edit.text() or None
        self._test = self._runner.submit(probe_server, self.url(), password, title="Test")
        self._test.succeeded.connect(self._on_test_succeeded)
        self._test.failed.connect(self._on_test_failed)

    @qt_override()
    def accept(self) -> None:
        """Hand the password to the engine (and the keyring when asked), then close."""
        problem = self.address().problem()
        if problem:
            self._show_status(problem)
            return
        url, password = self.url(), self.password_edit.text()
        self.password_edit.clear()
        if password:
            hold_password(url, password)
        if self.remember_box.isEnabled() and not self.remember_box.isChecked():
            forget_password(url)
        elif self.remember_box.isEnabled() and password:
            save_password(url, password)
        super().accept()

    def _on_socket_edit_text_changed(self, text: str) -> None:
        self.host_edit.setEnabled(not text.strip())

    def _on_test_succeeded(self, summary: str) -> None:
        self.test_button.setEnabled(True)
        self._show_status("✓ Connection works.", summary)

    def _on_test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._show_status(headline(str(error)), str(error))

    def _show_status(self, title: str, detail: str = "") -> None:
        """A bold line under the form, with the server's own words below it."""
        text = f"<b>{html.escape(title)}</b>"
        if detail:
            text += "<br>" + html.escape(detail).replace("\n", "<br>")
        self.status_label.setText(text)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def connect_to_server(
    parent: QWidget | None,
    runner: TaskRunner | None,
    opener: Callable[[str, bool], object],
    current: str | None = None,
) -> None:
    """File → Connect to Server: ask, then open the project like File → Open does."""
    address = ServerAddress.from_url(current) if current and is_url(current) else None
    dialog = ServerDialog(parent, runner, address)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        opener(dialog.url(), False)


def ask_password(
    parent: QWidget | None, url: str, message: str, runner: TaskRunner | None = None
) -> str | None:
    """The server refused the password: the login form again, with the server's words; the URL
    to retry (its password held in memory, and in the keyring when asked), or None."""
    dialog = ServerDialog(parent, runner, ServerAddress.from_url(url), message)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.url()
