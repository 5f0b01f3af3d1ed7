"""Start the desktop app: QApplication, theme, the annotator's name, the lock, the window."""

from __future__ import annotations

import gc
import getpass
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from annotator.core import labelrules
from annotator.core.paths import default_project_path
from annotator.core.project import Project
from annotator.core.settings import Settings, load_settings, remember_project, save_settings
from annotator.core.storage.server import has_password
from annotator.nlp.formats import register_formats
from annotator.ui import dialogs
from annotator.ui.icons import app_icon
from annotator.ui.lock import ProjectLock
from annotator.ui.main_window import MainWindow
from annotator.ui.project_opener import ProjectOpener
from annotator.ui.startup_probe import watch_from_environment
from annotator.ui.theme import apply_theme
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
PROJECT_FILTER = "Annotator projects (*.db *.annotator);;All files (*)"
OPEN_ACTIONS = ("file.new", "file.open", "file.connect")
FALLBACK_NAME = "annotator"  # the first-run name when the OS login name is unusable


class App:
    """The running application: one main window at a time over one project."""

    def __init__(self, qt_app: QApplication, settings: Settings) -> None:
        self.qt_app = qt_app
        self.settings = settings
        self.window: MainWindow | None = None
        self.lock: ProjectLock | None = None
        self._opened = False  # whether the last open() ended with its project in a window
        self.opener = ProjectOpener()
        self.opener.opened.connect(self._on_opener_opened)
        self.opener.busy_changed.connect(self._on_opener_busy_changed)

    def annotator_name(self) -> str:
        """The remembered name, or asked once and remembered; Cancel keeps the OS user name."""
        if self.settings.annotator_name:
            return self.settings.annotator_name
        fallback = os_user_name()
        name = dialogs.ask_annotator_name(None, fallback) or fallback
        self.settings.annotator_name = name
        save_settings(self.settings)
        return name

    def open(self, path: Path | str | None) -> bool:
        """Open a project and wait for the outcome while the event loop keeps running (start-up
        and tests); False if it could not be opened."""
        self._opened = False
        if not self.start_open(path):
            return self._opened
        loop = QEventLoop()
        self.opener.busy_changed.connect(loop.quit)
        loop.exec()
        self.opener.busy_changed.disconnect(loop.quit)
        return self._opened

    def start_open(self, path: Path | str | None, *, create: bool = False) -> bool:
        """Open (with `create`, make) a project in the background; a new window replaces the
        current one once it is open. False if nothing was started (already open, or busy)."""
        parent = self.window
        if parent is not None and path is not None and _same_file(path, parent.workspace.project):
            parent.raise_()
            parent.activateWindow()
            self._opened = True
            return False  # already open here
        return self.opener.start(path, create=create, parent=parent)

    def _on_opener_opened(self, project: Project, target: Path | str | None) -> None:
        """The project is open (on the worker): lock it, then show it in a new window."""
        parent, lock, read_only = self.window, None, False
        if project.path is not None:
            lock = ProjectLock(project.path)
            if not lock.acquire():
                if not dialogs.ask_open_read_only(parent, project.path, lock.holder()):
                    project.close()
                    return
                read_only, lock = True, None
        name = self.annotator_name()
        self._close_current()
        self.lock = lock
        workspace = Workspace(project, name, read_only=read_only)
        self.window = MainWindow(workspace, self.settings, self.choose_and_open)
        remembered = project.path or (None if has_password(target or "") else project.location)
        if remembered is not None:  # a server URL without its password, or a file
            remember_project(self.settings, remembered)
            save_settings(self.settings)
        self.window.show()
        self._opened = True

    def _on_opener_busy_changed(self, busy: bool) -> None:
        """While a project opens, nothing else may open one."""
        if self.window is None:
            return
        for key in OPEN_ACTIONS:
            self.window.actions_by_id[key].setEnabled(not busy)
        self.window.recent_menu.setEnabled(not busy)

    def choose_and_open(self, path: Path | str | None, new: bool) -> None:
        """File → New / Open / a recent project / a server: ask for a file when none is given."""
        parent: QWidget | None = self.window
        if path is None:
            if new:
                chosen, _ = QFileDialog.getSaveFileName(
                    parent, "New project", str(default_project_path().parent), PROJECT_FILTER
                )
            else:
                chosen, _ = QFileDialog.getOpenFileName(
                    parent, "Open project", str(default_project_path().parent), PROJECT_FILTER
                )
            if not chosen:
                return
            path = Path(chosen)
        if new and path.suffix == "":
            path = path.with_suffix(".db")
        self.start_open(path, create=new)

    def _close_current(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.workspace.project.close()
            self.window.deleteLater()
            self.window = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def os_user_name() -> str:
    """The name the CLI uses ($ANNOTATOR_USER, else the OS login name) in the annotator-name
    rules' form, or FALLBACK_NAME when there is none or it breaks them."""
    try:
        name = labelrules.normal_name(os.environ.get("ANNOTATOR_USER") or getpass.getuser())
    except (KeyError, OSError):  # no login name in the environment or the password database
        return FALLBACK_NAME
    return FALLBACK_NAME if labelrules.annotator_problem(name) else name


def _same_file(path: Path, project: Project) -> bool:
    return project.path is not None and Path(path).resolve() == project.path


def run(db: Path | None) -> int:
    """Open the app on `db` (or the default project); returns the exit code."""
    register_formats()  # the spaCy-backed import and export formats (spacy, conll, hf)
    logging.basicConfig(level=logging.WARNING)
    qt_app = QApplication.instance() or QApplication(sys.argv)
    qt_app.setApplicationName("annotator")
    qt_app.setOrganizationName("annotator")
    qt_app.setWindowIcon(app_icon())
    settings = load_settings()
    apply_theme(qt_app, settings.theme)
    app = App(qt_app, settings)
    opened = app.open(db)
    gc.freeze()  # startup objects leave the collector's view: shorter pauses for every thread
    gc.enable()  # paused by cli.main for the start-up
    if not opened:
        return 1
    watch_from_environment(app.window)  # ANNOTATOR_STARTUP_T0: time the first window, then quit
    code = qt_app.exec()
    app._close_current()
    return code
