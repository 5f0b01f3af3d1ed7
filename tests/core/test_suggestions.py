"""Suggestions in storage: replace per model, accept into a layer, reject for good, undo."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event

from annotator.core.commands import AcceptSuggestionCommand, RejectSuggestionCommand
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import Decision, NewSuggestion, SpanSource, SuggestionStatus

TEXT = "Baykar 🚀 sold TB2 drones to Azerbaijan; baykar will also sell the Akinci."


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT).documents))


def offsets(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.lower().index(word.lower(), start + 1)
    return start, start + len(word)


def test_store_replaces_a_models_pending_suggestions_and_skips_nonsense(project, doc_id):
    project.store_suggestions(doc_id, "lexicon", [NewSuggestion(*offsets("Baykar"), "ACTOR")])
    changes = project.store_suggestions(
        doc_id,
        "lexicon",
        [
            NewSuggestion(*offsets("TB2"), "PLATFORM", 0.8),
            NewSuggestion(*offsets("TB2"), "PLATFORM", 0.8),  # duplicate
            NewSuggestion(0, 999, "ACTOR"),  # outside the text
            NewSuggestion(*offsets("Akinci"), "UNKNOWN"),  # no such label
        ],
    )
    assert changes.suggestions == {doc_id}
    assert [(s.label, TEXT[s.start : s.end], s.score) for s in project.suggestions(doc_id)] == [
        ("PLATFORM", "TB2", 0.8)
    ]
    project.store_suggestions(
        doc_id, "pipeline:x", [NewSuggestion(*offsets("Azerbaijan"), "ACTOR")]
    )
    assert len(project.suggestions(doc_id)) == 2  # other models' suggestions are kept


def test_accept_creates_a_span_with_source_suggestion_and_undo_restores(project, doc_id):
    project.store_suggestions(doc_id, "lexicon", [NewSuggestion(*offsets("Baykar"), "ACTOR")])
    (suggestion,) = project.suggestions(doc_id)
    command = AcceptSuggestionCommand(suggestion.id, "alice")
    changes = command.apply(project)
    (span,) = project.spans(doc_id, "alice")
    assert changes.spans_added == (span.id,) and span.source is SpanSource.SUGGESTION
    assert project.suggestions(doc_id) == []
    assert project.suggestion(suggestion.id).status is SuggestionStatus.ACCEPTED
    assert command.text == "Accept ACTOR suggestion"
    command.revert(project)
    assert project.spans(doc_id) == []
    assert [s.id for s in project.suggestions(doc_id)] == [suggestion.id]
    command.apply(project)
    assert [s.id for s in project.spans(doc_id)] == [span.id]  # redo: the same span id


def test_accepting_what_the_annotator_already_marked_only_records_the_decision(project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", *offsets("Baykar"))
    project.store_suggestions(doc_id, "lexicon", [NewSuggestion(*offsets("Baykar"), "ACTOR")])
    (suggestion,) = project.suggestions(doc_id)
    changes = project.accept_suggestion(suggestion.id, "alice")
    assert changes.spans_added == ()
    assert len(project.spans(doc_id)) == 1


def test_rejected_suggestions_are_not_proposed_again(project, doc_id):
    proposal = [NewSuggestion(*offsets("Baykar", 1), "ACTOR")]
    project.store_suggestions(doc_id, "lexicon", proposal)
    (suggestion,) = project.suggestions(doc_id)
    command = RejectSuggestionCommand(suggestion.id, "alice")
    (decided,) = command.apply(project).decided  # carried with its values: views read nothing
    assert decided == Decision("alice", replace(suggestion, status=SuggestionStatus.REJECTED))
    project.store_suggestions(doc_id, "lexicon", proposal)
    project.store_suggestions(doc_id, "project-model", proposal)  # by any model
    assert project.suggestions(doc_id) == []
    (quality,) = project.suggester_quality()
    assert (quality.model, quality.rejected, quality.precision) == ("lexicon", 1, 0.0)
    (undone,) = command.revert(project).decided
    assert undone == Decision("alice", suggestion)  # pending again
    assert [s.id for s in project.suggestions(doc_id)] == [suggestion.id]


def test_a_batch_skips_a_decided_place_only_in_its_own_document(project, doc_id):
    """A place someone decided in one document blocks that document's proposal, not the same
    offsets in another; a place proposed twice in a batch is stored once, the first time."""
    other = next(iter(project.add_document(TEXT + " Again.").documents))
    proposal = [NewSuggestion(*offsets("Baykar"), "ACTOR", 0.75)]
    project.store_suggestions(doc_id, "lexicon", proposal)
    (suggestion,) = project.suggestions(doc_id)
    project.reject_suggestion(suggestion.id, "alice")
    twice = [*proposal, NewSuggestion(*offsets("Baykar"), "ACTOR", 0.25)]
    project.store_suggestion_batch("project-model", {doc_id: twice, other: twice})
    assert [(s.document_id, s.model, s.score) for s in project.suggestions(other)] == [
        (other, "project-model", 0.75)
    ]
    assert project.suggestions(doc_id) == []
    everything = project.suggestions(doc_id, None, annotator="alice")
    assert [(s.model, s.status) for s in everything] == [("lexicon", SuggestionStatus.REJECTED)]


def test_human_phrases_feed_the_lexicon_with_how_often_each_was_marked(project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", *offsets("Baykar"))
    project.add_span(doc_id, "bob", "ACTOR", *offsets("baykar", 1))
    project.add_span(doc_id, "alice", "ACTOR", *offsets("baykar", 1))
    project.add_span(doc_id, "alice", "PLATFORM", *offsets("TB2 drones"))
    assert project.human_phrases() == {
        "ACTOR": {"Baykar": 1, "baykar": 2},
        "PLATFORM": {"TB2 drones": 1},
    }
    assert project.human_phrases("bob") == {"ACTOR": {"baykar": 1}}


def test_project_settings_round_trip(project):
    assert project.get_setting("label_map", {}) == {}
    project.set_setting("label_map", {"GPE": "ACTOR", "PRODUCT": "PLATFORM"})
    assert project.get_setting("label_map") == {"GPE": "ACTOR", "PRODUCT": "PLATFORM"}
    project.set_setting("label_map", None)
    assert project.get_setting("label_map") is None


def test_unknown_suggestion(project):
    with pytest.raises(NotFoundError):
        project.reject_suggestion(42, "alice")
    with pytest.raises(NotFoundError):
        project.store_suggestions(42, "lexicon", [])


def test_quality_precision_from_decisions_and_recall_against_gold(project, doc_id):
    project.store_suggestions(
        doc_id,
        "lexicon",
        [
            NewSuggestion(*offsets(w), lab)
            for w, lab in [("Baykar", "ACTOR"), ("TB2", "PLATFORM"), ("Akinci", "ACTOR")]
        ],
    )
    baykar, tb2, akinci = project.suggestions(doc_id)
    project.accept_suggestion(baykar.id, "alice")
    project.accept_suggestion(tb2.id, "alice")
    project.reject_suggestion(akinci.id, "alice")
    project.set_gold("gold")
    project.add_span(doc_id, "gold", "ACTOR", *offsets("Baykar"))
    project.add_span(doc_id, "gold", "ACTOR", *offsets("Azerbaijan"))
    (quality,) = project.suggester_quality()
    assert (quality.accepted, quality.rejected, quality.pending) == (2, 1, 0)
    assert quality.precision == pytest.approx(2 / 3)
    assert (quality.gold_spans, quality.gold_found, quality.recall) == (2, 1, 0.5)


def test_one_annotators_decisions_leave_everyone_elses_pending_and_precision(project, doc_id):
    words = [("Baykar", "ACTOR"), ("TB2", "PLATFORM"), ("Akinci", "ACTOR")]
    project.store_suggestions(
        doc_id, "lexicon", [NewSuggestion(*offsets(w), lab) for w, lab in words]
    )
    baykar, tb2, akinci = project.suggestions(doc_id, annotator="bob")
    project.accept_suggestion(baykar.id, "bob")
    rejections = {  # reject-all, as the app does it
        suggestion.id: RejectSuggestionCommand(suggestion.id, "mallory")
        for suggestion in project.suggestions(doc_id, annotator="mallory")
    }
    for command in rejections.values():
        command.apply(project)
    assert project.suggestions(doc_id, annotator="mallory") == []
    assert [s.id for s in project.suggestions(doc_id, annotator="bob")] == [tb2.id, akinci.id]
    assert project.suggestion(baykar.id, "bob").status is SuggestionStatus.ACCEPTED
    assert project.suggestion(baykar.id, "mallory").status is SuggestionStatus.REJECTED
    (bobs,) = project.suggester_quality("bob")
    assert (bobs.accepted, bobs.rejected, bobs.pending, bobs.precision) == (1, 0, 2, 1.0)
    (everyones,) = project.suggester_quality()
    assert (everyones.accepted, everyones.rejected, everyones.pending) == (1, 3, 0)
    project.store_suggestions(doc_id, "lexicon", [])  # a re-run keeps every decided suggestion
    assert [s.id for s in project.suggestions(doc_id, annotator="bob")] == [tb2.id, akinci.id]
    rejections[tb2.id].revert(project)  # undo: pending for her again
    assert [s.id for s in project.suggestions(doc_id, annotator="mallory")] == [tb2.id]


def test_accepting_a_suggestion_resolves_its_competitors_in_one_undoable_step(project, doc_id):
    drones = offsets("TB2 drones")
    project.store_suggestions(
        doc_id,
        "lexicon",
        [
            NewSuggestion(*drones, "PLATFORM"),
            NewSuggestion(*offsets("TB2"), "PLATFORM"),  # inside, same suggester: rejected
            NewSuggestion(*offsets("drones"), "ACTOR"),  # inside, same suggester: rejected
            NewSuggestion(*offsets("Azerbaijan"), "ACTOR"),  # elsewhere: stays
        ],
    )
    project.store_suggestions(
        doc_id,
        "pipeline:x",
        [
            NewSuggestion(*drones, "ACTOR"),  # same extent, another label: rejected
            NewSuggestion(*drones, "PLATFORM"),  # the same proposal: accepted with it
            NewSuggestion(*offsets("TB2"), "PLATFORM"),  # inside, another suggester: stays
        ],
    )
    every = {(s.model, s.label, TEXT[s.start : s.end]): s.id for s in project.suggestions(doc_id)}
    accepted = every["lexicon", "PLATFORM", "TB2 drones"]
    commits: list[int] = []
    event.listen(project.engine, "commit", lambda _conn: commits.append(1))
    command = AcceptSuggestionCommand(accepted, "alice")
    changes = command.apply(project)
    assert len(commits) == 1

    def decisions() -> dict[tuple[str, str, str], str]:
        return {key: project.suggestion(sid, "alice").status.value for key, sid in every.items()}

    after = {
        ("lexicon", "PLATFORM", "TB2 drones"): "accepted",
        ("lexicon", "PLATFORM", "TB2"): "rejected",
        ("lexicon", "ACTOR", "drones"): "rejected",
        ("lexicon", "ACTOR", "Azerbaijan"): "pending",
        ("pipeline:x", "ACTOR", "TB2 drones"): "rejected",
        ("pipeline:x", "PLATFORM", "TB2 drones"): "accepted",
        ("pipeline:x", "PLATFORM", "TB2"): "pending",
    }
    assert decisions() == after
    assert {(d.suggestion.id, d.suggestion.status.value) for d in changes.decided} == {
        (every[key], status) for key, status in after.items() if status != "pending"
    }  # the open document learns every decision from the record
    assert [(s.label, TEXT[s.start : s.end]) for s in project.spans(doc_id, "alice")] == [
        ("PLATFORM", "TB2 drones")
    ]
    assert {s.status for s in project.suggestions(doc_id, None, annotator="bob")} == {
        SuggestionStatus.PENDING  # decisions are alice's own
    }

    commits.clear()
    command.revert(project)
    assert len(commits) == 1
    assert set(decisions().values()) == {"pending"} and project.spans(doc_id) == []
    command.apply(project)  # redo
    assert decisions() == after

    command.revert(project)
    project.reject_suggestion(every["pipeline:x", "PLATFORM", "TB2 drones"], "alice")
    with pytest.raises(ConflictError, match="nothing was changed"):
        command.apply(project)  # another window decided one of them since
    assert project.spans(doc_id) == []
    assert decisions()["lexicon", "PLATFORM", "TB2 drones"] == "pending"
