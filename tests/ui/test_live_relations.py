"""The open document follows relations another process wrote on the same project file (a
second app of the same annotator, a CLI import): added and removed ones are announced."""

from __future__ import annotations

from annotator.core.project import Project
from annotator.ui.live_refresh import LiveRefresh
from annotator.ui.workspace import Workspace

TEXT = "Azerbaijan buys JF-17C Thunder jets from Pakistan."


def test_relations_written_elsewhere_reach_the_open_document(
    qtbot, project, project_target, runner
):
    doc = next(iter(project.add_document(TEXT).documents))
    az = project.add_span(doc, "rita", "ACTOR", 0, 10).spans[0]
    jf = project.add_span(doc, "rita", "PLATFORM", 16, 30).spans[0]
    workspace = Workspace(project, "rita")
    workspace.open_document(doc)
    live = LiveRefresh(workspace, runner, interval_ms=20)
    with qtbot.waitSignal(runner.active_changed, check_params_cb=lambda n: n == 0):
        live.start()
    with Project.open(project_target) as other, qtbot.waitSignal(workspace.relations_changed):
        (relation,) = other.add_relation(doc, "rita", "BUYS", az.id, jf.id).relations
    assert workspace.relations == {relation.id: relation}
    with Project.open(project_target) as other, qtbot.waitSignal(workspace.relations_changed):
        other.remove_relation(relation.id)
    assert workspace.relations == {}
    live.stop()
