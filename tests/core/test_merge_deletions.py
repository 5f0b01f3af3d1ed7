"""Span deletions travel with merges: an older copy does not bring a deleted span back, a
deletion made elsewhere deletes the span here, and an undone deletion stays undone."""

from __future__ import annotations

import shutil

import pytest

from annotator.core.commands import RelabelSpanCommand, RemoveSpanCommand, ResizeSpanCommand
from annotator.core.project import Project
from annotator.io.merge_input import merge_files
from merge_builders import SHARED, dump, make_other


@pytest.fixture
def server(tmp_path):
    """The lab's project: bob's ACTOR, PLATFORM and (in the other document) PLATFORM spans."""
    return make_other(tmp_path / "server.db")


@pytest.fixture
def laptop(server, tmp_path):
    """A copy of the server project taken before anything was deleted (a pulled file)."""
    return shutil.copy(server, tmp_path / "laptop.db")


def layer(path) -> list[tuple[str, int, int]]:
    with Project.open(path) as project:
        return sorted(
            (s.label, s.start, s.end) for doc in project.document_ids() for s in project.spans(doc)
        )


def remove(path, label: str) -> None:
    """Remove bob's span with that label from the shared document."""
    with Project.open(path) as project:
        (span,) = [s for s in project.spans(project.document_ids()[0]) if s.label == label]
        project.remove_span(span.id)


def test_an_older_copy_does_not_bring_a_deleted_span_back(server, laptop):
    remove(server, "ACTOR")
    with Project.open(server) as project:
        report = merge_files(project, [laptop])
    assert ("ACTOR", 0, 6) not in layer(server)
    assert (report.spans_kept_deleted, report.deletions_applied) == (1, 0)
    assert report.deletions_line() == "0 deletion(s) applied, 1 deleted span(s) not brought back"


def test_a_deletion_travels_on_to_a_third_copy(server, laptop, tmp_path):
    other_laptop = shutil.copy(laptop, tmp_path / "other.db")
    remove(server, "ACTOR")
    with Project.open(laptop) as project:  # pull: the server's deletion arrives
        report = merge_files(project, [server])
    assert ("ACTOR", 0, 6) not in layer(laptop)
    assert (report.deletions_applied, report.counts["span deletions"].added) == (1, 1)
    with Project.open(other_laptop) as project:  # and travels on from the laptop
        merge_files(project, [laptop])
    assert layer(other_laptop) == layer(server) == [("PLATFORM", 12, 15), ("PLATFORM", 18, 32)]


def test_a_span_changed_after_its_deletion_elsewhere_is_kept(server, laptop):
    remove(server, "ACTOR")
    with Project.open(laptop) as project:
        (span,) = [s for s in project.spans(project.document_ids()[0]) if s.label == "ACTOR"]
        project.set_span_note(span.id, "checked again after the deletion")
        report = merge_files(project, [server])
    assert report.deletions_applied == 0
    assert ("ACTOR", 0, 6) in layer(laptop)
    with Project.open(server) as project:
        merge_files(project, [laptop])
    assert ("ACTOR", 0, 6) in layer(server)


def test_an_undone_deletion_survives_merges_both_ways(server, laptop):
    with Project.open(server) as project:
        doc = project.document_ids()[0]
        (span,) = [s for s in project.spans(doc) if s.label == "ACTOR"]
        command = RemoveSpanCommand(span.id)
        command.apply(project)
    with Project.open(laptop) as project:
        merge_files(project, [server])  # the deletion reaches the laptop
    assert ("ACTOR", 0, 6) not in layer(laptop)
    with Project.open(server) as project:
        command.revert(project)  # undo: the span is back
        merge_files(project, [laptop])  # the laptop's copy of the deletion is older
    assert ("ACTOR", 0, 6) in layer(server)
    with Project.open(laptop) as project:
        merge_files(project, [server])
    assert ("ACTOR", 0, 6) in layer(laptop)


def edit_actor(path, command_type, **values):
    """Apply a relabel or resize command to bob's ACTOR span of the shared document."""
    with Project.open(path) as project:
        (span,) = [s for s in project.spans(project.document_ids()[0]) if s.label == "ACTOR"]
        command = command_type(span.id, **values)
        command.apply(project)
    return command


@pytest.mark.parametrize(
    ("command_type", "values", "edited"),
    [
        (RelabelSpanCommand, {"label": "MOTIVATION"}, ("MOTIVATION", 0, 6)),
        (ResizeSpanCommand, {"start": 0, "end": 5}, ("ACTOR", 0, 5)),
    ],
)
def test_an_older_copy_does_not_bring_back_a_span_as_it_was_before_an_edit(
    server, laptop, command_type, values, edited
):
    command = edit_actor(server, command_type, **values)
    with Project.open(server) as project:
        merge_files(project, [laptop])  # the laptop still has the span as it was
    assert ("ACTOR", 0, 6) not in layer(server) and edited in layer(server)
    with Project.open(laptop) as project:
        merge_files(project, [server])  # the edit reaches the laptop as a whole
    assert layer(laptop) == layer(server)
    with Project.open(server) as project:
        command.revert(project)  # undo moves the span back to what the laptop has
        merge_files(project, [laptop])
    assert ("ACTOR", 0, 6) in layer(server) and edited not in layer(server)


def test_spans_removed_with_their_label_stay_removed(server, laptop):
    with Project.open(server) as project:
        project.remove_label("PLATFORM", force=True)
        report = merge_files(project, [laptop])
    assert layer(server) == [("ACTOR", 0, 6)]
    assert report.spans_kept_deleted == 2


def test_adding_a_deleted_span_again_clears_its_deletion(server, laptop):
    remove(server, "ACTOR")
    with Project.open(server) as project:
        project.add_span(project.document_ids()[0], "bob", "ACTOR", 0, 6)
    with Project.open(laptop) as project:
        report = merge_files(project, [server])
    assert ("ACTOR", 0, 6) in layer(laptop)
    assert report.counts["span deletions"].added == 0


def test_merging_deletions_again_changes_nothing(server, laptop):
    remove(server, "ACTOR")
    with Project.open(laptop) as project:
        merge_files(project, [server])
        before = dump(laptop)
        again = merge_files(project, [server])
    assert dump(laptop) == before
    assert not again.changed()
    assert again.counts["span deletions"].present == 1


def test_a_jsonl_copy_without_times_does_not_bring_a_deleted_span_back(server, tmp_path):
    remove(server, "ACTOR")
    jsonl = tmp_path / "old.jsonl"
    line = '{"text": "%s", "annotator": "bob", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}'
    jsonl.write_text(line % SHARED + "\n", encoding="utf-8")
    with Project.open(server) as project:
        report = merge_files(project, [jsonl])
    assert ("ACTOR", 0, 6) not in layer(server)
    assert report.spans_kept_deleted == 1
