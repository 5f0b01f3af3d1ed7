"""The suggestion service keeps built suggesters only while the settings they came from hold."""

from __future__ import annotations

from annotator.nlp.runner import SuggestReport
from annotator.ui.suggestion_service import SuggestionService
from annotator.ui.workspace import Workspace


def test_results_built_before_an_invalidate_are_not_kept(qtbot, project):
    service = SuggestionService(Workspace(project, "alice"))
    service._on_task_succeeded((["built"], SuggestReport()))
    assert service._suggesters == ["built"]
    service._submitted_generation = service._generation
    service.invalidate()  # e.g. the label map changed while a task was running
    service._on_task_succeeded((["stale"], SuggestReport()))
    assert service._suggesters is None
