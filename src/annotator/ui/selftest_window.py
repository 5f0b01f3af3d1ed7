"""The self-test's window step: the main window on a project, shown offscreen, then closed.

Window layout goes to a private QSettings folder, so a self-test leaves the user's alone.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from annotator.core.project import Project
from annotator.core.settings import Settings

SHOW_TIMEOUT_S = 20.0


def show_and_close(project: Project, annotator: str, settings_dir: Path) -> str:
    """Open the main window on `project`, wait until it is exposed, close it; what was shown."""
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow
    from annotator.ui.workspace import Workspace

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display needed, nothing flashes up
        app = QApplication([])
    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    stored_format = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    QCoreApplication.setOrganizationName("annotator-selftest")
    QCoreApplication.setApplicationName("annotator-selftest")
    try:
        began = time.perf_counter()
        settings = Settings(annotator_name=annotator, auto_suggest=False)
        window = MainWindow(Workspace(project, annotator), settings, lambda *_: None)
        window.show()
        deadline = began + SHOW_TIMEOUT_S
        while not (window.windowHandle() and window.windowHandle().isExposed()):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the window was not shown within {SHOW_TIMEOUT_S:g} s")
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()  # the first paint
        shown = time.perf_counter() - began
        document = window.workspace.document
        title = window.windowTitle()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
        QSettings.setDefaultFormat(stored_format)
    if document is None:
        raise RuntimeError("the window opened no document")
    platform = app.platformName()
    return f"{title!r} on {platform}, showing document {document.id}, in {shown:.2f} s; closed"
