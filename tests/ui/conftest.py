"""Qt test fixtures: QSettings kept in a temp folder, and a TaskRunner cleaned up after use."""

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


@pytest.fixture
def runner(qtbot):
    """A TaskRunner whose tasks are cancelled and waited for after the test."""
    from annotator.ui.workers import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.cancel_all()
    assert runner.wait_all(5000)
