"""One user action, one transaction: a command's apply and revert commit once, and a composite
whose last step is refused leaves the project byte for byte as it was (issue 16 item 1)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from annotator.core.commands import (
    AddSpanCommand,
    MacroCommand,
    RelabelSpanCommand,
    StartDocument,
    carried_out,
)
from annotator.core.errors import AnnotatorError
from annotator.core.model import Status

TEXT = "Baykar delivered the Bayraktar TB2 to Azerbaijan."


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT).documents))


@pytest.fixture
def commits(project) -> list[int]:
    """One entry per commit of the project's writer engine."""
    seen: list[int] = []
    event.listen(project.engine, "commit", lambda _conn: seen.append(1))
    return seen


def dump(project) -> list[str]:
    """The project file as SQL (every table, every row)."""
    with sqlite3.connect(project.path) as conn:
        return list(conn.iterdump())


def test_the_first_span_starts_the_document_in_the_same_transaction_and_undo(
    project, doc_id, commits
):
    start = StartDocument(doc_id, "alice")
    command = AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6, start_document=start)
    changes = command.apply(project)
    assert len(commits) == 1
    assert project.status(doc_id, "alice") is Status.IN_PROGRESS
    assert changes.spans_added == (command.span.id,)
    assert changes.states == frozenset({(doc_id, "alice")})

    commits.clear()
    command.revert(project)
    assert len(commits) == 1
    assert project.status(doc_id, "alice") is Status.TODO and project.spans(doc_id) == []

    command.apply(project)  # redo
    assert project.status(doc_id, "alice") is Status.IN_PROGRESS
    assert [s.id for s in project.spans(doc_id)] == [command.span.id]


def test_a_later_span_leaves_the_status_alone(project, doc_id):
    project.set_status(doc_id, "alice", Status.DONE)
    start = StartDocument(doc_id, "alice")
    command = AddSpanCommand(doc_id, "alice", "ACTOR", 0, 6, start_document=start)
    assert not command.apply(project).states
    command.revert(project)
    assert project.status(doc_id, "alice") is Status.DONE


def test_a_composite_whose_last_step_is_refused_changes_nothing(project, doc_id, commits):
    span_id = project.add_span(doc_id, "alice", "ACTOR", 0, 6).spans_added[0]
    before = dump(project)
    commits.clear()
    macro = MacroCommand(
        "Three edits",
        [
            RelabelSpanCommand(span_id, "PLATFORM"),
            AddSpanCommand(
                doc_id, "alice", "ACTOR", 21, 34, start_document=StartDocument(doc_id, "alice")
            ),
            AddSpanCommand(doc_id, "alice", "ACTOR", 40, 400),  # past the end of the text
        ],
    )
    with pytest.raises(AnnotatorError) as refused:
        macro.apply(project)
    assert str(refused.value) == "span [40, 400) does not fit the text (0 <= start < end <= 49)"
    assert commits == []
    assert dump(project) == before


def test_changes_carry_the_values_of_the_spans_they_touch(project, doc_id):
    span_id = project.add_span(doc_id, "alice", "ACTOR", 0, 6).spans_added[0]
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    changes = carried_out(project, relabel.apply)
    assert changes.spans == (project.span(span_id),)
    add_and_drop = MacroCommand("Add and undo", [AddSpanCommand(doc_id, "alice", "ACTOR", 21, 34)])
    changes = carried_out(project, add_and_drop.apply) | carried_out(project, add_and_drop.revert)
    assert changes.spans_added and changes.spans_removed
    assert carried_out(project, lambda p: changes).spans == ()  # added, then removed again
