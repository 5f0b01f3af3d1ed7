"""Shared fixtures: offscreen Qt, paths under tmp_path, and a fresh project per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point every user path (data, config, default project) into a private temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


@pytest.fixture
def project(tmp_path):
    """A fresh, migrated project file, closed after the test."""
    from annotator.core.project import Project

    proj = Project.create(tmp_path / "project.db")
    yield proj
    proj.close()
