"""Qt test fixtures: QSettings kept in a temp folder, a TaskRunner cleaned up after use, and
every Workspace no window owns deleted when its test ends."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory):
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("annotator-tests")
    QCoreApplication.setApplicationName("annotator-tests")


@pytest.fixture(autouse=True)
def _workspaces_deleted(monkeypatch):
    """Delete, on the GUI thread as the test ends, each Workspace it made that no window owns.

    A Workspace sits in reference cycles (its signals' slots hold it), so it was left to the
    garbage collector; one holding undo commands crashed PySide when a later collection freed it
    (a segmentation fault at exit, exit code 139, in 3 of 5 runs of tests/ui: deleting the one
    left at the end first made `gc.collect()` there safe). A window's Workspace goes with the
    window (MainWindow parents it)."""
    import shiboken6

    from annotator.ui.workspace import Workspace

    made: list[Workspace] = []
    original = Workspace.__init__

    def recorded(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Workspace, "__init__", recorded)
    yield
    for workspace in made:
        if shiboken6.isValid(workspace) and workspace.parent() is None:
            shiboken6.delete(workspace)


@pytest.fixture
def runner(qtbot):
    """A TaskRunner whose tasks are cancelled and waited for after the test."""
    from annotator.ui.workers import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.cancel_all()
    assert runner.wait_all(5000)


@pytest.fixture(autouse=True)
def _event_loop_watchdog(qtbot):
    """Fail a test whose event loop stalls over 250 ms while it should run (inside the test's
    waits), or that ends with a modal or progress dialog still open (loop_watchdog.py)."""
    from loop_watchdog import LoopWatchdog, limit_s, loops_marked_running, open_dialogs

    watchdog = LoopWatchdog(limit_s())
    watchdog.start()
    try:
        with loops_marked_running(watchdog):
            yield watchdog
    finally:
        watchdog.stop()
    problems = [stall.describe() for stall in watchdog.stalls]
    problems += [f"the test ended with {dialog} still open" for dialog in open_dialogs()]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def view(qtbot):
    """An ArticleView of 900×300 on screen (offscreen), empty."""
    from annotator.ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    with qtbot.waitExposed(view):
        view.show()
    return view
