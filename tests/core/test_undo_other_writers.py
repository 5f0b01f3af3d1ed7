"""Undo and redo change only what their command changed, and refuse (nothing changed) when
another writer changed that since. Two Project objects on one file are the two writers: `a`
(the app whose undo stack it is) and `b` (a server reviewer, a CLI merge, a second window)."""

from __future__ import annotations

import pytest

from annotator.core.commands import (
    AcceptSuggestionCommand,
    AddLabelCommand,
    AddSpanCommand,
    MacroCommand,
    RejectSuggestionCommand,
    RelabelSpanCommand,
    RemoveLabelCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
    UpdateLabelCommand,
)
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import NewSuggestion, Status, SuggestionStatus
from annotator.core.project import Project
from annotator.core.review_commands import AcceptCandidateCommand, RejectCandidateCommand

pytestmark = pytest.mark.any_backend

TEXT = "Baykar Makina sold TB2 drones to Poland."
CHANGED = "was changed by someone else since; nothing was changed"


@pytest.fixture
def a(project):
    return project


@pytest.fixture
def b(project_target, a):
    second = Project(project_target)
    yield second
    second.close()


@pytest.fixture
def doc(a) -> int:
    (doc_id,) = a.add_document(TEXT).documents
    return doc_id


@pytest.fixture
def span_id(a, doc) -> int:
    return a.add_span(doc, "alice", "ACTOR", 0, 6, note="first").spans_added[0]


def values(project, span_id):
    span = project.span(span_id)
    return span.label, span.start, span.end, span.note


def everything(project, doc):
    """Every span (without timestamps), status, suggestion and rejection of the document."""
    spans = [(*values(project, s.id), s.id, s.annotator) for s in project.spans(doc)]
    return (
        spans,
        project.states(doc),
        project.suggestions(doc, None),
        project.rejections(doc),
        project.gold_annotator(),
    )


def refused(command, verb, a, doc):
    """Run command.revert (verb "undo") or .apply ("redo"): it must refuse and change nothing."""
    before = everything(a, doc)
    step = command.revert if verb == "undo" else command.apply
    with pytest.raises(ConflictError, match=CHANGED):
        step(a)
    assert everything(a, doc) == before


# -- one field per command: the other writer's other fields are kept -----------------------


def test_undo_relabel_keeps_a_note_written_meanwhile(a, b, span_id):
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    relabel.apply(a)
    b.set_span_note(span_id, "checked by the reviewer")
    relabel.revert(a)
    assert values(b, span_id) == ("ACTOR", 0, 6, "checked by the reviewer")
    relabel.apply(a)  # redo: the label again, the note still the reviewer's
    assert values(b, span_id) == ("PLATFORM", 0, 6, "checked by the reviewer")


def test_undo_resize_keeps_a_relabel_made_meanwhile(a, b, span_id):
    resize = ResizeSpanCommand(span_id, 0, 13)
    resize.apply(a)
    b.relabel_span(span_id, "PLATFORM")
    resize.revert(a)
    assert values(b, span_id) == ("PLATFORM", 0, 6, "first")
    resize.apply(a)
    assert values(b, span_id) == ("PLATFORM", 0, 13, "first")


def test_undo_relabel_is_refused_when_the_label_was_changed_again(a, b, doc, span_id):
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    relabel.apply(a)
    b.relabel_span(span_id, "MOTIVATION")
    refused(relabel, "undo", a, doc)
    assert values(b, span_id)[0] == "MOTIVATION"


def test_redo_relabel_is_refused_when_the_label_was_changed_after_the_undo(a, b, doc, span_id):
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    relabel.apply(a)
    relabel.revert(a)
    b.relabel_span(span_id, "MOTIVATION")
    refused(relabel, "redo", a, doc)


def test_undo_resize_is_refused_when_the_offsets_were_changed_again(a, b, doc, span_id):
    resize = ResizeSpanCommand(span_id, 0, 13)
    resize.apply(a)
    b.resize_span(span_id, 1, 13)
    refused(resize, "undo", a, doc)
    assert values(b, span_id)[1:3] == (1, 13)


def test_undo_of_an_edit_to_a_span_removed_meanwhile_is_refused(a, b, doc, span_id):
    relabel = RelabelSpanCommand(span_id, "PLATFORM")
    relabel.apply(a)
    b.remove_span(span_id)
    with pytest.raises(ConflictError, match="was removed by someone else since; nothing was"):
        relabel.revert(a)
    assert a.spans(doc) == []


