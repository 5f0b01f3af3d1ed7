"""Shared fixtures: offscreen Qt, paths under tmp_path, and a fresh project per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest_plugins = ["pg_fixtures"]  # PostgreSQL server fixtures and markers


def pytest_configure(config):
    """The spaCy-backed formats join io's registries, as the command line and the app do."""
    from annotator.nlp.formats import register_formats

    register_formats()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Point every user path (data, config, default project) into a private temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


@pytest.fixture
def project(project_target):
    """A fresh, migrated project (a file; also a server database under `any_backend`)."""
    from annotator.core.project import Project

    proj = Project.create(project_target)
    yield proj
    proj.close()
