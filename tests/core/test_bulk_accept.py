"""Accept All as set operations: the same spans and decisions as accepting one by one, one
undo step that undoes in bulk, compare-and-set undo/redo, and a cancel that stores nothing."""

from __future__ import annotations

import pytest

from annotator.core.commands import AcceptSuggestionCommand, AcceptSuggestionsCommand
from annotator.core.errors import Cancelled, ConflictError
from annotator.core.model import NewSuggestion, SuggestionStatus
from annotator.core.project import Project

TEXT = "Baykar sold TB2 drones to Poland; Baykar and Roketsan sold TB2 drones to Ukraine."


def _suggested(project: Project) -> tuple[int, list[int]]:
    (doc,) = project.add_document(TEXT).documents
    project.add_span(doc, "alice", "ACTOR", 0, 6)  # alice already has the first "Baykar"
    items = [
        NewSuggestion(0, 6, "ACTOR"),
        NewSuggestion(12, 15, "PLATFORM"),
        NewSuggestion(34, 40, "ACTOR"),
        NewSuggestion(45, 53, "ACTOR", 0.5),
    ]
    project.store_suggestions(doc, "lexicon", items)
    project.store_suggestions(doc, "model", [NewSuggestion(12, 15, "PLATFORM", 0.9)])
    pending = project.suggestions(doc, annotator="alice")
    return doc, [s.id for s in pending]


def _layer(project: Project, doc: int) -> list[tuple]:
    return [(s.label, s.start, s.end, s.source) for s in project.spans(doc, "alice")]


def _layer_with_ids(project: Project, doc: int) -> list[tuple]:
    return [(s.id, s.label, s.start, s.end, s.created_at) for s in project.spans(doc, "alice")]


def _decisions(project: Project, doc: int) -> list[tuple]:
    found = project.suggestions(doc, None, annotator="alice")
    return [(s.label, s.start, s.end, s.status) for s in found]


@pytest.fixture
def twin(tmp_path):
    twin = Project.create(tmp_path / "twin.annotator")
    yield twin
    twin.close()


def test_bulk_accept_stores_what_accepting_one_by_one_stores(project, twin):
    doc, ids = _suggested(project)
    twin_doc, twin_ids = _suggested(twin)
    for suggestion_id in twin_ids:
        AcceptSuggestionCommand(suggestion_id, "alice").apply(twin)
    changes = AcceptSuggestionsCommand(tuple(ids), "alice").apply(project)
    assert _layer(project, doc) == _layer(twin, twin_doc)
    assert _decisions(project, doc) == _decisions(twin, twin_doc)
    assert len(changes.spans_added) == 3 and changes.suggestions == {doc}


def test_bulk_undo_and_redo_restore_exactly(project):
    doc, ids = _suggested(project)
    before_layer, before_decisions = _layer(project, doc), _decisions(project, doc)
    command = AcceptSuggestionsCommand(tuple(ids), "alice")
    command.apply(project)
    after_spans = _layer_with_ids(project, doc)
    after_decisions = _decisions(project, doc)
    undone = command.revert(project)
    assert _layer(project, doc) == before_layer
    assert _decisions(project, doc) == before_decisions
    assert len(undone.spans_removed) == 3
    command.apply(project)  # redo: the very same spans (ids) come back
    assert _layer_with_ids(project, doc) == after_spans
    assert _decisions(project, doc) == after_decisions


def test_bulk_undo_refuses_when_another_writer_changed_a_span(project, project_target):
    doc, ids = _suggested(project)
    command = AcceptSuggestionsCommand(tuple(ids), "alice")
    command.apply(project)
    other = Project(project_target)  # a second writer: a CLI, a second window, a server user
    try:
        other.relabel_span(command.spans[0].id, "MOTIVATION")
    finally:
        other.close()
    layer, decisions = _layer(project, doc), _decisions(project, doc)
    with pytest.raises(ConflictError, match="changed by someone else since; nothing was changed"):
        command.revert(project)
    assert (_layer(project, doc), _decisions(project, doc)) == (layer, decisions)


def test_bulk_redo_refuses_when_the_annotator_decided_since(project):
    doc, ids = _suggested(project)
    command = AcceptSuggestionsCommand(tuple(ids), "alice")
    command.apply(project)
    command.revert(project)
    project.reject_suggestion(ids[-1], "alice")
    layer, decisions = _layer(project, doc), _decisions(project, doc)
    with pytest.raises(ConflictError, match="nothing was changed"):
        command.apply(project)
    assert (_layer(project, doc), _decisions(project, doc)) == (layer, decisions)


class _CancelAfter:
    """A progress token that asks to stop after `reports` reports."""

    def __init__(self, reports: int) -> None:
        self.left = reports

    def report(self, done: int, total: int) -> None:
        self.left -= 1

    def cancelled(self) -> bool:
        return self.left <= 0


@pytest.mark.parametrize("reports", [1, 2, 3])
def test_a_cancelled_bulk_accept_stores_nothing(project, reports):
    doc, ids = _suggested(project)
    layer, decisions = _layer(project, doc), _decisions(project, doc)
    command = AcceptSuggestionsCommand(tuple(ids), "alice", progress=_CancelAfter(reports))
    with pytest.raises(Cancelled):
        command.apply(project)
    assert (_layer(project, doc), _decisions(project, doc)) == (layer, decisions)
    assert all(status == SuggestionStatus.PENDING for *_, status in decisions)
