"""Builders for merge tests: a collaborator's project file, and fingerprints of files and data."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from annotator.core.model import NewSuggestion, Status, SuggestionStatus
from annotator.core.project import Project

SHARED = "Baykar sold TB2 drones to Azerbaijan."
NEW = "KAI delivered the KF-21 Boramae to the air force."


def make_other(path: Path, annotator: str = "bob") -> Path:
    """A project with one text we share (spans, a note, done) and one we lack (in progress)."""
    with Project.create(path) as other:
        other.add_document(SHARED, title="shared", verbatim=True)
        other.add_document(NEW, title="new one", source="kai.txt", meta={"lang": "en"})
        shared, new = other.document_ids()
        other.add_span(shared, annotator, "ACTOR", 0, 6, note="maker")
        other.add_span(shared, annotator, "PLATFORM", 12, 15)
        other.add_span(new, annotator, "PLATFORM", 18, 32)
        other.set_status(shared, annotator, Status.DONE)
        other.set_status(new, annotator, Status.IN_PROGRESS)
    return path


def dump(path: Path) -> list[str]:
    """Every row of a project file as SQL (reads committed WAL pages too)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, its mtime and the files beside it: what a read-only merge must not change."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def add_decisions(path: Path) -> Path:
    """The lexicon's suggestions on the shared text (drones rejected, Azerbaijan accepted,
    sold pending) and a review rejection of ACTOR on TB2, in a project file from make_other."""
    with Project(path) as other:
        shared = other.document_ids()[0]
        items = [
            NewSuggestion(16, 22, "PLATFORM", 0.8),
            NewSuggestion(26, 36, "ACTOR", 0.9),
            NewSuggestion(7, 11, "MOTIVATION", 0.5),
        ]
        other.store_suggestions(shared, "lexicon", items)
        _, drones, azerbaijan = other.suggestions(shared)  # by offsets
        other.reject_suggestion(drones.id, "alice")
        other.set_suggestion_status(azerbaijan.id, SuggestionStatus.ACCEPTED, "alice")
        other.set_rejected(shared, "ACTOR", 12, 15, True)
    return path
