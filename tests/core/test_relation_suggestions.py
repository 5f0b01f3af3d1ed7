"""Relation suggestions: learned from the relations people made, stored per annotator, accepted
into relations or rejected (each undoable, one transaction), counted in the quality report."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.commands import (
    AcceptRelationSuggestionCommand,
    RejectRelationSuggestionCommand,
    RemoveSpanCommand,
)
from annotator.core.errors import AnnotatorError, ConflictError
from annotator.core.model import SpanSource, SuggestionStatus
from annotator.nlp.relation_runner import RELATION_MODEL, suggest_relations

TRAINING = [
    "Azerbaijan bought JF-17C Thunder jets from Pakistan.",
    "Morocco bought C390 transports from Brazil.",
    "Indonesia bought KF-21 fighters from Korea.",
]
NEW = "Egypt 🚀 bought Rafale jets from France."
PLATFORMS = {"JF-17C Thunder", "C390", "KF-21", "Rafale"}


def mark_sentence(project, text: str, annotator: str = "alice") -> tuple[int, dict[str, int]]:
    """Store `text`, mark its buyer, seller (ACTOR) and platform; span ids by word."""
    doc_id = next(iter(project.add_document(text).documents))
    words = text.replace(".", "").replace("🚀 ", "").split(" ")
    buyer, seller = words[0], words[-1]
    platform = next(p for p in PLATFORMS if p in text)
    ids = {}
    for label, word in (("ACTOR", buyer), ("PLATFORM", platform), ("ACTOR", seller)):
        start = text.index(word)
        ids[word] = project.add_span(
            doc_id, annotator, label, start, start + len(word)
        ).spans_added[0]
    return doc_id, ids


def related(project, doc_id: int, ids: dict[str, int], text: str, annotator: str = "alice") -> None:
    words = text.replace(".", "").split(" ")
    platform = next(p for p in PLATFORMS if p in text)
    project.add_relation(doc_id, annotator, "BUYS", ids[words[0]], ids[platform])
    project.add_relation(doc_id, annotator, "SUPPLIES", ids[words[-1]], ids[platform])


@pytest.fixture
def trained(project):
    for text in TRAINING:
        doc_id, ids = mark_sentence(project, text)
        related(project, doc_id, ids, text)
    return project


def dump(project) -> list[str]:
    with sqlite3.connect(project.path) as conn:
        return list(conn.iterdump())


def test_a_run_proposes_what_the_annotator_related_before_in_the_same_words(trained) -> None:
    doc_id, ids = mark_sentence(trained, NEW)
    report = suggest_relations(trained, "alice", [doc_id])
    assert (report.learned_from, report.documents, report.proposed) == (6, 1, 2)
    found = {
        (s.type, s.head, s.tail, s.model) for s in trained.relation_suggestions(doc_id, "alice")
    }
    assert found == {
        ("BUYS", ids["Egypt"], ids["Rafale"], RELATION_MODEL),
        ("SUPPLIES", ids["France"], ids["Rafale"], RELATION_MODEL),
    }


def test_nothing_is_proposed_before_any_relation_and_nothing_stored(project) -> None:
    doc_id, _ = mark_sentence(project, NEW)
    before = dump(project)
    report = suggest_relations(project, "alice", [doc_id])
    assert (report.learned_from, report.proposed) == (0, 0)
    assert dump(project) == before


def test_another_annotators_relations_are_not_learned(trained) -> None:
    doc_id, _ = mark_sentence(trained, NEW, annotator="bob")
    assert suggest_relations(trained, "bob", [doc_id]).learned_from == 0
    assert trained.relation_suggestions(doc_id, "bob") == []


def test_accept_makes_a_relation_and_undo_and_redo_follow(trained) -> None:
    doc_id, ids = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    buys = next(s for s in trained.relation_suggestions(doc_id, "alice") if s.type == "BUYS")
    command = AcceptRelationSuggestionCommand(buys.id, buys.type)
    changes = command.apply(trained)
    (relation,) = trained.relations(doc_id, "alice")
    assert (relation.type, relation.head, relation.tail) == ("BUYS", ids["Egypt"], ids["Rafale"])
    assert relation.source == SpanSource.SUGGESTION
    assert changes.relations_added == (relation.id,) and doc_id in changes.relation_suggestions
    assert buys.id not in {s.id for s in trained.relation_suggestions(doc_id, "alice")}
    command.revert(trained)
    assert trained.relations(doc_id, "alice") == []
    assert buys.id in {s.id for s in trained.relation_suggestions(doc_id, "alice")}
    command.apply(trained)
    assert [r.id for r in trained.relations(doc_id, "alice")] == [relation.id]
    assert command.text == "Accept BUYS relation suggestion"


def test_a_rejected_proposal_is_not_proposed_again_and_undo_brings_it_back(trained) -> None:
    doc_id, _ = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    buys = next(s for s in trained.relation_suggestions(doc_id, "alice") if s.type == "BUYS")
    command = RejectRelationSuggestionCommand(buys.id, buys.type)
    command.apply(trained)
    suggest_relations(trained, "alice", [doc_id])
    assert [s.type for s in trained.relation_suggestions(doc_id, "alice")] == ["SUPPLIES"]
    command.revert(trained)
    assert {s.type for s in trained.relation_suggestions(doc_id, "alice")} == {"BUYS", "SUPPLIES"}


def test_a_decision_taken_elsewhere_refuses_the_undo_and_changes_nothing(trained) -> None:
    doc_id, _ = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    buys = next(s for s in trained.relation_suggestions(doc_id, "alice") if s.type == "BUYS")
    command = RejectRelationSuggestionCommand(buys.id, buys.type)
    command.apply(trained)
    trained.replace_relation_suggestion_status(
        buys.id, SuggestionStatus.REJECTED, SuggestionStatus.PENDING
    )
    trained.accept_relation_suggestion(buys.id)
    before = dump(trained)
    with pytest.raises(ConflictError, match="nothing was changed"):
        command.revert(trained)
    assert dump(trained) == before


def test_an_accept_the_type_no_longer_allows_is_refused_and_changes_nothing(trained) -> None:
    doc_id, ids = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    buys = next(s for s in trained.relation_suggestions(doc_id, "alice") if s.type == "BUYS")
    trained.relabel_span(ids["Rafale"], "MOTIVATION")
    before = dump(trained)
    with pytest.raises(AnnotatorError):
        trained.accept_relation_suggestion(buys.id)
    assert dump(trained) == before


def test_removing_a_span_removes_its_proposals(trained) -> None:
    doc_id, ids = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    RemoveSpanCommand(ids["Rafale"]).apply(trained)
    assert trained.relation_suggestions(doc_id, "alice") == []


def test_quality_counts_decisions_per_model_and_type(trained) -> None:
    doc_id, _ = mark_sentence(trained, NEW)
    suggest_relations(trained, "alice", [doc_id])
    by_type = {s.type: s for s in trained.relation_suggestions(doc_id, "alice")}
    trained.accept_relation_suggestion(by_type["BUYS"].id)
    trained.reject_relation_suggestion(by_type["SUPPLIES"].id)
    quality = {
        (q.type, q.accepted, q.rejected, q.pending) for q in trained.relation_suggester_quality()
    }
    assert quality == {("BUYS", 1, 0, 0), ("SUPPLIES", 0, 1, 0)}
    assert {q.type: q.precision for q in trained.relation_suggester_quality("alice")} == {
        "BUYS": 1.0,
        "SUPPLIES": 0.0,
    }