def test_undo_resize_onto_a_span_added_meanwhile_is_refused(a, b, doc, span_id):
    resize = ResizeSpanCommand(span_id, 0, 13)
    resize.apply(a)
    b.add_span(doc, "alice", "ACTOR", 0, 6)
    before = everything(a, doc)
    with pytest.raises(ConflictError, match=r"already exists.*nothing was changed"):
        resize.revert(a)
    assert everything(a, doc) == before


# -- statuses ------------------------------------------------------------------------------


def test_undo_status_keeps_a_status_set_meanwhile(a, b, doc):
    done = SetStatusCommand(doc, "alice", Status.DONE)
    done.apply(a)
    b.set_status(doc, "alice", Status.SKIPPED)
    refused(done, "undo", a, doc)
    assert b.status(doc, "alice") is Status.SKIPPED


def test_undo_and_redo_status_from_todo(a, b, doc):
    done = SetStatusCommand(doc, "alice", Status.DONE)
    done.apply(a)
    b.set_status(doc, "bob", Status.IN_PROGRESS)  # another annotator's row is not ours
    done.revert(a)
    assert b.states(doc) == {"alice": Status.TODO, "bob": Status.IN_PROGRESS}
    b.set_status(doc, "alice", Status.SKIPPED)
    refused(done, "redo", a, doc)


# -- adding and removing -------------------------------------------------------------------


def test_undo_add_is_refused_when_the_span_was_changed_since(a, b, doc):
    add = AddSpanCommand(doc, "alice", "ACTOR", 0, 6)
    add.apply(a)
    b.set_span_note(add.span.id, "keep me")
    refused(add, "undo", a, doc)
    assert values(b, add.span.id) == ("ACTOR", 0, 6, "keep me")


def test_undo_remove_is_refused_when_an_equal_span_exists_now(a, b, doc, span_id):
    remove = RemoveSpanCommand(span_id)
    remove.apply(a)
    b.add_span(doc, "alice", "ACTOR", 0, 6, note="the reviewer's")
    before = everything(a, doc)
    with pytest.raises(ConflictError, match=r"alice has ACTOR \[0, 6\) again.*nothing was"):
        remove.revert(a)
    assert everything(a, doc) == before


def test_undo_remove_is_refused_when_the_document_is_gone(a, b, doc, span_id):
    remove = RemoveSpanCommand(span_id)
    remove.apply(a)
    with b.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM document WHERE id = {doc}")
    with pytest.raises(ConflictError, match=rf"document {doc} was removed.*nothing was changed"):
        remove.revert(a)


def test_redo_remove_is_refused_when_the_span_was_changed_after_the_undo(a, b, doc, span_id):
    remove = RemoveSpanCommand(span_id)
    remove.apply(a)
    remove.revert(a)
    b.set_span_note(span_id, "the reviewer's")
    refused(remove, "redo", a, doc)
    assert values(b, span_id) == ("ACTOR", 0, 6, "the reviewer's")


def test_undo_remove_label_restores_all_or_nothing(a, b, doc):
    (other,) = a.add_document("Another text, long enough.").documents
    a.add_span(doc, "alice", "ACTOR", 0, 6)
    a.add_span(other, "alice", "ACTOR", 0, 7)
    remove = RemoveLabelCommand("ACTOR", force=True)
    remove.apply(a)
    with b.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM document WHERE id = {other}")
    with pytest.raises(ConflictError, match="was removed by someone else"):
        remove.revert(a)
    assert all(label.name != "ACTOR" for label in a.labels()) and a.spans(doc) == []


# -- suggestions ---------------------------------------------------------------------------


def suggest(a, doc, *more):
    """Suggestions ACTOR [0, 6) and `more` for the document: their ids in that order."""
    items = [NewSuggestion(0, 6, "ACTOR"), *more]
    a.store_suggestions(doc, "m", items)
    by_key = {(s.start, s.end, s.label): s.id for s in a.suggestions(doc)}
    return [by_key[(item.start, item.end, item.label)] for item in items]


def test_undo_accept_suggestion_is_refused_when_its_span_was_changed(a, b, doc):
    (suggestion,) = suggest(a, doc)
    accept = AcceptSuggestionCommand(suggestion, "alice")
    accept.apply(a)
    b.resize_span(accept.span.id, 0, 13)
    refused(accept, "undo", a, doc)
    assert a.suggestion(accept.suggestion_id).status is SuggestionStatus.ACCEPTED


