"""Project.documents ordering (id, title, status, spans, length; id breaks ties) and ids filter."""

from __future__ import annotations

import pytest
from bench.suggested_list import build

from annotator.core.model import NewSuggestion, Status
from annotator.core.project import DocumentFilter, Project

ALICE = DocumentFilter(annotator="alice")


@pytest.fixture
def ids(project) -> list[int]:
    """Five documents: titles, lengths, alice's statuses and span counts all differ or tie."""
    specs = [
        ("beta", "x" * 30),
        ("Alpha", "x" * 10 + "a"),
        ("gamma", "x" * 20),
        ("alpha", "x" * 10 + "b"),
        ("delta", "x" * 40),
    ]
    found = [next(iter(project.add_document(text, title=title).documents)) for title, text in specs]
    project.set_status(found[0], "alice", Status.DONE)
    project.set_status(found[2], "alice", Status.IN_PROGRESS)
    project.set_status(found[4], "alice", Status.SKIPPED)
    project.add_span(found[2], "alice", "ACTOR", 0, 1)
    project.add_span(found[2], "alice", "ACTOR", 1, 2)
    project.add_span(found[4], "alice", "PLATFORM", 0, 1)
    project.add_span(found[1], "bob", "PLATFORM", 0, 1)  # not alice's: counts 0 for her
    return found


def order_of(project, ids, order, descending=False, where=ALICE):
    found = project.documents(where, order=order, descending=descending)
    return [ids.index(d.id) for d in found]


def test_default_order_is_by_id(project, ids):
    assert order_of(project, ids, "id") == [0, 1, 2, 3, 4]
    assert [d.id for d in project.documents(ALICE)] == ids
    assert order_of(project, ids, "id", descending=True) == [4, 3, 2, 1, 0]


def test_title_order_ignores_case_and_breaks_ties_by_id(project, ids):
    assert order_of(project, ids, "title") == [1, 3, 0, 4, 2]
    assert order_of(project, ids, "title", descending=True) == [2, 4, 0, 3, 1]


def test_status_order_follows_the_workflow_of_the_annotator(project, ids):
    # todo (1, 3), skipped (4), in progress (2), done (0)
    assert order_of(project, ids, "status") == [1, 3, 4, 2, 0]
    assert order_of(project, ids, "status", descending=True) == [0, 2, 4, 3, 1]


def test_span_order_counts_only_the_annotators_spans(project, ids):
    assert order_of(project, ids, "spans") == [0, 1, 3, 4, 2]
    anyone = order_of(project, ids, "spans", where=DocumentFilter())
    assert anyone == [0, 3, 1, 4, 2]


def test_length_order(project, ids):
    assert order_of(project, ids, "length") == [1, 3, 2, 0, 4]
    assert order_of(project, ids, "length", descending=True) == [4, 0, 2, 3, 1]


def test_order_combines_with_offset_limit_and_filters(project, ids):
    page = project.documents(ALICE, order="length", offset=1, limit=2)
    assert [ids.index(d.id) for d in page] == [3, 2]
    todo = DocumentFilter(annotator="alice", status=Status.TODO)
    assert order_of(project, ids, "title", descending=True, where=todo) == [3, 1]


def test_unknown_order_is_refused(project, ids):
    with pytest.raises(ValueError, match="cannot order documents by 'colour'"):
        project.documents(ALICE, order="colour")


def test_ids_filter_restricts_to_those_documents(project, ids):
    chosen = DocumentFilter(annotator="alice", ids=(ids[4], ids[1]))
    assert [d.id for d in project.documents(chosen)] == [ids[1], ids[4]]
    assert project.count_documents(chosen) == 2
    assert project.documents(DocumentFilter(ids=())) == []
    assert project.count_documents(DocumentFilter(ids=(9999,))) == 0


def test_uncertain_order_puts_unsure_suggestions_first_and_done_or_unsuggested_last(project):
    """Mean of min(score, 1 - score) over the suggestions alice has not decided, highest first;
    documents without pending suggestions, then done ones, last."""
    ids = [next(iter(project.add_document(f"text {n} " * 3).documents)) for n in range(5)]
    suggest = {  # document index: scores
        0: [0.95, 0.9],  # sure: 0.075
        1: [0.5, 0.45],  # unsure: 0.475
        2: [0.7],  # 0.3
        4: [0.5],  # the most unsure, but done
    }
    for n, scores in suggest.items():
        items = [NewSuggestion(i, i + 1, "ACTOR", score) for i, score in enumerate(scores)]
        project.store_suggestions(ids[n], "m", items)
    project.set_status(ids[4], "alice", Status.DONE)
    assert order_of(project, ids, "uncertain") == [1, 2, 0, 3, 4]
    unsure = project.suggestions(ids[1])
    for suggestion in unsure:  # decided by alice: no longer pending for her, still for bob
        project.reject_suggestion(suggestion.id, "alice")
    assert order_of(project, ids, "uncertain") == [2, 0, 1, 3, 4]
    bob = DocumentFilter(annotator="bob")
    assert order_of(project, ids, "uncertain", where=bob)[:3] == [4, 1, 2]
    assert order_of(project, ids, "uncertain", where=DocumentFilter()) == [2, 0, 1, 3, 4]


def test_uncertain_order_of_a_generated_list_is_the_one_worked_out(tmp_path):
    """600 documents (done ones, unsuggested ones, suggestions alice rejected; written by raw
    SQLite inserts): the ids in UNCERTAIN order, read in one statement, and the pages of the
    list agree with the order computed in Python from what was written."""
    Project.create(tmp_path / "list.db").close()
    made = build(tmp_path / "list.db", 600, 4, seed=3)
    expected = made.expected_order()
    with Project(tmp_path / "list.db") as project:
        assert project.document_ids(ALICE, order="uncertain") == expected
        pages = [project.documents(ALICE, offset=n, limit=200, order="uncertain") for n in (0, 400)]
        by_title = sorted(made.ids, key=lambda doc_id: f"document {doc_id}")
        titled = project.document_ids(ALICE, order="title")
    assert [d.id for d in pages[0]] == expected[:200]
    assert [d.id for d in pages[1]] == expected[400:]
    assert titled == by_title
