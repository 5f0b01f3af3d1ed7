"""Offline on a train, sync later: push a laptop file to the server, pull the server back."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main
from annotator.core.model import Status
from annotator.core.project import Project

TEXT = "Baykar sold the TB2 to Azerbaijan."


def run(*argv: object) -> int:
    return main([str(a) for a in argv])


def _layer(project: Project, annotator: str) -> list[tuple[str, int, int]]:
    return [
        (s.label, s.start, s.end)
        for doc in project.document_ids()
        for s in project.spans(doc, annotator)
    ]


@pytest.mark.postgresql
def test_push_then_pull_moves_work_both_ways_and_again_adds_nothing(
    pg_url, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("ANNOTATOR_USER", "ana")  # a push to a server carries ana's layer
    laptop = tmp_path / "train.db"
    with Project.create(laptop) as local:
        doc = next(iter(local.add_document(TEXT).documents))
        local.add_span(doc, "ana", "ACTOR", 0, 6)
        local.set_status(doc, "ana", Status.DONE)
    with Project.create(pg_url) as server:
        doc = next(iter(server.add_document("Pakistan built the JF-17.").documents))
        server.add_span(doc, "ben", "PLATFORM", 19, 24)

    assert run("push", "--db", pg_url, laptop) == 0
    assert run("pull", "--db", pg_url, laptop) == 0
    assert "pulled postgresql+psycopg://" in capsys.readouterr().out
    for target in (pg_url, laptop):
        with Project.open(target) as project:
            assert _layer(project, "ana") == [("ACTOR", 0, 6)]
            assert _layer(project, "ben") == [("PLATFORM", 19, 24)]
            assert project.stats().status_per_annotator == {"ana": {"done": 1}}

    assert run("push", "--db", pg_url, laptop) == 0
    assert run("pull", "--db", pg_url, laptop) == 0
    capsys.readouterr()
    assert run("stats", "--db", pg_url, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["spans"] == 2


@pytest.mark.postgresql
def test_pull_into_a_new_file_brings_the_server_labels(pg_url, tmp_path):
    with Project.create(pg_url) as server:
        server.add_label("COUNTRY", "#009E73", "4")
    laptop = tmp_path / "new.db"
    assert run("pull", "--db", pg_url, laptop) == 0
    with Project.open(laptop) as local:
        assert [label.name for label in local.labels()] == [
            "ACTOR",
            "PLATFORM",
            "MOTIVATION",
            "COUNTRY",
        ]


def test_a_push_of_a_layer_the_file_lacks_is_refused(tmp_path, capsys):
    laptop, target = tmp_path / "laptop.db", tmp_path / "target.db"
    for path in (laptop, target):
        Project.create(path).close()
    assert run("push", "--db", target, laptop, "--annotator", "nobody") == 1
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith(
            f"{laptop}: holds no layer of 'nobody'; nothing was written "
            "(name the layer with --annotator, or push --all-layers)"
        )
    )


def test_pull_into_the_project_itself_is_refused(tmp_path, capsys):
    laptop = tmp_path / "p.db"
    Project.create(laptop).close()
    assert run("pull", "--db", laptop, laptop) == 1
    assert "is the --db project itself" in capsys.readouterr().err


def _remove(target, annotator: str, label: str) -> None:
    with Project.open(target) as project:
        doc = project.document_ids()[0]
        (span,) = [s for s in project.spans(doc, annotator) if s.label == label]
        project.remove_span(span.id)


@pytest.fixture
def shared(pg_url):
    """A server project holding one document with ben's ACTOR and ana's PLATFORM spans."""
    with Project.create(pg_url) as server:
        doc = next(iter(server.add_document(TEXT).documents))
        server.add_span(doc, "ben", "ACTOR", 0, 6)
        server.add_span(doc, "ana", "PLATFORM", 16, 19)
    return pg_url


@pytest.mark.postgresql
def test_an_older_pushed_file_does_not_bring_back_a_span_deleted_on_the_server(
    shared, tmp_path, capsys, monkeypatch
):
    laptop = tmp_path / "ben.db"
    assert run("pull", "--db", shared, laptop) == 0
    _remove(shared, "ben", "ACTOR")  # the owner deletes ben's span on the server
    monkeypatch.setenv("ANNOTATOR_USER", "ben")
    capsys.readouterr()
    assert run("push", "--db", shared, laptop) == 0
    assert "0 deletion(s) applied, 1 deleted span(s) not brought back" in capsys.readouterr().out
    with Project.open(shared) as server:
        assert _layer(server, "ben") == []
    assert run("pull", "--db", shared, laptop) == 0
    assert "1 deletion(s) applied" in capsys.readouterr().out
    with Project.open(laptop) as local:
        assert _layer(local, "ben") == []
        assert _layer(local, "ana") == [("PLATFORM", 16, 19)]


@pytest.mark.postgresql
def test_a_deletion_on_a_laptop_travels_to_the_server_and_to_another_laptop(
    shared, tmp_path, monkeypatch
):
    mine, theirs = tmp_path / "ana.db", tmp_path / "ben.db"
    for laptop in (mine, theirs):
        assert run("pull", "--db", shared, laptop) == 0
    _remove(mine, "ana", "PLATFORM")
    monkeypatch.setenv("ANNOTATOR_USER", "ana")
    assert run("push", "--db", shared, mine) == 0
    assert run("pull", "--db", shared, theirs) == 0
    for target in (shared, theirs):
        with Project.open(target) as project:
            assert _layer(project, "ana") == []
            assert _layer(project, "ben") == [("ACTOR", 0, 6)]


@pytest.mark.postgresql
def test_a_push_carries_only_the_named_layer_unless_all_layers(shared, tmp_path, capsys):
    laptop = tmp_path / "lead.db"
    with Project.create(laptop) as local:
        doc = next(iter(local.add_document(TEXT).documents))
        local.add_span(doc, "ana", "ACTOR", 23, 33)
        local.add_span(doc, "cem", "ACTOR", 23, 33)
    assert run("push", "--db", shared, laptop, "--annotator", "ana") == 0
    assert "pushed the layer of ana" in capsys.readouterr().out
    with Project.open(shared) as server:
        assert _layer(server, "ana") == [("PLATFORM", 16, 19), ("ACTOR", 23, 33)]
        assert "cem" not in [a.name for a in server.annotators()]
    assert run("push", "--db", shared, laptop, "--all-layers") == 0
    with Project.open(shared) as server:
        assert _layer(server, "cem") == [("ACTOR", 23, 33)]