def test_undo_reject_suggestion_is_refused_when_decided_again(a, b, doc):
    (suggestion,) = suggest(a, doc)
    reject = RejectSuggestionCommand(suggestion, "alice")
    reject.apply(a)
    b.set_suggestion_status(reject.suggestion_id, SuggestionStatus.ACCEPTED, "alice")
    refused(reject, "undo", a, doc)
    assert a.suggestion(reject.suggestion_id, "alice").status is SuggestionStatus.ACCEPTED


# -- composite steps: all or nothing -------------------------------------------------------


def test_macro_undo_is_all_or_nothing(a, b, doc):
    first, second = suggest(a, doc, NewSuggestion(19, 22, "PLATFORM"))
    macro = MacroCommand(
        "Accept 2 suggestions",
        [AcceptSuggestionCommand(first, "alice"), AcceptSuggestionCommand(second, "alice")],
    )
    macro.apply(a)
    first_span = macro.commands[0].span.id
    b.set_span_note(first_span, "reviewed")  # the first command's span: its undo is refused
    refused(macro, "undo", a, doc)
    assert {s.label for s in a.spans(doc, "alice")} == {"ACTOR", "PLATFORM"}
    assert a.suggestions(doc) == []  # both still accepted: the second was not undone alone


def test_review_accept_undo_keeps_a_gold_relabel(a, b, doc):
    a.add_span(doc, "alice", "ACTOR", 0, 6)
    a.add_span(doc, "bob", "ACTOR", 0, 13)
    accept = AcceptCandidateCommand(doc, "ACTOR", 0, 6)
    accept.apply(a)
    (gold_span,) = a.spans(doc, "gold")
    b.relabel_span(gold_span.id, "PLATFORM")
    refused(accept, "undo", a, doc)
    assert a.gold_annotator() == "gold" and values(a, gold_span.id)[0] == "PLATFORM"


def test_review_reject_undo_is_refused_when_the_rejection_was_withdrawn(a, b, doc):
    a.add_span(doc, "alice", "ACTOR", 0, 6)
    a.set_gold("gold")
    a.add_span(doc, "gold", "ACTOR", 0, 6)
    reject = RejectCandidateCommand(doc, "ACTOR", 0, 6)
    reject.apply(a)
    b.set_rejected(doc, "ACTOR", 0, 6, False)
    refused(reject, "undo", a, doc)
    assert a.spans(doc, "gold") == []


# -- labels --------------------------------------------------------------------------------


def test_undo_rename_keeps_a_description_written_meanwhile(a, b, doc):
    colour = a.label("ACTOR").color
    rename = UpdateLabelCommand("ACTOR", {"new_name": "AGENT", "color": "#abc"})
    rename.apply(a)
    b.update_label("AGENT", description="who acts")
    rename.revert(a)
    actor = b.label("ACTOR")
    assert (actor.color, actor.description) == (colour, "who acts")
    b.update_label("ACTOR", color="#123456")
    with pytest.raises(ConflictError, match=f"label 'ACTOR' {CHANGED}"):
        rename.apply(a)  # redo
    assert b.label("ACTOR").color == "#123456"


def test_undo_add_label_is_refused_when_it_was_changed_since(a, b, doc):
    add = AddLabelCommand("COUNTRY", "#123456")
    add.apply(a)
    b.update_label("COUNTRY", hotkey="9")
    with pytest.raises(ConflictError, match=f"label 'COUNTRY' {CHANGED}"):
        add.revert(a)
    assert a.label("COUNTRY").hotkey == "9"


def test_redo_remove_label_is_refused_when_a_span_got_the_label_since(a, b, doc):
    remove = RemoveLabelCommand("ACTOR", force=True)
    remove.apply(a)
    remove.revert(a)
    b.add_span(doc, "bob", "ACTOR", 0, 6)
    with pytest.raises(ConflictError, match=f"label 'ACTOR' or its spans {CHANGED}"):
        remove.apply(a)
    assert [s.annotator for s in a.spans(doc)] == ["bob"]


def test_macro_apply_is_all_or_nothing(a, b, doc):
    first, second = suggest(a, doc, NewSuggestion(19, 22, "PLATFORM"))
    b.remove_label("PLATFORM", force=True)  # and its suggestion: the second accept fails
    macro = MacroCommand(
        "Accept 2 suggestions",
        [AcceptSuggestionCommand(first, "alice"), AcceptSuggestionCommand(second, "alice")],
    )
    before = everything(a, doc)
    with pytest.raises(NotFoundError):
        macro.apply(a)
    assert everything(a, doc) == before
