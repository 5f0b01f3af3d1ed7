"""Making the gold layer is an undo step: undo unmarks it and forgets a `gold` annotator that
the step created, as long as nothing uses it. Nested spans are separate decisions: accepting
one never drops or resizes the other in gold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.model import Status
from annotator.core.review_commands import (
    AcceptCandidateCommand,
    MarkGoldCommand,
    RejectCandidateCommand,
    accept_agreed_command,
)

TEXT = "Baykar Makina sold TB2 drones to Poland."


@pytest.fixture
def doc(project):
    (doc_id,) = project.add_document(TEXT).documents
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    project.add_span(doc_id, "bob", "ACTOR", 0, 13)
    return doc_id


def names(project) -> set[str]:
    return {a.name for a in project.annotators()}


def test_undo_unmarks_and_forgets_the_gold_annotator_it_created(project, doc):
    command = MarkGoldCommand()
    command.apply(project)
    assert project.gold_annotator() == "gold" and "gold" in names(project)
    command.revert(project)
    assert project.gold_annotator() is None and names(project) == {"alice", "bob"}
    command.apply(project)  # redo
    assert project.gold_annotator() == "gold"


def test_undo_keeps_an_annotator_that_existed_and_restores_the_previous_gold(project, doc):
    project.set_gold("bob")
    command = MarkGoldCommand("alice")
    command.apply(project)
    assert project.gold_annotator() == "alice"
    command.revert(project)
    assert project.gold_annotator() == "bob" and names(project) == {"alice", "bob"}
    assert [s.label for s in project.spans(doc, "alice")] == ["ACTOR"]


def test_marking_and_unmarking_gold_name_the_layers_whose_gold_flag_changed(project, doc):
    assert project.set_gold("bob").gold == {"bob"}
    assert project.set_gold("bob").gold == frozenset()  # already gold: nothing changed
    assert project.set_gold("alice").gold == {"alice", "bob"}
    assert project.unmark_gold().gold == {"alice"}
    assert project.unmark_gold().gold == frozenset()
    command = MarkGoldCommand("bob")
    assert command.apply(project).gold == {"bob"}
    assert command.revert(project).gold == {"bob"}  # undo: nobody is gold again


@pytest.mark.parametrize("use", ["span", "status"])
def test_undo_only_unmarks_a_created_gold_annotator_that_is_in_use(project, doc, use):
    command = MarkGoldCommand()
    command.apply(project)
    if use == "span":  # e.g. merged in from another project: not on the undo stack
        project.add_span(doc, "gold", "ACTOR", 0, 6)
    else:
        project.set_status(doc, "gold", Status.DONE)
    command.revert(project)
    assert project.gold_annotator() is None and "gold" in names(project)


def test_forgetting_refuses_unknown_and_used_annotators(project, doc):
    assert not project.forget_unused_annotator("nobody")
    assert not project.forget_unused_annotator("alice")
    assert names(project) == {"alice", "bob"}


def test_first_accept_without_a_gold_layer_makes_it_and_undo_removes_it(project, doc):
    accept = AcceptCandidateCommand(doc, "ACTOR", 0, 13)
    accept.apply(project)
    assert project.gold_annotator() == "gold"
    (span,) = project.spans(doc, "gold")
    accept.revert(project)
    assert project.gold_annotator() is None and "gold" not in names(project)
    accept.apply(project)  # redo: the same span, stamped as a new change
    (again,) = project.spans(doc, "gold")
    assert project.gold_annotator() == "gold" and again == replace(
        span, updated_at=again.updated_at
    )


NESTED_TEXT = "Azerbaijan's Ministry of Defense signed the contract."
OUTER = ("ACTOR", 0, len("Azerbaijan's Ministry of Defense"))
INNER = ("ACTOR", 0, len("Azerbaijan"))


@pytest.fixture
def nested(project):
    """Both annotators mark the ministry and the country nested inside it (issue 17, item 4)."""
    (doc_id,) = project.add_document(NESTED_TEXT).documents
    for who in ("alice", "bob"):
        for key in (OUTER, INNER):
            project.add_span(doc_id, who, *key)
    return doc_id


def gold_spans(project, doc_id) -> dict[tuple[str, int, int], int]:
    return {(s.label, s.start, s.end): s.id for s in project.spans(doc_id, "gold")}


@pytest.mark.parametrize("order", [(INNER, OUTER), (OUTER, INNER)], ids=["inner", "outer"])
def test_accepting_nested_spans_in_either_order_keeps_both_unchanged(project, nested, order):
    first, second = order
    AcceptCandidateCommand(nested, *first).apply(project)
    (kept,) = gold_spans(project, nested).values()
    accept = AcceptCandidateCommand(nested, *second)
    accept.apply(project)
    both = gold_spans(project, nested)
    assert set(both) == {OUTER, INNER} and both[first] == kept  # not resized, not dropped
    review = project.document_review(nested, ["alice", "bob"])
    assert review.adjudicated
    accept.revert(project)  # undo takes back the second decision only
    assert gold_spans(project, nested) == {first: kept}
    accept.apply(project)  # redo
    assert gold_spans(project, nested) == both


def test_accept_all_agreed_keeps_nested_spans_and_undoes_in_one_step(project, nested):
    macro = accept_agreed_command(project.document_review(nested, ["alice", "bob"]))
    macro.apply(project)
    assert set(gold_spans(project, nested)) == {OUTER, INNER}
    assert accept_agreed_command(project.document_review(nested, ["alice", "bob"])) is None
    macro.revert(project)
    assert gold_spans(project, nested) == {}
    macro.apply(project)
    assert set(gold_spans(project, nested)) == {OUTER, INNER}


def test_rejecting_the_inner_span_keeps_the_accepted_outer_one(project, nested):
    AcceptCandidateCommand(nested, *OUTER).apply(project)
    outer_id = gold_spans(project, nested)[OUTER]
    RejectCandidateCommand(nested, *INNER).apply(project)
    assert gold_spans(project, nested) == {OUTER: outer_id}
    assert project.document_review(nested, ["alice", "bob"]).adjudicated


def test_accept_all_agreed_names_how_many_in_the_edit_menu(project, nested):
    macro = accept_agreed_command(project.document_review(nested, ["alice", "bob"]))
    assert macro.text == "Accept 2 agreed spans"
    AcceptCandidateCommand(nested, *OUTER).apply(project)
    macro = accept_agreed_command(project.document_review(nested, ["alice", "bob"]))
    assert macro.text == "Accept 1 agreed span"  # was "Accept 1 agreed spans" (Undo menu)
