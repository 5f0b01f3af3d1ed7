"""Undoable commands: revert restores exactly (same ids, same values), redo re-applies."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.commands import (
    AcceptSuggestionsCommand,
    AddLabelCommand,
    AddSpanCommand,
    MacroCommand,
    RelabelSpanCommand,
    RemoveLabelCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
    UpdateLabelCommand,
    is_bulk,
)
from annotator.core.commands.base import BULK_ROWS
from annotator.core.model import Status


@pytest.fixture
def doc_id(project) -> int:
    text = "Baykar 🚀 delivered the Bayraktar TB2 to Azerbaijan."
    return next(iter(project.add_document(text).documents))


def snapshot(project, doc_id):
    """Labels, spans and states; a redo is a new edit, so `updated_at` is left out."""
    spans = [replace(s, updated_at=None) for s in project.spans(doc_id)]
    return project.labels(), spans, project.states(doc_id)


def round_trip(project, doc_id, command):
    """Apply, revert (state back to before), apply again (state as after the first apply)."""
    before = snapshot(project, doc_id)
    command.apply(project)
    after = snapshot(project, doc_id)
    assert after != before
    command.revert(project)
    assert snapshot(project, doc_id) == before
    command.apply(project)
    assert snapshot(project, doc_id) == after
    return after


def test_add_span_redo_brings_back_the_same_id(project, doc_id):
    command = AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6)
    _, spans, _ = round_trip(project, doc_id, command)
    assert [s.id for s in spans] == [command.span.id]
    assert command.text == "Add ACTOR span"


def test_remove_relabel_resize_round_trips(project, doc_id):
    span_id = project.add_span(doc_id, "alice", "ACTOR", 0, 6, note="n").spans_added[0]
    original = project.span(span_id)
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    relabel.apply(project)
    relabel.revert(project)
    restored = project.span(span_id)
    assert replace(restored, updated_at=None) == replace(original, updated_at=None)
    assert restored.updated_at > original.updated_at  # an undo is a change too
    round_trip(project, doc_id, relabel)
    round_trip(project, doc_id, ResizeSpanCommand(span_id, 0, 5))
    remove = RemoveSpanCommand(span_id)
    remove.apply(project)
    remove.revert(project)
    restored = project.span(span_id)
    assert (restored.label, restored.start, restored.end, restored.note) == ("PLATFORM", 0, 5, "n")
    assert remove.text == "Remove PLATFORM span"


def test_status_round_trip_names_the_action(project, doc_id):
    command = SetStatusCommand(doc_id, "alice", Status.DONE)
    command.apply(project)
    assert command.text == "Mark document done"
    command.revert(project)
    assert project.status(doc_id, "alice") is Status.TODO


def test_label_commands_round_trip(project, doc_id):
    round_trip(project, doc_id, AddLabelCommand("COUNTRY", "#123456", "4"))
    round_trip(project, doc_id, UpdateLabelCommand("COUNTRY", {"new_name": "STATE", "hotkey": "5"}))
    project.add_span(doc_id, "alice", "STATE", 0, 6)
    round_trip(project, doc_id, RemoveLabelCommand("STATE", force=True))


def test_macro_is_one_undo_step(project, doc_id):
    macro = MacroCommand(
        "Accept all suggestions",
        [
            AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6),
            AddSpanCommand(doc_id, "alice", "PLATFORM", 23, 36),
            AddSpanCommand(doc_id, "alice", "ACTOR", 40, 50),
        ],
    )
    round_trip(project, doc_id, macro)
    assert len(project.spans(doc_id)) == 3


def test_bulk_commands_say_so_by_the_rows_they_touch(project, doc_id):
    """The app undoes and redoes these in a worker (ui/undo_steps.py)."""
    many, few = tuple(range(1, BULK_ROWS + 2)), tuple(range(1, BULK_ROWS + 1))
    assert is_bulk(AcceptSuggestionsCommand(many, "alice"))
    assert not is_bulk(AcceptSuggestionsCommand(few, "alice"))
    adds = [AddSpanCommand(doc_id, "alice", "ACTOR", n, n + 1) for n in range(BULK_ROWS + 1)]
    assert is_bulk(MacroCommand("Accept 51 agreed spans", adds))
    assert not is_bulk(MacroCommand("Two", adds[:2]))
    assert is_bulk(MacroCommand("Holds a bulk one", [AcceptSuggestionsCommand(many, "alice")]))
    assert not is_bulk(AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6))
    for n in range(BULK_ROWS + 1):
        project.add_span(doc_id, "alice", "PLATFORM", n, n + 1)
    removal = RemoveLabelCommand("PLATFORM", force=True)
    assert not is_bulk(removal)  # not applied yet: it has removed nothing
    removal.apply(project)
    assert is_bulk(removal)
