"""Where the app keeps its files: platformdirs, or one folder named by ANNOTATOR_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "annotator"


def data_dir() -> Path:
    """The user's data folder (projects, trained models); ANNOTATOR_HOME overrides it."""
    home = os.environ.get("ANNOTATOR_HOME")
    base = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def config_dir() -> Path:
    """The user's configuration folder; ANNOTATOR_HOME overrides it."""
    home = os.environ.get("ANNOTATOR_HOME")
    base = Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_project_path() -> Path:
    """The project used when no --db is given: ANNOTATOR_DB, else default.db in the data folder."""
    override = os.environ.get("ANNOTATOR_DB")
    return Path(override) if override else data_dir() / "default.db"
