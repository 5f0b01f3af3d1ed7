"""docs/server-roles.sql on a real server: annotators write only their own layer, the
reviewer writes gold, everyone reads everything."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from annotator.core.commands import RemoveSpanCommand, carried_out
from annotator.core.errors import AnnotatorError, ProjectError
from annotator.core.project import Project
from annotator.core.storage.engine import database_url

pytestmark = pytest.mark.postgresql

ROLES_SQL = Path(__file__).parents[2] / "docs" / "server-roles.sql"
TEXT = "Baykar sold the TB2 to Azerbaijan."


@pytest.fixture
def lab(pg_url, pg_admin_url):
    """A project owned by the test account, with roles ana, ben (annotators) and rita
    (reviewer) under per-test group names; returns (url as each person, names, document)."""
    tag = uuid.uuid4().hex[:8]
    names = {who: f"{who}_{tag}" for who in ("ana", "ben", "rita", "annotators", "reviewers")}
    admin = create_engine(database_url(pg_admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ):
            pytest.skip("the test account may not create roles")
        conn.execute(text(f'CREATE ROLE "{names["annotators"]}" NOLOGIN'))
        conn.execute(
            text(f'CREATE ROLE "{names["reviewers"]}" NOLOGIN IN ROLE "{names["annotators"]}"')
        )
        for who, group in (("ana", "annotators"), ("ben", "annotators"), ("rita", "reviewers")):
            conn.execute(
                text(f'CREATE ROLE "{names[who]}" LOGIN PASSWORD \'pw\' IN ROLE "{names[group]}"')
            )
    with Project.create(pg_url) as owner:
        with owner.engine.begin() as conn:  # PostgreSQL 12-14's default, on any version
            conn.exec_driver_sql("GRANT CREATE ON SCHEMA public TO PUBLIC")
        doc = next(iter(owner.add_document(TEXT).documents))
        owner.set_gold("gold")
        owner.add_span(doc, names["ben"], "ACTOR", 0, 6)
        with owner.engine.begin() as conn:
            sql = ROLES_SQL.read_text("utf-8")
            sql = re.sub(r"\bannotators\b", names["annotators"], sql)
            sql = re.sub(r"\breviewers\b", names["reviewers"], sql)
            conn.exec_driver_sql(sql)
    base = make_url(pg_url)
    urls = {
        who: base.set(username=names[who], password="pw").render_as_string(hide_password=False)
        for who in ("ana", "ben", "rita")
    }
    yield urls, names, doc
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)'))
        for who in ("ana", "ben", "rita", "reviewers", "annotators"):
            conn.execute(text(f'DROP ROLE IF EXISTS "{names[who]}"'))
    admin.dispose()


def test_an_annotator_writes_only_their_own_layer(lab):
    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    with Project.open(urls["ana"]) as project:
        project.add_span(doc, ana, "PLATFORM", 16, 19)
        (theirs,) = project.spans(doc, ben)
        for change in (
            lambda: project.add_span(doc, ben, "PLATFORM", 16, 19),
            lambda: project.remove_span(theirs.id),
            lambda: project.relabel_span(theirs.id, "PLATFORM"),
            lambda: project.set_status(doc, ben, "done"),
            lambda: project.add_span(doc, "gold", "ACTOR", 0, 6),
            lambda: project.set_gold(ana),
            lambda: project.add_label("COUNTRY"),
        ):
            with pytest.raises(AnnotatorError):
                change()
        project.set_status(doc, ana, "done")
        assert {(s.annotator, s.label) for s in project.spans(doc)} == {
            (ana, "PLATFORM"),
            (ben, "ACTOR"),
        }


def test_no_member_may_create_objects_in_the_schema(lab):
    urls, _, _ = lab
    for who in ("ana", "rita"):
        engine = create_engine(database_url(urls[who]))
        try:
            with engine.begin() as conn, pytest.raises(ProgrammingError, match="permission"):
                conn.exec_driver_sql("CREATE TABLE planted (x int)")
        finally:
            engine.dispose()


def test_a_member_holding_a_table_lock_stops_nobody_for_longer_than_the_lock_timeout(lab, capsys):
    from annotator.cli import main

    urls, _, doc = lab
    ben_url = make_url(urls["ben"]).update_query_dict({"options": "-c lock_timeout=1s"})
    ben = ben_url.render_as_string(hide_password=False)
    with Project.open(urls["rita"]) as rita, rita.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "10s"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "5min"
    attacker = create_engine(database_url(urls["ana"]))
    try:
        with attacker.connect() as conn:
            for table in ("label", "document", "annotator", "suggestion"):
                with pytest.raises(ProgrammingError, match="permission denied"):
                    conn.exec_driver_sql(f"LOCK TABLE {table} IN SHARE MODE")
                conn.rollback()
            conn.exec_driver_sql("LOCK TABLE span IN ACCESS EXCLUSIVE MODE")  # DELETE allows it
            started = time.monotonic()
            with Project.open(ben) as project, pytest.raises(ProjectError) as caught:
                project.spans(doc)
            assert "lock_timeout" in str(caught.value) and "try again later" in str(caught.value)
            capsys.readouterr()
            assert main(["stats", "--db", ben]) == 1
            (line,) = capsys.readouterr().err.splitlines()
            assert "another session held a lock on the data too long" in line
            assert time.monotonic() - started < 10
            conn.rollback()
    finally:
        attacker.dispose()


def test_the_reviewer_writes_gold_but_not_an_annotators_layer(lab):
    urls, names, doc = lab
    with Project.open(urls["rita"]) as project:
        project.add_span(doc, "gold", "ACTOR", 0, 6)
        project.set_status(doc, "gold", "done")
        (theirs,) = project.spans(doc, names["ben"])
        with pytest.raises(AnnotatorError):
            project.remove_span(theirs.id)
        assert [s.label for s in project.spans(doc, "gold")] == ["ACTOR"]


def test_an_annotators_reject_all_leaves_the_others_suggestions_alone(lab, pg_url):
    from annotator.core.model import NewSuggestion, SuggestionStatus

    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    with Project.open(pg_url) as owner:  # the lead's suggester runs
        owner.store_suggestions(doc, "lexicon", [NewSuggestion(16, 19, "PLATFORM")])
        owner.store_suggestions(doc, "ner", [NewSuggestion(23, 33, "ACTOR")])
    with Project.open(urls["ben"]) as project:
        first, second = project.suggestions(doc, annotator=ben)
        project.accept_suggestion(first.id, ben)
    with Project.open(urls["ana"]) as project:
        for suggestion in project.suggestions(doc, annotator=ana):
            project.reject_suggestion(suggestion.id, ana)
        assert project.suggestions(doc, annotator=ana) == []
        with pytest.raises(AnnotatorError):  # ben's decisions are ben's
            project.set_suggestion_status(first.id, SuggestionStatus.PENDING, ben)
        with pytest.raises(AnnotatorError):
            project.reject_suggestion(second.id, ben)
    attacker = create_engine(database_url(urls["ana"]))
    try:
        with attacker.connect() as conn:
            with pytest.raises(ProgrammingError, match="permission denied"):
                conn.exec_driver_sql("UPDATE suggestion SET status = 'rejected'")
            conn.rollback()
            result = conn.exec_driver_sql("UPDATE suggestion_decision SET status = 'accepted'")
            assert result.rowcount == 2  # her own two decisions, not ben's
            conn.commit()
    finally:
        attacker.dispose()
    with Project.open(urls["ben"]) as project:
        assert [s.id for s in project.suggestions(doc, annotator=ben)] == [second.id]
        assert project.suggestion(first.id, ben).status is SuggestionStatus.ACCEPTED
        precision = {q.model: q.precision for q in project.suggester_quality(ben)}
        assert precision == {"lexicon": 1.0, "ner": None}


def test_an_annotator_pushes_a_file_with_their_suggestion_decisions(lab, tmp_path):
    from annotator.core.model import NewSuggestion, SuggestionStatus
    from annotator.io.merge_input import merge_files

    urls, names, _ = lab
    laptop = tmp_path / "laptop.db"
    with Project.create(laptop) as local:
        (doc,) = local.add_document(TEXT).documents
        local.add_span(doc, names["ana"], "PLATFORM", 16, 19)
        local.store_suggestions(doc, "lexicon", [NewSuggestion(23, 33, "ACTOR")])
        local.reject_suggestion(local.suggestions(doc)[0].id, names["ana"])
    with Project.open(urls["ana"]) as server:
        report = merge_files(server, [laptop])
        assert report.counts["suggestions"].added == 1
        (server_doc,) = server.document_ids()
        (rejected,) = server.suggestions(server_doc, status=None)
        assert rejected.status is SuggestionStatus.REJECTED


def test_an_annotators_push_after_others_changed_spans_carries_only_their_layer(
    lab, tmp_path, monkeypatch
):
    from annotator.cli import main

    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    with Project.open(urls["ana"]) as server:
        server.add_span(doc, ana, "MOTIVATION", 7, 11)
    laptop = tmp_path / "ana.db"
    assert main(["pull", "--db", urls["ana"], str(laptop)]) == 0
    with Project.open(laptop) as local:
        (local_doc,) = local.document_ids()
        local.add_span(local_doc, ana, "PLATFORM", 16, 19)
        (old,) = [s for s in local.spans(local_doc, ana) if s.label == "MOTIVATION"]
        local.remove_span(old.id)  # ana deletes her MOTIVATION span offline
    with Project.open(urls["ben"]) as server:  # meanwhile ben relabels his span
        (theirs,) = server.spans(doc, ben)
        server.relabel_span(theirs.id, "PLATFORM")
    monkeypatch.setenv("ANNOTATOR_USER", ana)
    assert main(["push", "--db", urls["ana"], str(laptop)]) == 0
    with Project.open(urls["ana"]) as server:
        assert {(s.annotator, s.label, s.start) for s in server.spans(doc)} == {
            (ana, "PLATFORM", 16),
            (ben, "PLATFORM", 0),
        }


def test_the_reviewers_gold_deletion_reaches_a_pulled_file(lab, tmp_path):
    from annotator.core.sync import pull

    urls, _, doc = lab
    laptop = tmp_path / "rita.db"
    with Project.open(urls["rita"]) as server:
        server.add_span(doc, "gold", "ACTOR", 0, 6)
        with Project.create(laptop, []) as local:
            pull(server, local)
        (gold,) = server.spans(doc, "gold")
        server.remove_span(gold.id)  # the tombstone is the reviewer's to write
        with Project.open(laptop) as local:
            report = pull(server, local)
            assert local.spans(local.document_ids()[0], "gold") == []
    assert report.deletions_applied == 1


def test_an_annotators_undo_locks_only_their_own_rows_and_keeps_the_owners_note(lab, pg_url):
    from annotator.core.commands import (
        RejectSuggestionCommand,
        RelabelSpanCommand,
        SetStatusCommand,
    )
    from annotator.core.model import NewSuggestion, SuggestionStatus

    urls, names, doc = lab
    ana = names["ana"]
    with Project.open(urls["ana"]) as project, Project.open(pg_url) as owner:
        span_id = project.add_span(doc, ana, "ACTOR", 16, 19).spans_added[0]
        relabel = RelabelSpanCommand(span_id, "PLATFORM")
        relabel.apply(project)
        owner.set_span_note(span_id, "checked")
        relabel.revert(project)
        span = owner.span(span_id)
        assert (span.label, span.note) == ("ACTOR", "checked")
        owner.store_suggestions(doc, "m", [NewSuggestion(23, 33, "ACTOR")])
        steps = [
            SetStatusCommand(doc, ana, "done"),
            RejectSuggestionCommand(owner.suggestions(doc)[0].id, ana),
        ]
        for step in steps:
            step.apply(project)
            step.revert(project)
        assert owner.status(doc, ana) == "todo"
        assert owner.suggestions(doc)[0].status is SuggestionStatus.PENDING


def test_an_annotator_links_and_unlinks_only_their_own_spans(lab, pg_url):
    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    with Project.open(pg_url) as owner:
        (bens_actor,) = owner.spans(doc, ben)
        bens_jet = owner.add_span(doc, ben, "PLATFORM", 16, 19).spans_added[0]
        (bens,) = owner.add_relation(doc, ben, "BUYS", bens_actor.id, bens_jet).relations
    with Project.open(urls["ana"]) as project:
        actor = project.add_span(doc, ana, "ACTOR", 23, 33).spans_added[0]
        jet = project.add_span(doc, ana, "PLATFORM", 16, 19).spans_added[0]
        (mine,) = project.add_relation(doc, ana, "BUYS", actor, jet).relations
        command = RemoveSpanCommand(actor)
        carried_out(project, command.apply)  # her relation goes with her span, tombstoned
        assert project.relations(doc, ana) == []
        carried_out(project, command.revert)
        assert [r.id for r in project.relations(doc, ana)] == [mine.id]
        with pytest.raises(AnnotatorError, match="nothing was changed"):
            project.remove_relation(bens.id)
    with Project.open(pg_url) as owner:
        assert [r.id for r in owner.relations(doc, ben)] == [bens.id]


def test_an_annotator_pushes_her_relations_and_touches_only_her_own(lab, pg_url, tmp_path):
    from annotator.core.merge_sources import ProjectFileSource
    from annotator.core.sync import LayerSource

    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    with Project.open(pg_url) as owner:  # ben: Baykar SUPPLIES TB2
        (actor,) = owner.spans(doc, ben)
        platform = owner.add_span(doc, ben, "PLATFORM", 16, 19).spans_added[0]
        owner.add_relation(doc, ben, "SUPPLIES", actor.id, platform)
    laptop = tmp_path / "laptop.db"
    with Project.create(laptop) as local:  # ana, on the train: Azerbaijan BUYS TB2
        (local_doc,) = local.add_document(TEXT).documents
        buyer = local.add_span(local_doc, ana, "ACTOR", 23, 33).spans_added[0]
        bought = local.add_span(local_doc, ana, "PLATFORM", 16, 19).spans_added[0]
        local.add_relation(local_doc, ana, "BUYS", buyer, bought)
    with Project.open(urls["ana"]) as server, ProjectFileSource(laptop) as source:
        report = server.merge([LayerSource(source, ana)])
        assert report.counts["relations"].added == 1
        (bens,) = server.relations(doc, ben)
        with pytest.raises(AnnotatorError):
            server.remove_relation(bens.id)
        (hers,) = server.relations(doc, ana)
        server.remove_relation(hers.id)  # her own, with its tombstone
    with Project.open(urls["ana"]) as server, ProjectFileSource(laptop) as source:
        again = server.merge([LayerSource(source, ana)])  # the older laptop copy
        assert again.relations_kept_deleted == 1
        assert server.relations(doc, ana) == []
    attacker = create_engine(database_url(urls["ana"]))
    try:
        with attacker.connect() as conn:
            assert conn.exec_driver_sql("DELETE FROM relation").rowcount == 0  # not ben's
            conn.rollback()
    finally:
        attacker.dispose()
    with Project.open(pg_url) as owner:
        assert [r.type for r in owner.relations(doc)] == ["SUPPLIES"]


def test_the_reviewer_decides_relation_candidates_and_annotators_may_not(lab, pg_url):
    from annotator.core.review_commands import (
        AcceptRelationCandidateCommand,
        RejectRelationCandidateCommand,
    )

    urls, names, doc = lab
    ana, ben = names["ana"], names["ben"]
    baykar, tb2, azerbaijan = ("ACTOR", 0, 6), ("PLATFORM", 16, 19), ("ACTOR", 23, 33)
    with Project.open(pg_url) as owner:
        for who in (ana, ben):
            ids = {key: owner.add_span(doc, who, *key).spans_added[0] for key in (tb2, azerbaijan)}
            owner.add_relation(doc, who, "BUYS", ids[azerbaijan], ids[tb2])
        bens = {(s.label, s.start, s.end): s.id for s in owner.spans(doc, ben)}
        owner.add_relation(doc, ben, "SUPPLIES", bens[baykar], bens[tb2])  # ben only
    supplies, buys = ("SUPPLIES", baykar, tb2), ("BUYS", azerbaijan, tb2)
    with Project.open(urls["ana"]) as project, pytest.raises(AnnotatorError):
        project.set_relation_rejected(doc, supplies, True)
    with Project.open(urls["rita"]) as project:
        AcceptRelationCandidateCommand(doc, buys).apply(project)
        RejectRelationCandidateCommand(doc, supplies).apply(project)
        review = project.document_review(doc, [ana, ben])
        states = {r.key: r.state.value for r in review.relations}
    assert states == {buys: "accepted", supplies: "rejected"}
