"""Relations travel with merges: matched by their two spans' identity and type, idempotent,
deletions last-change-wins, relation types with their definitions, one layer on push."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import pytest

from annotator.core.errors import InputError
from annotator.core.merge_records import MergeDeletion, MergeDocument
from annotator.core.merge_sources import ProjectFileSource
from annotator.core.project import Project
from annotator.core.sync import LayerSource
from annotator.io.merge_input import merge_files
from merge_builders import SHARED, dump, make_other

BAYKAR, TB2, AZERBAIJAN = ("ACTOR", 0, 6), ("PLATFORM", 12, 15), ("ACTOR", 26, 36)


def span_id(project: Project, doc: int, annotator: str, key) -> int:
    (found,) = [
        s.id for s in project.spans(doc, annotator) if (s.label, s.start, s.end) == tuple(key)
    ]
    return found


def link(path, type_name: str, head, tail, annotator: str = "bob") -> None:
    with Project.open(path) as project:
        doc = project.document_ids()[0]
        ids = [span_id(project, doc, annotator, end) for end in (head, tail)]
        project.add_relation(doc, annotator, type_name, *ids)


def links(path, annotator: str | None = None) -> set[tuple]:
    """(annotator, type, head, tail) of every relation of the shared document."""
    with Project.open(path) as project:
        doc = project.document_ids()[0]
        ends = {s.id: (s.label, s.start, s.end) for s in project.spans(doc)}
        return {
            (r.annotator, r.type, ends[r.head], ends[r.tail])
            for r in project.relations(doc, annotator)
        }


def unlink(path, type_name: str) -> None:
    with Project.open(path) as project:
        doc = project.document_ids()[0]
        (relation,) = [r for r in project.relations(doc) if r.type == type_name]
        project.remove_relation(relation.id)


@pytest.fixture
def server(tmp_path):
    """bob's layer of the shared text: Baykar SUPPLIES TB2, Azerbaijan BUYS TB2, Baykar
    PARTNERS_WITH Azerbaijan (symmetric)."""
    path = make_other(tmp_path / "server.db")
    with Project.open(path) as project:
        project.add_span(project.document_ids()[0], "bob", *AZERBAIJAN)
    link(path, "SUPPLIES", BAYKAR, TB2)
    link(path, "BUYS", AZERBAIJAN, TB2)
    link(path, "PARTNERS_WITH", AZERBAIJAN, BAYKAR)
    return path


@pytest.fixture
def laptop(server, tmp_path):
    """A copy of the server project taken before anything was deleted (a pulled file)."""
    return shutil.copy(server, tmp_path / "laptop.db")


def test_relations_come_with_their_spans_and_merging_again_adds_nothing(server, tmp_path):
    target = tmp_path / "target.db"
    Project.create(target).close()
    with Project.open(target) as project:
        report = merge_files(project, [server])
    assert links(target) == links(server)
    assert len(links(target)) == 3
    counts = report.counts["relations"]
    assert (counts.added, counts.present, counts.conflicts) == (3, 0, [])
    assert report.counts["relation types"].present == 4  # the default types, by name
    before = dump(target)
    with Project.open(target) as project:
        again = merge_files(project, [server])
    assert dump(target) == before
    assert not again.changed()
    assert again.counts["relations"].present == 3


def test_a_symmetric_relation_matches_in_either_order(server, laptop):
    with Project.open(laptop) as project:
        project.remove_relation(
            next(r.id for r in project.relations(1) if r.type == "PARTNERS_WITH")
        )
    link(laptop, "PARTNERS_WITH", BAYKAR, AZERBAIJAN)  # linked the other way round
    with Project.open(laptop) as project:
        report = merge_files(project, [server])
    assert report.counts["relations"].present == 3
    assert report.counts["relations"].added == 0


def test_a_relation_deletion_travels_on_to_a_third_copy(server, laptop, tmp_path):
    third = shutil.copy(laptop, tmp_path / "third.db")
    unlink(server, "BUYS")
    with Project.open(laptop) as project:  # pull: the deletion arrives
        report = merge_files(project, [server])
    assert {r[1] for r in links(laptop)} == {"SUPPLIES", "PARTNERS_WITH"}
    assert report.relation_deletions_applied == 1
    assert report.counts["relation deletions"].added == 1
    assert "1 relation(s) removed" in report.deletions_line()
    with Project.open(third) as project:  # and travels on from the laptop
        merge_files(project, [laptop])
    assert links(third) == links(server)


def test_an_older_copy_does_not_bring_a_deleted_relation_back(server, laptop):
    unlink(server, "BUYS")
    with Project.open(server) as project:
        report = merge_files(project, [laptop])
    assert "BUYS" not in {r[1] for r in links(server)}
    assert report.relations_kept_deleted == 1
    assert report.counts["relations"].added == 0


def test_a_relation_added_again_after_its_deletion_elsewhere_is_kept(server, laptop):
    unlink(server, "BUYS")
    with Project.open(laptop) as project:
        merge_files(project, [server])
    link(laptop, "BUYS", AZERBAIJAN, TB2)  # linked again on the laptop: newer than the deletion
    with Project.open(server) as project:
        report = merge_files(project, [laptop])
    assert "BUYS" in {r[1] for r in links(server)}
    assert report.counts["relations"].added == 1


class DeletionOnly:
    """A merge source holding only the deletion of bob's Baykar span of the shared text (as
    a file written before relations existed would)."""

    name = "old.db"

    def labels(self):
        return []

    def annotators(self):
        return {}

    def relation_types(self):
        return []

    def count(self):
        return 1

    def documents(self):
        gone = MergeDeletion("bob", *BAYKAR, datetime(2100, 1, 1))
        yield MergeDocument(SHARED, deletions=[gone])


def test_a_span_deleted_by_a_merge_takes_its_relations_and_leaves_their_tombstones(server, laptop):
    with Project.open(server) as project:
        report = project.merge([DeletionOnly()])
    assert links(server) == {("bob", "BUYS", AZERBAIJAN, TB2)}
    assert report.relation_deletions_applied == 2
    with Project.open(server) as project:  # an old copy does not bring them back
        again = merge_files(project, [laptop])
    assert links(server) == {("bob", "BUYS", AZERBAIJAN, TB2)}
    assert (again.spans_kept_deleted, again.relations_kept_deleted) == (1, 2)
    with Project.open(laptop) as project:  # and the deletions travel on
        merge_files(project, [server])
    assert links(laptop) == links(server)


def test_a_new_relation_type_comes_with_its_definition(server, tmp_path):
    with Project.open(server) as project:
        project.add_relation_type(
            "OPERATES",
            "#123456",
            head_labels=("ACTOR",),
            tail_labels=("PLATFORM",),
            description="who flies it",
        )
    link(server, "OPERATES", AZERBAIJAN, TB2)
    target = tmp_path / "target.db"
    Project.create(target).close()
    with Project.open(target) as project:
        report = merge_files(project, [server])
        kind = project.relation_type("OPERATES")
    assert (kind.directed, kind.head_labels, kind.tail_labels) == (True, ("ACTOR",), ("PLATFORM",))
    assert (kind.color, kind.description) == ("#123456", "who flies it")
    assert report.counts["relation types"].added == 1
    assert ("bob", "OPERATES", AZERBAIJAN, TB2) in links(target)


def test_a_relation_its_type_does_not_allow_here_is_reported_not_added(server, tmp_path):
    target = tmp_path / "target.db"
    with Project.create(target) as project:
        project.update_relation_type("BUYS", head_labels=("MOTIVATION",))
    with Project.open(target) as project:
        report = merge_files(project, [server])
    assert "BUYS" not in {r[1] for r in links(target)}
    (refused,) = report.counts["relations"].conflicts
    assert "bob's BUYS relation ACTOR [26, 36) → PLATFORM [12, 15)" in str(refused)
    assert "does not allow these labels here; not added" in str(refused)
    (differs,) = report.counts["relation types"].conflicts
    assert "'BUYS' allows ACTOR at its head there, MOTIVATION here" in str(differs)


def test_a_pushed_layer_carries_only_that_annotators_relations(server, tmp_path):
    with Project.open(server) as project:
        doc = project.document_ids()[0]
        project.add_span(doc, "alice", *BAYKAR)
        project.add_span(doc, "alice", *TB2)
    link(server, "BUYS", BAYKAR, TB2, annotator="alice")
    target = tmp_path / "target.db"
    Project.create(target).close()
    with Project.open(target) as project, ProjectFileSource(server) as source:
        project.merge([LayerSource(source, "bob")])
    assert {r[0] for r in links(target)} == {"bob"}
    assert len(links(target)) == 3


def test_review_relation_rejections_come_across_unless_gold_here_holds_the_relation(
    server, tmp_path
):
    with Project.open(server) as project:
        project.set_relation_rejected(1, ("SUPPLIES", BAYKAR, TB2), True)
        project.set_relation_rejected(1, ("PARTNERS_WITH", BAYKAR, AZERBAIJAN), True)
    target = tmp_path / "target.db"
    with Project.create(target) as project:
        (doc,) = project.add_document(SHARED, verbatim=True).documents
        ids = [project.add_span(doc, "gold", *end).spans_added[0] for end in (BAYKAR, AZERBAIJAN)]
        project.add_relation(doc, "gold", "PARTNERS_WITH", *ids)
        project.set_gold("gold")
    with Project.open(target) as project:
        report = merge_files(project, [server])
        assert project.relation_rejections(1) == {("SUPPLIES", BAYKAR, TB2)}
        again = merge_files(project, [server])
    counts = report.counts["rejected relations"]
    assert counts.added == 1
    (kept,) = counts.conflicts
    assert "PARTNERS_WITH ACTOR [0, 6) → ACTOR [26, 36) was rejected in review there" in str(kept)
    assert again.counts["rejected relations"].present == 1


def test_a_look_alike_relation_type_refuses_the_merge(server, tmp_path):
    with Project.open(server) as project:
        project.remove_relation_type("BUYS", force=True)
        project.add_relation_type("ВUYS")  # a Cyrillic В
    target = tmp_path / "target.db"
    Project.create(target).close()
    before = dump(target)
    with Project.open(target) as project, pytest.raises(InputError, match="looks like"):
        merge_files(project, [server])
    assert dump(target) == before


def test_a_jsonl_lines_relations_go_to_the_head_spans_layer(server, tmp_path):
    """What a JSONL reader gives (relations by span index) merges like a project's relations:
    bob's copy matches, the new one (Azerbaijan BUYS drones) is added between his spans."""
    from annotator.io.merge_input import JsonlSource

    drones = ("PLATFORM", 16, 22)
    ends = (BAYKAR, TB2, AZERBAIJAN, drones)
    line = {
        "text": SHARED,
        "annotator": "bob",
        "spans": [{"start": start, "end": end, "label": label} for label, start, end in ends],
        "relations": [
            {"head": 0, "tail": 1, "type": "SUPPLIES"},
            {"head": 2, "tail": 3, "type": "BUYS"},
        ],
    }
    path = tmp_path / "bob.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with Project.open(server) as project:
        report = project.merge([JsonlSource(path, "import")])
    assert (report.counts["relations"].present, report.counts["relations"].added) == (1, 1)
    assert ("bob", "BUYS", AZERBAIJAN, drones) in links(server)
