"""Suggestions > Suggestion Quality lists the relation learner's decisions per relation type."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from annotator.nlp.relation_runner import suggest_relations
from annotator.ui.quality_dialog import QualityDialog

TRAINING = [
    ("Azerbaijan bought JF-17C Thunder jets from Pakistan.", "JF-17C Thunder"),
    ("Morocco bought C390 transports from Brazil.", "C390"),
]


def mark(project, text: str, platform: str) -> tuple[int, dict[str, int]]:
    (doc,) = project.add_document(text).documents
    words = text.rstrip(".").split(" ")
    ids = {}
    for label, word in (("ACTOR", words[0]), ("PLATFORM", platform), ("ACTOR", words[-1])):
        start = text.index(word)
        ids[label + word] = project.add_span(
            doc, "alice", label, start, start + len(word)
        ).spans_added[0]
    return doc, ids


def test_relation_rows_show_per_type_with_precision(qtbot, project) -> None:
    for text, platform in TRAINING:
        doc, ids = mark(project, text, platform)
        words = text.rstrip(".").split(" ")
        project.add_relation(
            doc, "alice", "BUYS", ids["ACTOR" + words[0]], ids["PLATFORM" + platform]
        )
    new, _ = mark(project, "Egypt bought Rafale jets from France.", "Rafale")
    suggest_relations(project, "alice", [new])
    (buys,) = project.relation_suggestions(new, "alice")
    project.reject_relation_suggestion(buys.id)
    dialog = QualityDialog(project, "alice")
    qtbot.addWidget(dialog)
    cells = [
        tuple(dialog.table.item(r, c).text() for c in range(dialog.table.columnCount()))
        for r in range(dialog.table.rowCount())
    ]
    assert ("relation-learner: BUYS", "0", "0", "1", "0%", "–", "–") in cells
