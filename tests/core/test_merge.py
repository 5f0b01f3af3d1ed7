"""Merging a collaborator's project: what comes across, what matches, what conflicts."""

from __future__ import annotations

from datetime import datetime

import pytest

from annotator.core.errors import Cancelled
from annotator.core.merge_records import KINDS
from annotator.core.model import SpanSource, Status
from annotator.core.project import Project
from annotator.core.schema import LabelSpec
from annotator.io.merge_input import merge_files
from merge_builders import NEW, SHARED, add_decisions, dump, make_other


@pytest.fixture
def theirs(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    return folder


@pytest.fixture
def other(theirs):
    return make_other(theirs / "bob.db")


def texts(conflicts) -> list[str]:
    return [str(conflict) for conflict in conflicts]


def by_text(project: Project) -> dict[str, int]:
    return {doc.text: doc.id for doc in project.iter_documents()}


def test_new_documents_are_added_and_shared_ones_matched_by_hash(project, other):
    project.add_document(SHARED, title="ours", verbatim=True)
    report = merge_files(project, [other])

    docs = {doc.text: doc for doc in project.iter_documents()}
    assert set(docs) == {SHARED, NEW}
    assert docs[SHARED].title == "ours", "an existing document keeps its title"
    assert (docs[NEW].title, docs[NEW].source, docs[NEW].meta) == (
        "new one",
        "kai.txt",
        {"lang": "en"},
    )
    counts = report.counts["documents"]
    assert (counts.added, counts.present) == (1, 1)
    assert report.document_ids == {docs[SHARED].id, docs[NEW].id}


def test_spans_states_and_notes_come_across_with_their_source_and_times(project, other):
    report = merge_files(project, [other])
    ids = by_text(project)
    spans = project.spans(ids[SHARED], "bob")
    assert [(s.label, s.start, s.end, s.note) for s in spans] == [
        ("ACTOR", 0, 6, "maker"),
        ("PLATFORM", 12, 15, ""),
    ]
    assert all(s.source is SpanSource.MANUAL and isinstance(s.created_at, datetime) for s in spans)
    assert project.states(ids[SHARED]) == {"bob": Status.DONE}
    assert project.states(ids[NEW]) == {"bob": Status.IN_PROGRESS}
    assert [a.name for a in project.annotators()] == ["bob"]
    assert report.rows() == [
        ("documents", 2, 0, 0, 0),
        ("document tokens", 0, 0, 0, 0),
        ("labels", 0, 0, 3, 0),
        ("annotators", 1, 0, 0, 0),
        ("spans", 3, 0, 0, 0),
        ("span deletions", 0, 0, 0, 0),
        ("relation types", 0, 0, 4, 0),
        ("relations", 0, 0, 0, 0),
        ("relation deletions", 0, 0, 0, 0),
        ("rejected relations", 0, 0, 0, 0),
        ("states", 2, 0, 0, 0),
        ("notes", 1, 0, 0, 0),
        ("suggestions", 0, 0, 0, 0),
        ("review rejections", 0, 0, 0, 0),
    ]


def test_merging_the_same_file_twice_changes_nothing(project, other):
    add_decisions(other)  # suggestions with their statuses, and a review rejection
    first = merge_files(project, [other])
    before = dump(project.path)
    second = merge_files(project, [other])
    assert dump(project.path) == before
    assert first.changed() and not second.changed()
    assert [row[1] for row in second.rows()] == [0] * len(KINDS)
    assert second.counts["spans"].present == 3 and second.counts["documents"].present == 2
    assert second.counts["suggestions"].present == 3
    assert second.counts["review rejections"].present == 1
    assert second.conflicts() == []


def test_a_new_label_whose_colour_or_hotkey_is_taken_gets_another(project, theirs):
    path = theirs / "labels.db"
    specs = [LabelSpec("ACTOR", "#0072B2", "1"), LabelSpec("WEAPON", "#0072B2", "2")]
    Project.create(path, specs).close()
    report = merge_files(project, [path])
    weapon = project.label("WEAPON")
    assert weapon.color == "#CC79A7", "the first palette colour no label here has"
    assert weapon.hotkey is None, "hotkey 2 is PLATFORM's here"
    assert report.labels_added == ["WEAPON"]
    assert texts(report.counts["labels"].conflicts) == [
        f"{path}: new label 'WEAPON': colour #0072B2 is used by label 'ACTOR' here; given #CC79A7",
        f"{path}: new label 'WEAPON': hotkey '2' is used by label 'PLATFORM' here; "
        "the new label has none",
    ]
    assert texts(merge_files(project, [path]).counts["labels"].conflicts) == []


def test_a_label_differing_only_in_case_is_taken_as_ours(project, theirs):
    path = theirs / "case.db"
    with Project.create(path, [LabelSpec("actor", "#D55E00")]) as other:
        other.add_document(SHARED, verbatim=True)
        other.add_span(other.document_ids()[0], "bob", "actor", 0, 6)
    report = merge_files(project, [path])
    assert [lab.name for lab in project.labels()] == ["ACTOR", "PLATFORM", "MOTIVATION"]
    assert [s.label for s in project.spans(by_text(project)[SHARED])] == ["ACTOR"]
    assert texts(report.counts["labels"].conflicts) == [f"{path}: label 'actor' taken as 'ACTOR'"]


def test_gold_is_taken_only_when_nobody_is_gold_here(project, theirs, tmp_path):
    path = make_other(theirs / "judge.db", annotator="judge")
    with Project(path) as other:
        other.set_gold("judge")
    merge_files(project, [path])
    assert [(a.name, a.is_gold) for a in project.annotators()] == [("judge", True)]

    with Project.create(tmp_path / "mine.db") as mine:
        mine.set_gold("boss")
        report = merge_files(mine, [path])
        assert [(a.name, a.is_gold) for a in mine.annotators()] == [
            ("boss", True),
            ("judge", False),
        ]
        again = merge_files(mine, [path])
    assert texts(report.counts["annotators"].conflicts) == [
        f"{path}: annotator 'judge' is gold there but 'boss' is gold here; "
        "'judge' was added as an ordinary annotator"
    ]
    assert texts(again.counts["annotators"].conflicts) == [
        f"{path}: annotator 'judge' is gold there, not gold here; kept not gold"
    ]


def test_a_label_of_another_kind_is_reported_and_ours_kept(project, theirs):
    path = theirs / "kinds.db"
    Project.create(path, [LabelSpec("ACTOR", "#0072B2", kind="document")]).close()
    report = merge_files(project, [path])
    assert project.label("ACTOR").kind == "span"
    assert texts(report.counts["labels"].conflicts) == [
        f"{path}: label 'ACTOR' marks document there, span here; kept span"
    ]


def test_note_conflicts_keep_ours_and_an_empty_note_takes_theirs(project, other):
    doc = project.add_document(SHARED, title="mine", verbatim=True).documents
    (doc_id,) = doc
    project.add_span(doc_id, "bob", "ACTOR", 0, 6, note="ours")
    project.add_span(doc_id, "bob", "PLATFORM", 12, 15)
    with Project(other) as them:
        them.set_span_note(them.spans(them.document_ids()[0])[1].id, "theirs")
    report = merge_files(project, [other])
    assert [s.note for s in project.spans(doc_id)] == ["ours", "theirs"]
    notes = report.counts["notes"]
    assert (notes.added, notes.updated) == (0, 1)
    assert texts(notes.conflicts) == [
        f"{other}: document {doc_id} ('mine'): bob's ACTOR span [0, 6) has note 'maker' there, "
        "'ours' here; kept this project's"
    ]


def test_the_further_along_status_wins_and_every_difference_is_reported(project, other):
    shared = project.add_document(SHARED, title="mine", verbatim=True)
    (doc_id,) = shared.documents
    project.set_status(doc_id, "bob", Status.IN_PROGRESS)
    report = merge_files(project, [other])
    assert project.status(doc_id, "bob") is Status.DONE
    states = report.counts["states"]
    assert (states.added, states.updated, states.present) == (1, 1, 1)
    assert texts(states.conflicts) == [
        f"{other}: document {doc_id} ('mine'): bob's status is done there, in_progress here; "
        "kept done"
    ]
    with Project(other) as them:
        them.set_status(them.document_ids()[0], "bob", Status.TODO)
    again = merge_files(project, [other])
    assert project.status(doc_id, "bob") is Status.DONE
    assert again.counts["states"].conflicts[0].message.endswith("todo there, done here; kept done")
    assert not again.changed()


def test_progress_reaches_the_total_and_cancel_stores_nothing(project, other):
    class Recorder:
        def __init__(self, cancel: bool) -> None:
            self.reports: list[tuple[int, int]] = []
            self.cancel = cancel

        def report(self, done: int, total: int) -> None:
            self.reports.append((done, total))

        def cancelled(self) -> bool:
            return self.cancel and len(self.reports) > 1

    seen = Recorder(cancel=False)
    with Project.create(other.parent / "copy-target.db") as fresh:
        merge_files(fresh, [other], progress=seen)
    assert seen.reports[0] == (0, 2) and seen.reports[-1] == (2, 2)

    before = dump(project.path)
    with pytest.raises(Cancelled):
        merge_files(project, [other], progress=Recorder(cancel=True))
    assert dump(project.path) == before
