"""The suggestion service keeps built suggesters only while the settings they came from hold."""

from __future__ import annotations

from annotator.core.model import Status
from annotator.core.review_commands import MarkGoldCommand
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


def suggest_and_wait(qtbot, service, document_id, **options):
    handle = service.suggest_document(document_id, **options)
    qtbot.waitUntil(handle.is_done, timeout=20000)


def pending_words(project, document_id, annotator):
    text = project.document(document_id).text
    return [text[s.start : s.end] for s in project.suggestions(document_id, annotator=annotator)]


def alice_and_bob_tagged(qtbot, project):
    """Two documents; in the first alice tags Baykar and bob Saab; alice's suggestions for the
    second are computed (only Baykar: her own phrase). (first, second, workspace, service)."""
    first, second = (
        next(iter(project.add_document(t, verbatim=True).documents))
        for t in ("Baykar met Saab.", "Saab and Baykar")
    )
    project.add_span(first, "alice", "ACTOR", 0, 6)
    project.add_span(first, "bob", "ACTOR", 11, 15)
    workspace = Workspace(project, "alice")
    service = SuggestionService(workspace)
    suggest_and_wait(qtbot, service, second)
    assert pending_words(project, second, "alice") == ["Baykar"]
    return first, second, workspace, service


def test_each_annotator_is_suggested_their_own_phrases_and_gold_not_anothers(qtbot, project):
    first, second, workspace, service = alice_and_bob_tagged(qtbot, project)
    workspace.annotator = "bob"  # File > Change Annotator...
    suggest_and_wait(qtbot, service, second)
    assert pending_words(project, second, "bob") == ["Saab"]
    assert pending_words(project, second, "alice") == ["Baykar"]
    project.add_span(first, "gold", "ACTOR", 11, 15)
    project.set_gold("gold")
    workspace.annotator = "alice"
    suggest_and_wait(qtbot, service, second)
    assert pending_words(project, second, "alice") == ["Saab", "Baykar"]


def test_making_a_layer_gold_teaches_the_lexicon_its_phrases_and_undo_forgets_them(qtbot, project):
    _first, second, workspace, service = alice_and_bob_tagged(qtbot, project)
    assert workspace.execute(MarkGoldCommand("bob"))  # review mode makes bob's layer gold
    suggest_and_wait(qtbot, service, second)
    assert pending_words(project, second, "alice") == ["Saab", "Baykar"]
    workspace.undo()
    suggest_and_wait(qtbot, service, second)
    assert pending_words(project, second, "alice") == ["Baykar"]


def test_a_document_marked_done_gets_suggestions_only_when_asked(qtbot, project):
    first, second = (
        next(iter(project.add_document(t, verbatim=True).documents))
        for t in ("Baykar met Saab.", "Saab and Baykar")
    )
    project.add_span(first, "alice", "ACTOR", 0, 6)
    project.set_status(second, "alice", Status.DONE)
    service = SuggestionService(Workspace(project, "alice"))
    suggest_and_wait(qtbot, service, second)  # what opening it with auto-suggest does
    assert pending_words(project, second, "alice") == []
    suggest_and_wait(qtbot, service, second, include_done=True)  # Suggest for This Document
    assert pending_words(project, second, "alice") == ["Baykar"]
