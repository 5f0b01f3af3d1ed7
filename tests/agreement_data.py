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


def add_relations(path: Path) -> Path:
    """In document 1 ("Baykar sold drones to Poland."), everyone marks drones PLATFORM and
    Poland ACTOR; alice links Baykar SUPPLIES drones and Poland BUYS drones, bob only the first,
    carol only the second. Summed over the pairs (alice, bob), (alice, carol), (bob, carol):
    SUPPLIES tp 1, fp 0, fn 2 (P 1, R 1/3, F1 0.5); BUYS tp 1, fp 1, fn 1 (P = R = F1 = 0.5);
    all types tp 2, fp 1, fn 3 (P 2/3, R 2/5, F1 4/8 = 0.5)."""
    with Project(path) as project:
        for name in ("alice", "bob", "carol"):
            ids = {(s.label, s.start): s.id for s in project.spans(1, name)}
            for label, start, end in (("PLATFORM", 12, 18), ("ACTOR", 22, 28)):
                if (label, start) not in ids:
                    ids[label, start] = project.add_span(1, name, label, start, end).spans_added[0]
            if name in ("alice", "bob"):
                project.add_relation(1, name, "SUPPLIES", ids["ACTOR", 0], ids["PLATFORM", 12])
            if name in ("alice", "carol"):
                project.add_relation(1, name, "BUYS", ids["ACTOR", 22], ids["PLATFORM", 12])
    return path
