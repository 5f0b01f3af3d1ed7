"""The sample articles bundled with the app, for trying it out without one's own data."""

from __future__ import annotations

import json
import os
from importlib.resources import files

from annotator.core.model import ImportedDocument
from annotator.core.paths import default_project_path
from annotator.core.project import Project
from annotator.core.text import canonical_text

RESOURCES = "annotator.resources"


def sample_articles() -> list[tuple[str, str]]:
    """(title, text) of the bundled sample articles in index.json order; text keeps its headline."""
    folder = files(RESOURCES) / "samples"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [
        (entry["title"], canonical_text((folder / entry["file"]).read_text(encoding="utf-8")))
        for entry in index
    ]


def add_samples(project: Project) -> None:
    """Store the sample articles in a project (already-present ones are skipped)."""
    project.import_documents(
        [
            ImportedDocument(text, title, "sample", {"sample": True})
            for title, text in sample_articles()
        ]
    )


def open_default_project() -> Project:
    """The user's project when no --db is given: ANNOTATOR_DB, else the default project, which
    is created with the default schema and the sample articles on first use."""
    override = os.environ.get("ANNOTATOR_DB")
    if override:
        return Project.open(override)  # a file path or a server URL
    path = default_project_path()
    if path.exists():
        return Project.open(path)
    project = Project.create(path)
    add_samples(project)
    return project
