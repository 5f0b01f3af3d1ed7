"""A refused undo or redo (another writer changed the span since) is reported in one line and
leaves the undo stack as it was: the same step is still the one to undo (or redo)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from annotator.core.commands import MacroCommand, RelabelSpanCommand, ResizeSpanCommand
from annotator.core.project import Project
from annotator.ui.workspace import Workspace

REFUSED = "the span was changed by someone else since; nothing was changed"


@pytest.fixture
def span_id(project) -> int:
    (doc,) = project.add_document("Baykar Makina sold TB2 drones to Poland.").documents
    return project.add_span(doc, "alice", "ACTOR", 0, 6).spans_added[0]


@pytest.fixture
def other(project):
    """A second writer on the same file (a CLI merge, a second window)."""
    second = Project(project.path)
    yield second
    second.close()


def test_a_refused_undo_or_redo_stays_where_it_is(qtbot, project, other, span_id):
    workspace = Workspace(project, "alice")
    stack = workspace.undo_stack
    errors: list[str] = []
    workspace.error_raised.connect(errors.append)
    assert workspace.execute(RelabelSpanCommand(span_id, "PLATFORM"))
    other.relabel_span(span_id, "MOTIVATION")

    workspace.undo()
    assert errors == [f"Cannot undo Relabel span as PLATFORM: {REFUSED}"]
    assert (stack.index(), stack.count(), stack.undoText()) == (1, 1, "Relabel span as PLATFORM")
    assert other.span(span_id).label == "MOTIVATION"

    other.relabel_span(span_id, "PLATFORM")  # as the command left it: the undo goes ahead
    workspace.undo()
    assert project.span(span_id).label == "ACTOR" and stack.index() == 0

    other.relabel_span(span_id, "MOTIVATION")
    workspace.redo()
    assert errors[1:] == [f"Cannot redo Relabel span as PLATFORM: {REFUSED}"]
    assert (stack.index(), stack.redoText()) == (0, "Relabel span as PLATFORM")
    assert project.span(span_id).label == "MOTIVATION"


def test_a_refused_macro_undo_changes_nothing_and_can_be_retried(qtbot, project, other, span_id):
    workspace = Workspace(project, "alice")
    errors: list[str] = []
    workspace.error_raised.connect(errors.append)
    both = [RelabelSpanCommand(span_id, "PLATFORM"), ResizeSpanCommand(span_id, 0, 13)]
    assert workspace.execute(MacroCommand("Relabel and resize", both))
    other.relabel_span(span_id, "MOTIVATION")  # the relabel's undo is refused, not the resize's
    workspace.undo()
    assert errors == [f"Cannot undo Relabel and resize: {REFUSED}"]
    span = project.span(span_id)
    assert (span.label, span.start, span.end) == ("MOTIVATION", 0, 13)
    other.relabel_span(span_id, "PLATFORM")
    workspace.undo()
    span = project.span(span_id)
    assert (span.label, span.start, span.end) == ("ACTOR", 0, 6)
    assert workspace.undo_stack.index() == 0 and len(errors) == 1
