"""Merging suggestion decisions and review rejections: carried, matched, conflicts, idempotent."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.core.model import NewSuggestion, SuggestionStatus
from annotator.core.project import Project
from annotator.io.merge_input import merge_files
from merge_builders import NEW, SHARED, add_decisions, dump, make_other

FIXTURES = Path(__file__).parents[1] / "fixtures"
ACCEPTED, PENDING, REJECTED = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.PENDING,
    SuggestionStatus.REJECTED,
)


@pytest.fixture
def other(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    return add_decisions(make_other(folder / "bob.db"))


def decisions(project: Project, doc_id: int) -> list[tuple]:
    return [
        (s.label, s.start, s.end, s.model, s.status)
        for s in project.suggestions(doc_id, status=None)
    ]


def shared_id(project: Project) -> int:
    return next(doc.id for doc in project.iter_documents() if doc.text == SHARED)


def test_suggestions_come_with_their_status_and_time_and_rejections_with_theirs(project, other):
    report = merge_files(project, [other])
    doc = shared_id(project)
    assert decisions(project, doc) == [
        ("MOTIVATION", 7, 11, "lexicon", PENDING),
        ("PLATFORM", 16, 22, "lexicon", REJECTED),
        ("ACTOR", 26, 36, "lexicon", ACCEPTED),
    ]
    assert project.rejections(doc) == {("ACTOR", 12, 15)}
    with sqlite3.connect(other) as theirs, sqlite3.connect(project.path) as ours:
        query = "SELECT start, score, decided_at FROM suggestion ORDER BY start"
        assert ours.execute(query).fetchall() == theirs.execute(query).fetchall()
        query = "SELECT decided_at FROM review_rejection"
        assert ours.execute(query).fetchall() == theirs.execute(query).fetchall()
    assert report.rows()[-2:] == [("suggestions", 3, 0, 0, 0), ("review rejections", 1, 0, 0, 0)]
    assert report.suggestion_document_ids == {doc} and doc in report.document_ids


def test_merging_the_same_file_twice_changes_nothing(project, other):
    first = merge_files(project, [other])
    before = dump(project.path)
    second = merge_files(project, [other])
    assert dump(project.path) == before
    assert first.changed() and not second.changed()
    assert second.rows()[-2:] == [("suggestions", 0, 0, 3, 0), ("review rejections", 0, 0, 1, 0)]
    assert second.conflicts() == []


def test_a_decision_wins_over_pending_and_different_decisions_keep_ours(project, other):
    doc = project.add_document(SHARED, title="mine", verbatim=True).documents
    (doc_id,) = doc
    items = [
        NewSuggestion(7, 11, "MOTIVATION"),
        NewSuggestion(16, 22, "PLATFORM"),
        NewSuggestion(26, 36, "ACTOR"),
    ]
    project.store_suggestions(doc_id, "lexicon", items)
    sold, _, azerbaijan = project.suggestions(doc_id)
    project.accept_suggestion(sold.id, "lead")  # decided here, pending there: ours stays
    project.reject_suggestion(azerbaijan.id, "alice")  # rejected here, accepted there: a conflict
    report = merge_files(project, [other])
    assert decisions(project, doc_id) == [
        ("MOTIVATION", 7, 11, "lexicon", ACCEPTED),
        ("PLATFORM", 16, 22, "lexicon", REJECTED),
        ("ACTOR", 26, 36, "lexicon", REJECTED),
    ]
    counts = report.counts["suggestions"]
    assert (counts.added, counts.updated, counts.present) == (0, 1, 3)
    assert [str(c) for c in counts.conflicts] == [
        f"{other}: document {doc_id} ('mine'): lexicon's ACTOR suggestion [26, 36) is accepted "
        "by alice there, rejected here; kept rejected"
    ]
    assert report.suggestion_document_ids == {doc_id}
    before = dump(project.path)
    again = merge_files(project, [other])
    assert dump(project.path) == before and not again.changed()
    assert len(again.counts["suggestions"].conflicts) == 1


def test_a_pending_suggestion_decided_here_by_another_model_is_not_proposed_again(project, other):
    (doc_id,) = project.add_document(SHARED, verbatim=True).documents
    project.store_suggestions(doc_id, "project-model", [NewSuggestion(7, 11, "MOTIVATION")])
    project.reject_suggestion(project.suggestions(doc_id)[0].id, "alice")
    report = merge_files(project, [other])
    assert [s.model for s in project.suggestions(doc_id)] == [], "nothing pending"
    assert ("MOTIVATION", 7, 11, "lexicon", PENDING) not in decisions(project, doc_id)
    counts = report.counts["suggestions"]
    assert (counts.added, counts.present) == (2, 1)


def test_a_rejection_the_gold_layer_holds_here_is_reported_and_gold_kept(project, other):
    (doc_id,) = project.add_document(SHARED, title="mine", verbatim=True).documents
    project.set_gold("judge")
    project.add_span(doc_id, "judge", "ACTOR", 12, 15)
    report = merge_files(project, [other])
    assert project.rejections(doc_id) == set()
    assert [(s.label, s.start) for s in project.spans(doc_id, "judge")] == [("ACTOR", 12)]
    assert [str(c) for c in report.counts["review rejections"].conflicts] == [
        f"{other}: document {doc_id} ('mine'): ACTOR [12, 15) was rejected in review there "
        "and is in the gold layer here; kept the gold span"
    ]
    assert report.counts["review rejections"].added == 0


def test_merged_suggestions_mark_no_suggestion_run(project, other):
    merge_files(project, [other])
    assert project.documents_with_suggestions("lexicon") == set()


def test_quality_stats_count_the_merged_decisions(project, other):
    merge_files(project, [other])
    (quality,) = project.suggester_quality()
    assert (quality.model, quality.pending, quality.accepted, quality.rejected) == (
        "lexicon",
        1,
        1,
        1,
    )
    assert quality.precision == 0.5


@pytest.mark.parametrize("revision", ["0001", "0004"])
def test_an_older_revision_merges_as_before(project, tmp_path, revision):
    """0001 stored suggestions without a status, 0004 had no review rejections yet."""
    old = tmp_path / f"rev{revision}.db"
    shutil.copy2(FIXTURES / f"project-rev{revision}.db", old)
    report = merge_files(project, [old])
    (doc_id,) = project.document_ids()
    assert decisions(project, doc_id) == [("ACTOR", 22, 32, "lexicon", PENDING)]
    assert project.rejections(doc_id) == set()
    assert report.rows()[-2:] == [("suggestions", 1, 0, 0, 0), ("review rejections", 0, 0, 0, 0)]
    assert project.documents_with_suggestions("lexicon") == set()


def test_a_suggestion_beyond_its_text_is_refused_with_nothing_stored(project, other):
    with sqlite3.connect(other) as db:
        db.execute('UPDATE suggestion SET "end" = 99 WHERE start = 7')
    before = dump(project.path)
    with pytest.raises(ImportFailed) as caught:
        merge_files(project, [other])
    assert "document 'shared': suggestion [7, 99) does not fit its text of 37 characters" in str(
        caught.value
    )
    assert dump(project.path) == before


def test_jsonl_brings_no_suggestions(project, tmp_path):
    jsonl = tmp_path / "tool.jsonl"
    jsonl.write_text(f'{{"text": "{NEW}", "spans": []}}\n', encoding="utf-8")
    report = merge_files(project, [jsonl])
    assert report.rows()[-2:] == [("suggestions", 0, 0, 0, 0), ("review rejections", 0, 0, 0, 0)]


def test_a_push_of_one_layer_carries_only_that_annotators_decisions(project, other):
    with Project(other) as theirs:
        (sold,) = theirs.suggestions(theirs.document_ids()[0], annotator="bob")[-1:]
        theirs.reject_suggestion(sold.id, "bob")
    merge_files(project, [other], layer="bob")  # what `push --annotator bob` merges
    doc_id = shared_id(project)
    by_annotator = {
        name: sorted(
            (s.label, s.start, s.status) for s in project.suggestions(doc_id, None, annotator=name)
        )
        for name in ("alice", "bob")
    }
    assert by_annotator["alice"] == [
        ("ACTOR", 26, PENDING),
        ("MOTIVATION", 7, PENDING),
        ("PLATFORM", 16, PENDING),
    ]
    assert (sold.label, sold.start, REJECTED) in by_annotator["bob"]
