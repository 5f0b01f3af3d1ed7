"""Adjudication: candidates of several annotators, their states, progress, and the undoable
decisions that build the gold layer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.adjudication import (
    CandidateState,
    competes,
    progress,
    review_document,
    rival,
)
from annotator.core.errors import Cancelled, ConflictError, NotFoundError
from annotator.core.layers import Layer
from annotator.core.model import Status
from annotator.core.project.review import review_overview
from annotator.core.review_commands import (
    AcceptCandidateCommand,
    RejectCandidateCommand,
    accept_agreed_command,
)

TEXT = "Baykar Makina sold TB2 drones to Poland and Ukraine."
OPEN, ACCEPTED, REJECTED, SUPERSEDED = CandidateState


def states(review):
    return {c.key: c.state for c in review.candidates}


def test_candidates_record_who_marked_what_and_group_overlaps():
    marks = [
        ("alice", "ACTOR", 0, 6),
        ("bob", "ACTOR", 0, 6),
        ("carol", "ACTOR", 0, 13),  # nested: shown in the same group, decided apart
        ("alice", "PLATFORM", 19, 22),
        ("bob", "ACTOR", 19, 22),  # label choice
        ("carol", "PLATFORM", 19, 22),
        ("alice", "ACTOR", 33, 39),
        ("bob", "ACTOR", 33, 39),
        ("carol", "ACTOR", 33, 39),
        ("dave", "ACTOR", 44, 51),  # not compared: ignored
    ]
    review = review_document(7, marks, ["carol", "bob", "alice"])
    assert review.annotators == ("alice", "bob", "carol")
    got = [(c.key, c.annotators, c.agreed, c.group) for c in review.candidates]
    assert got == [
        (("ACTOR", 0, 6), ("alice", "bob"), False, 0),
        (("ACTOR", 0, 13), ("carol",), False, 0),
        (("ACTOR", 19, 22), ("bob",), False, 1),
        (("PLATFORM", 19, 22), ("alice", "carol"), False, 1),
        (("ACTOR", 33, 39), ("alice", "bob", "carol"), True, 2),
    ]
    assert [c.key for c in review.open_agreed()] == [("ACTOR", 33, 39)]
    assert len(review.open_disagreements()) == 4
    assert (review.decided, review.total, review.adjudicated) == (0, 5, False)


def test_states_come_from_gold_and_rejections():
    marks = [("a", "ACTOR", 0, 6), ("b", "ACTOR", 2, 13), ("a", "X", 19, 22), ("b", "Y", 19, 22)]
    marks += [("a", "ACTOR", 33, 39), ("b", "PLATFORM", 30, 45), ("b", "ACTOR", 40, 50)]
    marks += [("a", "ACTOR", 40, 44)]
    review = review_document(
        1,
        marks,
        ["a", "b"],
        gold=[("ACTOR", 2, 13), ("Y", 19, 22), ("ACTOR", 40, 50)],
        rejected=[("ACTOR", 33, 39)],
    )
    assert states(review) == {
        ("ACTOR", 0, 6): SUPERSEDED,  # gold took the other side of the extent choice
        ("ACTOR", 2, 13): ACCEPTED,
        ("X", 19, 22): SUPERSEDED,  # gold took the other label
        ("Y", 19, 22): ACCEPTED,
        ("PLATFORM", 30, 45): OPEN,  # overlaps, but another label: nested spans are fine
        ("ACTOR", 33, 39): REJECTED,
        ("ACTOR", 40, 50): ACCEPTED,
        ("ACTOR", 40, 44): OPEN,  # nested inside a gold span of its label: its own decision
    }
    assert (review.decided, review.total) == (6, 8)


def test_rival_prefers_the_same_extent_then_the_same_label():
    gold = [("ACTOR", 0, 6), ("PLATFORM", 0, 13)]
    assert rival(("ACTOR", 0, 13), gold) == ("PLATFORM", 0, 13)
    assert rival(("ACTOR", 2, 9), gold) == ("ACTOR", 0, 6)
    assert rival(("ACTOR", 0, 6), gold) is None
    assert rival(("ACTOR", 20, 26), gold) is None


OUTER = ("ACTOR", 0, 32)  # "Azerbaijan's Ministry of Defense"
INNER = ("ACTOR", 0, 10)  # "Azerbaijan"


@pytest.mark.parametrize(
    ("key", "other", "expected"),
    [
        (INNER, OUTER, False),  # nested (sharing the start): separate decisions
        (OUTER, INNER, False),
        (("ACTOR", 2, 8), OUTER, False),  # strictly inside
        (("ACTOR", 0, 10), ("PLATFORM", 0, 10), True),  # label choice
        (("ACTOR", 0, 10), ("ACTOR", 5, 20), True),  # extent choice: overlap, neither contains
        (("ACTOR", 0, 10), ("PLATFORM", 5, 20), False),  # another label elsewhere
        (("ACTOR", 0, 10), ("ACTOR", 10, 20), False),  # touching is no overlap
        (INNER, INNER, False),
    ],
)
def test_only_label_and_extent_choices_compete(key, other, expected):
    assert competes(key, other) is expected
    assert competes(other, key) is expected


def test_nested_candidates_are_neither_rivals_nor_superseded():
    assert rival(INNER, [OUTER]) is None and rival(OUTER, [INNER]) is None
    marks = [(who, *key) for who in ("a", "b") for key in (OUTER, INNER)]
    review = review_document(1, marks, ["a", "b"], gold=[OUTER])
    assert states(review) == {INNER: OPEN, OUTER: ACCEPTED}
    assert [c.key for c in review.open_agreed()] == [INNER]


def test_neighbour_disagreement_walks_open_ones_only():
    marks = [("a", "A", 0, 2), ("a", "A", 3, 4), ("b", "A", 3, 4), ("a", "A", 5, 6)]
    marks += [("b", "A", 7, 8), ("a", "A", 9, 10)]
    review = review_document(1, marks, ["a", "b"], rejected=[("A", 7, 8)])
    assert review.neighbour_disagreement(None, +1).key == ("A", 0, 2)
    assert review.neighbour_disagreement(("A", 0, 2), +1).key == ("A", 5, 6)  # skips agreed
    assert review.neighbour_disagreement(("A", 5, 6), +1).key == ("A", 9, 10)  # skips rejected
    assert review.neighbour_disagreement(("A", 9, 10), +1) is None
    assert review.neighbour_disagreement(None, -1).key == ("A", 9, 10)
    assert review.neighbour_disagreement(("A", 3, 4), -1).key == ("A", 0, 2)


def test_empty_document_counts_as_adjudicated_and_progress_adds_up():
    empty = review_document(1, [], ["a", "b"])
    half = review_document(2, [("a", "A", 0, 2), ("b", "B", 3, 4)], ["a", "b"], [("A", 0, 2)])
    assert empty.adjudicated and not half.adjudicated
    got = progress([empty, half])
    assert (got.documents, got.adjudicated, got.decided, got.total) == (2, 1, 1, 2)


@pytest.fixture
def doc(project):
    (doc_id,) = project.add_document(TEXT, "Drones").documents
    for who, label, start, end in [
        ("alice", "ACTOR", 0, 13),  # "Baykar Makina"
        ("bob", "ACTOR", 7, 18),  # "Makina sold": an extent choice (overlap, neither contains)
        ("alice", "PLATFORM", 19, 22),
        ("bob", "ACTOR", 19, 22),
        ("alice", "ACTOR", 33, 39),
        ("bob", "ACTOR", 33, 39),
        ("alice", "ACTOR", 44, 51),
        ("bob", "ACTOR", 44, 51),
    ]:
        project.add_span(doc_id, who, label, start, end)
    return doc_id


def gold_keys(project, doc_id):
    gold = project.gold_annotator()
    return {(s.label, s.start, s.end) for s in project.spans(doc_id, gold)} if gold else set()


def test_accept_adds_to_gold_making_the_gold_layer_and_undo_redo_keep_ids(project, doc):
    assert project.gold_annotator() is None
    command = AcceptCandidateCommand(doc, "ACTOR", 0, 13)
    command.apply(project)
    assert project.gold_annotator() == "gold"
    (span,) = project.spans(doc, "gold")
    command.revert(project)
    assert gold_keys(project, doc) == set()
    command.apply(project)  # redo: the same span, stamped as a new change
    (again,) = project.spans(doc, "gold")
    assert again == replace(span, updated_at=again.updated_at)
    review = project.document_review(doc, ["alice", "bob"])
    assert states(review)[("ACTOR", 7, 18)] is SUPERSEDED


def test_accepting_a_label_or_extent_choice_relabels_or_resizes_the_gold_span(project, doc):
    AcceptCandidateCommand(doc, "PLATFORM", 19, 22).apply(project)
    (span,) = project.spans(doc, "gold")
    relabel = AcceptCandidateCommand(doc, "ACTOR", 19, 22)
    relabel.apply(project)
    assert [(s.id, s.label) for s in project.spans(doc, "gold")] == [(span.id, "ACTOR")]
    relabel.revert(project)
    assert [(s.id, s.label) for s in project.spans(doc, "gold")] == [(span.id, "PLATFORM")]
    AcceptCandidateCommand(doc, "ACTOR", 0, 13).apply(project)
    resize = AcceptCandidateCommand(doc, "ACTOR", 7, 18)
    resize.apply(project)
    assert gold_keys(project, doc) == {("ACTOR", 7, 18), ("PLATFORM", 19, 22)}
    resize.revert(project)
    assert gold_keys(project, doc) == {("ACTOR", 0, 13), ("PLATFORM", 19, 22)}


def test_reject_persists_drops_the_gold_span_and_undoes(project, doc, tmp_path):
    accept = AcceptCandidateCommand(doc, "ACTOR", 0, 6)
    accept.apply(project)
    reject = RejectCandidateCommand(doc, "ACTOR", 0, 6)
    reject.apply(project)
    assert project.rejections(doc) == {("ACTOR", 0, 6)}
    assert gold_keys(project, doc) == set()
    reject.revert(project)
    assert project.rejections(doc) == set()
    assert gold_keys(project, doc) == {("ACTOR", 0, 6)}
    reject.apply(project)
    again = AcceptCandidateCommand(doc, "ACTOR", 0, 6)  # accepting withdraws the rejection
    again.apply(project)
    assert (project.rejections(doc), gold_keys(project, doc)) == (set(), {("ACTOR", 0, 6)})
    again.revert(project)
    assert project.rejections(doc) == {("ACTOR", 0, 6)}
    project.close()
    from annotator.core.project import Project

    with Project.open(project.path) as reopened:  # stored at once
        assert reopened.rejections(doc) == {("ACTOR", 0, 6)}


def test_accept_all_agreed_is_one_step_and_gold_exports(project, doc):
    project.set_gold("reviewer")
    review = project.document_review(doc, ["alice", "bob"])
    macro = accept_agreed_command(review)
    macro.apply(project)
    assert gold_keys(project, doc) == {("ACTOR", 33, 39), ("ACTOR", 44, 51)}
    assert project.gold_annotator() == "reviewer"  # an existing gold layer is used
    macro.revert(project)
    assert gold_keys(project, doc) == set()
    macro.apply(project)
    assert accept_agreed_command(project.document_review(doc, ["alice", "bob"])) is None
    exported = Layer(project, "gold").spans(doc)
    assert [(s.label, s.start, s.end) for s in exported] == [("ACTOR", 33, 39), ("ACTOR", 44, 51)]


def test_review_documents_are_the_ones_every_compared_annotator_touched(project, doc):
    (second,) = project.add_document("Only alice read this.").documents
    project.add_span(second, "alice", "ACTOR", 0, 4)
    (third,) = project.add_document("Both finished, nothing to mark.").documents
    project.set_status(third, "alice", Status.DONE)
    project.set_status(third, "bob", Status.DONE)
    assert project.review_documents(["alice", "bob"]) == [doc, third]
    reviews = project.document_reviews([doc, third], ["alice", "bob"])
    assert (reviews[doc].total, reviews[third].total) == (6, 0)


@pytest.mark.parametrize(
    ("names", "error", "message"),
    [
        (["alice"], ConflictError, "at least two"),
        (["alice", "alice"], ConflictError, "at least two"),
        (["alice", "nobody"], NotFoundError, "no annotator named 'nobody'"),
        (["alice", "gold"], ConflictError, "is the gold layer"),
    ],
)
def test_bad_annotator_choices_are_refused(project, doc, names, error, message):
    project.set_gold("gold")
    with pytest.raises(error, match=message):
        project.review_documents(names)
    with pytest.raises(error, match=message):
        project.document_review(doc, names)


def test_rejection_of_an_unknown_label_or_document_changes_nothing(project, doc):
    with pytest.raises(NotFoundError, match="no label named 'NOPE'"):
        project.set_rejected(doc, "NOPE", 0, 6, True)
    with pytest.raises(NotFoundError, match="no document with id 999"):
        project.set_rejected(999, "ACTOR", 0, 6, True)
    assert project.rejections(doc) == set()


class _Token:
    def __init__(self, cancel: bool = False) -> None:
        self.reports: list[tuple[int, int]] = []
        self.cancel = cancel

    def report(self, done: int, total: int) -> None:
        self.reports.append((done, total))

    def cancelled(self) -> bool:
        return self.cancel


def test_review_overview_counts_shared_documents_in_its_own_project(project, doc):
    token = _Token()
    found = review_overview(project.location, ["alice", "bob"], progress=token)
    assert list(found) == [doc] and found[doc].total == 6
    assert token.reports[-1] == (1, 1)
    with pytest.raises(Cancelled):
        review_overview(project.location, ["alice", "bob"], progress=_Token(cancel=True))
