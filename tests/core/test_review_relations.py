"""Review of relations: candidates from the compared annotators' layers, accepted into gold
(with the gold spans they need, in one undoable step) or rejected."""

from __future__ import annotations

import pytest

from annotator.core.adjudication import CandidateState, review_document
from annotator.core.errors import AnnotatorError
from annotator.core.review_commands import (
    AcceptRelationCandidateCommand,
    RejectRelationCandidateCommand,
    accept_agreed_command,
)

TEXT = "Azerbaijan buys JF-17C jets from Pakistan, a partner of Turkey."
OPEN, ACCEPTED, REJECTED, _ = CandidateState


def end(label: str, word: str) -> tuple[str, int, int]:
    start = TEXT.index(word)
    return (label, start, start + len(word))


AZ, JETS, PK, TR = (
    end("ACTOR", "Azerbaijan"),
    end("PLATFORM", "JF-17C jets"),
    end("ACTOR", "Pakistan"),
    end("ACTOR", "Turkey"),
)
BUYS = ("BUYS", AZ, JETS)
SUPPLIES = ("SUPPLIES", PK, JETS)
PARTNERS = ("PARTNERS_WITH", PK, TR)  # symmetric: ends in sorted order


@pytest.fixture
def doc(project):
    (doc_id,) = project.add_document(TEXT, verbatim=True).documents
    for who in ("alice", "bob"):
        ids = {
            key: project.add_span(doc_id, who, *key).spans_added[0] for key in (AZ, JETS, PK, TR)
        }
        project.add_relation(doc_id, who, "BUYS", ids[AZ], ids[JETS])  # agreed
        pair = (ids[PK], ids[TR]) if who == "alice" else (ids[TR], ids[PK])
        project.add_relation(doc_id, who, "PARTNERS_WITH", *pair)  # agreed, either order
    alice = {(s.label, s.start, s.end): s.id for s in project.spans(doc_id, "alice")}
    project.add_relation(doc_id, "alice", "SUPPLIES", alice[PK], alice[JETS])  # alice only
    return doc_id


def gold_links(project, doc_id) -> set[tuple]:
    gold = project.gold_annotator()
    ends = {s.id: (s.label, s.start, s.end) for s in project.spans(doc_id, gold)}
    return {(r.type, ends[r.head], ends[r.tail]) for r in project.relations(doc_id, gold)}


def gold_spans(project, doc_id) -> set[tuple]:
    return {(s.label, s.start, s.end) for s in project.spans(doc_id, project.gold_annotator())}


def test_relation_candidates_say_who_linked_what(project, doc):
    review = project.document_review(doc, ["alice", "bob"])
    got = [(r.key, r.annotators, r.agreed, r.state) for r in review.relations]
    assert got == [
        (BUYS, ("alice", "bob"), True, OPEN),
        (SUPPLIES, ("alice",), False, OPEN),
        (PARTNERS, ("alice", "bob"), True, OPEN),
    ]
    assert review.total == 4 + 3  # span candidates and relation candidates
    assert [r.key for r in review.open_agreed_relations()] == [BUYS, PARTNERS]


def test_accepting_adds_the_gold_spans_and_the_relation_in_one_undoable_step(project, doc):
    command = AcceptRelationCandidateCommand(doc, SUPPLIES)
    command.apply(project)
    assert gold_links(project, doc) == {SUPPLIES}
    assert gold_spans(project, doc) == {PK, JETS}
    ids = {s.id for s in project.spans(doc, "gold")}
    review = project.document_review(doc, ["alice", "bob"])
    assert review.find_relation(SUPPLIES).state is ACCEPTED
    command.revert(project)
    assert project.spans(doc, "gold") == [] and project.relations(doc, "gold") == []
    command.apply(project)  # redo: the same spans come back
    assert {s.id for s in project.spans(doc, "gold")} == ids
    assert gold_links(project, doc) == {SUPPLIES}


def test_accepting_links_gold_spans_already_there(project, doc):
    accept = AcceptRelationCandidateCommand(doc, BUYS)
    accept.apply(project)
    spans = {s.id for s in project.spans(doc, "gold")}
    AcceptRelationCandidateCommand(doc, SUPPLIES).apply(project)  # JETS is in gold already
    assert gold_spans(project, doc) == {AZ, JETS, PK}
    assert spans < {s.id for s in project.spans(doc, "gold")}
    assert gold_links(project, doc) == {BUYS, SUPPLIES}


def test_rejecting_persists_removes_the_gold_relation_keeps_its_spans_and_undoes(project, doc):
    AcceptRelationCandidateCommand(doc, BUYS).apply(project)
    reject = RejectRelationCandidateCommand(doc, BUYS)
    reject.apply(project)
    assert project.relation_rejections(doc) == {BUYS}
    assert gold_links(project, doc) == set() and gold_spans(project, doc) == {AZ, JETS}
    review = project.document_review(doc, ["alice", "bob"])
    assert review.find_relation(BUYS).state is REJECTED
    reject.revert(project)
    assert project.relation_rejections(doc) == set()
    assert gold_links(project, doc) == {BUYS}
    reject.apply(project)
    again = AcceptRelationCandidateCommand(doc, BUYS)  # accepting withdraws the rejection
    again.apply(project)
    assert (project.relation_rejections(doc), gold_links(project, doc)) == (set(), {BUYS})


def test_accept_agreed_takes_agreed_relations_too(project, doc):
    review = project.document_review(doc, ["alice", "bob"])
    command = accept_agreed_command(review)
    assert command.text == "Accept 4 agreed spans and 2 relations"
    command.apply(project)
    assert gold_links(project, doc) == {BUYS, PARTNERS}
    assert project.document_review(doc, ["alice", "bob"]).open_agreed_relations() == []


def test_a_refused_accept_changes_nothing(project, doc):
    project.update_relation_type("SUPPLIES", head_labels=("MOTIVATION",))
    with pytest.raises(AnnotatorError):
        AcceptRelationCandidateCommand(doc, SUPPLIES).apply(project)
    assert project.gold_annotator() is None  # neither the gold layer nor its spans were made
    assert "gold" not in {a.name for a in project.annotators()}
    assert project.spans(doc, "gold") == []


def test_stepping_through_disagreements_takes_spans_then_relations():
    marks = [("alice", *AZ), ("bob", *AZ), ("alice", *JETS), ("alice", *PK), ("bob", *PK)]
    relations = [
        ("alice", BUYS),  # only alice: a disagreement
        ("alice", PARTNERS),
        ("bob", PARTNERS),  # agreed: not a stop
        ("bob", SUPPLIES),  # only bob: a disagreement
    ]
    review = review_document(1, marks, ["alice", "bob"], relations=relations)
    jets = review.find(JETS)
    buys, supplies = review.find_relation(BUYS), review.find_relation(SUPPLIES)
    assert [r.key for r in review.open_relation_disagreements()] == [BUYS, SUPPLIES]
    assert review.next_stop(None, None, +1) == jets
    assert review.next_stop(JETS, None, +1) == buys  # after the spans come the relations
    assert review.next_stop(None, BUYS, +1) == supplies
    assert review.next_stop(None, SUPPLIES, +1) is None
    assert review.next_stop(None, BUYS, -1) == jets  # and back to the spans
    assert review.next_stop(JETS, None, -1) is None
    assert (review.first_stop(+1), review.first_stop(-1)) == (jets, supplies)
