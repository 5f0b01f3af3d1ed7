"""Agreement read from a project: annotator choice, shared finished documents, bad input."""

from __future__ import annotations

import pytest

from agreement_data import build_agreement_project
from annotator.core.agreement_project import (
    choose_annotators,
    project_agreement,
    shared_documents,
)
from annotator.core.errors import AnnotatorError, NotFoundError
from annotator.core.project import Project


@pytest.fixture
def project(tmp_path):
    with Project(build_agreement_project(tmp_path / "p.db")) as proj:
        yield proj


def test_default_is_every_annotator_but_gold(project):
    assert choose_annotators(project) == ["alice", "bob", "carol"]
    assert choose_annotators(project, ["gold", "alice", "gold"]) == ["gold", "alice"]


def test_only_documents_every_chosen_annotator_finished(project):
    assert shared_documents(project, ["alice", "bob", "carol"]) == [1, 2, 3]
    assert shared_documents(project, ["alice"]) == [1, 2, 3, 4]
    report = project_agreement(project)
    assert (report.annotators, report.documents) == (("alice", "bob", "carol"), 3)
    assert report.units == 6 + 9 + 5
    pair = report.pairs[0]
    assert (pair.first, pair.second) == ("alice", "bob")
    assert pair.exact["ACTOR"].tp == 1 and pair.exact["PLATFORM"].fp == 2


def test_gold_can_be_chosen_explicitly(project):
    report = project_agreement(project, ["alice", "gold"])
    assert report.documents == 3
    assert report.pairs[0].exact_total.tp == 1


def test_fewer_than_two_annotators_is_an_error(project):
    with pytest.raises(AnnotatorError, match="at least two annotators; got 1 \\(alice\\)"):
        project_agreement(project, ["alice"])
    with pytest.raises(AnnotatorError, match="at least two annotators; got 0"):
        project_agreement(project, [])


def test_unknown_annotator_is_named(project):
    with pytest.raises(NotFoundError, match="no annotator named 'zoe' \\(annotators: alice"):
        project_agreement(project, ["alice", "zoe"])


def test_an_empty_project_has_no_annotators_to_compare(tmp_path):
    with Project.create(tmp_path / "empty.db") as empty, pytest.raises(AnnotatorError):
        project_agreement(empty)


def test_no_shared_finished_documents_gives_an_empty_report(project):
    project.set_status(1, "carol", "todo")
    project.set_status(2, "carol", "skipped")
    project.set_status(3, "carol", "in_progress")
    report = project_agreement(project)
    assert report.documents == 0 and report.alpha is None and report.ranked == []


def test_layers_are_read_as_plain_rows_not_one_orm_object_per_span(project):
    """The read builds no ORM instance per span (issue 21: most of its time went there) and
    gives each annotator's spans by position."""
    from sqlalchemy import event

    from annotator.core.agreement_project import iter_layers
    from annotator.core.storage.orm import SpanRow

    loaded = []

    def on_load(target, _context):
        loaded.append(target)

    event.listen(SpanRow, "load", on_load)
    try:
        layers = list(iter_layers(project, [1, 2, 3], ["alice", "bob"]))
    finally:
        event.remove(SpanRow, "load", on_load)
    assert loaded == []
    assert [doc.id for doc in layers] == [1, 2, 3]
    for doc in layers:
        assert set(doc.layers) == {"alice", "bob"}
        for keys in doc.layers.values():
            assert keys == sorted(keys, key=lambda key: (key[1], key[2]))
    assert sum(len(keys) for doc in layers for keys in doc.layers.values()) > 0
