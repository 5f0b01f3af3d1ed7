"""A small project with three annotators and a gold layer, for agreement tests (core, cli, ui)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import Status
from annotator.core.project import Project

TEXTS = (
    "Baykar sold drones to Poland.",
    "Saab and Baykar both bid; Poland declined.",
    "Nothing to see here.",
    "Only alice finished this one.",
)


def build_agreement_project(path: Path) -> Path:
    """Documents 1-3 done by alice, bob and carol; document 4 done by alice only; gold exists."""
    with Project.create(path) as project:
        for text in TEXTS:
            project.add_document(text, verbatim=True)
        for annotator, label, start, end in (
            ("alice", "ACTOR", 0, 6),
            ("bob", "ACTOR", 0, 6),
            ("carol", "ACTOR", 0, 6),
            ("bob", "PLATFORM", 12, 18),
        ):
            project.add_span(1, annotator, label, start, end)
        project.add_span(2, "alice", "ACTOR", 0, 4)
        project.add_span(2, "bob", "PLATFORM", 0, 4)
        project.add_span(2, "carol", "ACTOR", 9, 15)
        project.add_span(4, "alice", "ACTOR", 0, 4)
        for doc_id in (1, 2, 3):
            for name in ("alice", "bob", "carol", "gold"):
                project.set_status(doc_id, name, Status.DONE)
        project.set_status(4, "alice", Status.DONE)
        project.set_status(4, "bob", Status.IN_PROGRESS)
        project.add_span(1, "gold", "ACTOR", 0, 6)
        project.set_gold("gold")
    return path
