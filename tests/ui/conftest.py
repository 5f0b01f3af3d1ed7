"""Qt test fixtures: QSettings kept in a temp folder so tests never touch the user's config."""

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
