"""A composite command whose last step is refused, run from the window's workspace: the
project keeps every byte, the undo stack and the views are as before, the message is true."""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")

from annotator.core.commands import AddSpanCommand, MacroCommand, RelabelSpanCommand
from annotator.ui.span_model import SpanTableModel
from annotator.ui.workspace import Workspace

TEXT = "Baykar delivered the Bayraktar TB2 to Azerbaijan."


def dump(project) -> list[str]:
    with sqlite3.connect(project.path) as conn:
        return list(conn.iterdump())


def test_a_refused_last_step_leaves_project_stack_and_views_as_they_were(qtbot, project):
    (doc_id,) = project.add_document(TEXT).documents
    span_id = project.add_span(doc_id, "alice", "ACTOR", 0, 6).spans_added[0]
    workspace = Workspace(project, "alice")
    workspace.open_document(doc_id)
    rows = SpanTableModel(workspace)
    assert workspace.execute(RelabelSpanCommand(span_id, "MOTIVATION"))
    errors: list[str] = []
    workspace.error_raised.connect(errors.append)
    before, stack_before = dump(project), workspace.undo_stack.count()

    macro = MacroCommand(
        "Relabel and add two",
        [
            RelabelSpanCommand(span_id, "PLATFORM"),
            AddSpanCommand(doc_id, "alice", "ACTOR", 21, 34),
            AddSpanCommand(doc_id, "alice", "ACTOR", 40, 400),
        ],
    )
    assert not workspace.execute(macro)
    assert errors == ["span [40, 400) does not fit the text (0 <= start < end <= 49)"]
    assert dump(project) == before
    assert workspace.undo_stack.count() == stack_before
    assert workspace.undo_stack.undoText() == "Relabel span as MOTIVATION"
    stored = [(s.id, s.label) for s in project.spans(doc_id, "alice")]
    assert [(s.id, s.label) for s in workspace.layer] == stored == [(span_id, "MOTIVATION")]
    assert [rows.span_at(n).label for n in range(rows.rowCount())] == ["MOTIVATION"]
