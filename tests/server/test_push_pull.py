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
def test_push_then_pull_moves_work_both_ways_and_again_adds_nothing(pg_url, tmp_path, capsys):
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


def test_pull_into_the_project_itself_is_refused(tmp_path, capsys):
    laptop = tmp_path / "p.db"
    Project.create(laptop).close()
    assert run("pull", "--db", laptop, laptop) == 1
    assert "is the --db project itself" in capsys.readouterr().err
