"""The reviewer's view picks up another client's work from a light periodic query."""

from __future__ import annotations

import pytest

from annotator.core.project import Project
from annotator.ui.live_refresh import LiveRefresh
from annotator.ui.workspace import Workspace

pytestmark = pytest.mark.any_backend


def test_another_clients_span_is_announced_for_its_document(qtbot, project, project_target, runner):
    doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
    workspace = Workspace(project, "rita")
    live = LiveRefresh(workspace, runner, interval_ms=20)
    with qtbot.waitSignal(runner.active_changed, check_params_cb=lambda n: n == 0):
        live.start()
    with Project.open(project_target) as other:
        other.add_span(doc, "ana", "ACTOR", 0, 6)
    with qtbot.waitSignal(workspace.changes_applied, timeout=5000) as caught:
        pass
    assert caught.args[0].documents == {doc}
    live.timer.stop()


def test_another_process_adding_documents_asks_for_the_list_again(
    qtbot, project, project_target, runner
):
    project.add_document("Baykar sold the TB2 to Azerbaijan.")
    workspace = Workspace(project, "rita")
    live = LiveRefresh(workspace, runner, interval_ms=20)
    with qtbot.waitSignal(runner.active_changed, check_params_cb=lambda n: n == 0):
        live.start()
    with Project.open(project_target) as other, qtbot.waitSignal(live.document_list_changed):
        other.add_document("Pakistan ordered the JF-17C Thunder.")
    live.stop()
