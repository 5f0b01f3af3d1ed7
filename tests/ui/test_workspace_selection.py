"""The workspace's selected span follows the edits of its span (held by the open document),
whichever view shows it."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from annotator.core.commands import RelabelSpanCommand, RemoveSpanCommand, ResizeSpanCommand
from annotator.ui.workspace import Workspace

TEXT = "Baykar sold TB2 drones to Azerbaijan."


@pytest.fixture
def workspace(qapp, project) -> Workspace:
    doc_id = next(iter(project.add_document(TEXT, title="TB2").documents))
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    ws = Workspace(project, "alice")
    ws.open_document(doc_id)
    return ws


def test_the_selection_follows_a_relabel_and_a_resize_and_clears_on_removal(workspace, qtbot):
    span = workspace.layer[0]
    workspace.select_span(span)
    with qtbot.waitSignal(workspace.span_selected, timeout=1000) as selected:
        assert workspace.execute(RelabelSpanCommand(span.id, "PLATFORM"))
    assert selected.args[0].label == "PLATFORM"
    assert workspace.selected_span == workspace.layer.get(span.id)
    assert workspace.execute(ResizeSpanCommand(span.id, 12, 15))
    assert (workspace.selected_span.start, workspace.selected_span.end) == (12, 15)
    workspace.undo()  # the resize undone: the selection follows back
    assert (workspace.selected_span.start, workspace.selected_span.end) == (0, 6)
    assert workspace.execute(RemoveSpanCommand(span.id))
    assert workspace.selected_span is None
