"""Relations between spans: the checks of add_relation (each refusal changes nothing),
symmetric pairs, removal with a span, tombstones, bulk storing, and the undoable commands."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from annotator.core.commands import (
    AddRelationCommand,
    AddRelationTypeCommand,
    RemoveRelationCommand,
    RemoveRelationTypeCommand,
    RemoveSpanCommand,
    UpdateRelationTypeCommand,
)
from annotator.core.errors import AnnotatorError, ConflictError, NotFoundError
from annotator.core.model import Changes, RelationType, SpanSource
from annotator.core.project import Project
from annotator.core.storage.orm import Base, RelationTombstoneRow

pytestmark = pytest.mark.any_backend

TEXT = "Azerbaijan 🚀 buys JF-17C Thunder jets from Pakistan and partners with Turkey."
CHANGED = "was changed by someone else since; nothing was changed"
REMOVED = "was removed by someone else since; nothing was changed"


def mark(project, doc_id, label, word, annotator="alice"):
    start = TEXT.index(word)
    return project.add_span(doc_id, annotator, label, start, start + len(word)).spans_added[0]


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT).documents))


@pytest.fixture
def spans(project, doc_id) -> dict[str, int]:
    """alice's spans by word: three actors and a platform (the 🚀 shifts every offset after it)."""
    return {
        word: mark(project, doc_id, label, word)
        for label, word in [
            ("ACTOR", "Azerbaijan"),
            ("PLATFORM", "JF-17C Thunder"),
            ("ACTOR", "Pakistan"),
            ("ACTOR", "Turkey"),
        ]
    }


def dump(project) -> dict[str, list[tuple]]:
    """Every row of every table (on SQLite and on a server alike)."""
    with project.engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
            for name, table in Base.metadata.tables.items()
        }


def tombstones(project) -> list[tuple]:
    row = RelationTombstoneRow
    query = select(
        row.type, row.head_label, row.head_start, row.head_end,
        row.tail_label, row.tail_start, row.tail_end,
    )  # fmt: skip
    with project.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def without_times(relations):
    return [replace(r, created_at=None, updated_at=None) for r in relations]


def test_a_new_project_has_the_default_relation_types(project):
    kinds = {kind.name: kind for kind in project.relation_types()}
    assert list(kinds) == ["BUYS", "SUPPLIES", "PARTNERS_WITH", "MOTIVATES"]
    assert (kinds["BUYS"].head_labels, kinds["BUYS"].tail_labels) == (("ACTOR",), ("PLATFORM",))
    assert not kinds["PARTNERS_WITH"].directed
    assert kinds["MOTIVATES"].head_labels == ("MOTIVATION",)
    assert [kind.hotkey for kind in kinds.values()] == ["b", "s", "p", "m"]
    assert all("Example" in kind.description for kind in kinds.values())
    assert project.relation_type("buys") == kinds["BUYS"]  # case is ignored


def test_allows_checks_each_end_and_symmetric_types_either_order():
    buys = RelationType(1, "BUYS", "#000000", None, True, ("ACTOR",), ("PLATFORM",))
    assert buys.allows("ACTOR", "PLATFORM") and not buys.allows("PLATFORM", "ACTOR")
    mixed = replace(buys, directed=False, tail_labels=("PLATFORM", "MOTIVATION"))
    assert mixed.allows("PLATFORM", "ACTOR") and not mixed.allows("PLATFORM", "PLATFORM")
    anything = replace(buys, head_labels=(), tail_labels=())
    assert anything.allows("MOTIVATION", "MOTIVATION")


def test_add_relation_stores_it_and_carries_its_values(project, doc_id, spans):
    changes = project.add_relation(
        doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"]
    )
    (relation,) = changes.relations
    assert changes.relations_added == (relation.id,) and changes.documents == {doc_id}
    assert (relation.type, relation.head, relation.tail, relation.annotator) == (
        "BUYS",
        spans["Azerbaijan"],
        spans["JF-17C Thunder"],
        "alice",
    )
    assert relation.source is SpanSource.MANUAL and relation.created_at is not None
    assert project.relations(doc_id) == [relation]
    assert project.relations(doc_id, "alice") == [relation]
    assert project.relations(doc_id, "bob") == []
    assert project.relations_with_ids([relation.id, 999]) == [relation]
    assert project.relations_of_documents([doc_id, 12345]) == {doc_id: [relation], 12345: []}


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("missing span", NotFoundError, "no span with id 999"),
        ("another document", ConflictError, "is not in document"),
        ("another annotator", ConflictError, "is not in alice's layer"),
        ("same span", ConflictError, "links two different spans"),
        ("labels not allowed", ConflictError, "BUYS does not link PLATFORM → ACTOR"),
        ("exists", ConflictError, "already linked these spans as BUYS"),
        ("unknown type", NotFoundError, "no relation type named 'SELLS'"),
    ],
)
def test_add_relation_refusals_change_nothing(project, doc_id, spans, case, error, message):
    azerbaijan, jet = spans["Azerbaijan"], spans["JF-17C Thunder"]
    project.add_relation(doc_id, "alice", "BUYS", azerbaijan, jet)
    other_doc = next(iter(project.add_document("Pakistan sells jets.").documents))
    elsewhere = project.add_span(other_doc, "alice", "ACTOR", 0, 8).spans_added[0]
    bobs = mark(project, doc_id, "PLATFORM", "jets", annotator="bob")
    attempt = {
        "missing span": ("BUYS", azerbaijan, 999),
        "another document": ("BUYS", elsewhere, jet),
        "another annotator": ("BUYS", azerbaijan, bobs),
        "same span": ("PARTNERS_WITH", azerbaijan, azerbaijan),
        "labels not allowed": ("BUYS", jet, azerbaijan),
        "exists": ("BUYS", azerbaijan, jet),
        "unknown type": ("SELLS", azerbaijan, jet),
    }[case]
    before = dump(project)
    with pytest.raises(error, match=message):
        project.add_relation(doc_id, "alice", *attempt)
    assert dump(project) == before


def test_a_symmetric_pair_is_stored_once_with_the_earlier_span_as_head(project, doc_id, spans):
    changes = project.add_relation(
        doc_id, "alice", "partners_with", spans["Turkey"], spans["Azerbaijan"]
    )
    (relation,) = changes.relations
    assert (relation.type, relation.head, relation.tail) == (
        "PARTNERS_WITH",
        spans["Azerbaijan"],
        spans["Turkey"],
    )
    with pytest.raises(ConflictError, match="already linked"):
        project.add_relation(doc_id, "alice", "PARTNERS_WITH", spans["Azerbaijan"], spans["Turkey"])


def test_removing_a_span_removes_its_relations_and_leaves_their_tombstones(project, doc_id, spans):
    buys = project.add_relation(
        doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"]
    )
    partners = project.add_relation(
        doc_id, "alice", "PARTNERS_WITH", spans["Azerbaijan"], spans["Turkey"]
    )
    kept = project.add_relation(
        doc_id, "alice", "SUPPLIES", spans["Pakistan"], spans["JF-17C Thunder"]
    )
    changes = project.remove_span(spans["Azerbaijan"])
    assert changes.relations_before == buys.relations + partners.relations
    assert changes.relations_removed == buys.relations_added + partners.relations_added
    assert project.relations(doc_id) == list(kept.relations)
    start = TEXT.index("JF-17C")
    turkey = TEXT.index("Turkey")
    assert sorted(tombstones(project)) == [
        ("BUYS", "ACTOR", 0, 10, "PLATFORM", start, start + 14),
        ("PARTNERS_WITH", "ACTOR", 0, 10, "ACTOR", turkey, turkey + 6),
    ]
    project.restore_spans(changes.spans_before)
    project.restore_relations(changes.relations_before)
    everything = [*buys.relations, *partners.relations, *kept.relations]
    assert without_times(project.relations(doc_id)) == without_times(
        sorted(everything, key=lambda r: r.id)
    )
    assert tombstones(project) == []  # a restored relation's deletion is forgotten


def test_remove_relation_leaves_a_tombstone_and_adding_it_again_forgets_it(project, doc_id, spans):
    args = (doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    (relation,) = project.add_relation(*args).relations
    changes = project.remove_relation(relation.id)
    assert changes.relations_before == (relation,) and changes.relations_removed == (relation.id,)
    assert project.relations(doc_id) == [] and len(tombstones(project)) == 1
    project.add_relation(*args)
    assert tombstones(project) == []
    with pytest.raises(NotFoundError, match="no relation with id 999"):
        project.remove_relation(999)


def test_store_relations_inserts_many_and_skips_duplicates(project, doc_id, spans):
    a, jet, p, t = (spans[w] for w in ("Azerbaijan", "JF-17C Thunder", "Pakistan", "Turkey"))
    project.add_relation(doc_id, "alice", "BUYS", a, jet)
    rows = [
        ("BUYS", a, jet, SpanSource.IMPORT),  # stored already
        ("SUPPLIES", p, jet, SpanSource.IMPORT),
        ("PARTNERS_WITH", t, a, "import"),  # symmetric: stored as a ↔ t
        ("partners_with", a, t, "import"),  # the same pair again
    ]
    changes = project.store_relations(doc_id, "alice", rows)
    assert len(changes.relations_added) == 2 and changes.documents == {doc_id}
    stored = {(r.type, r.head, r.tail, r.source) for r in project.relations(doc_id)}
    assert stored == {
        ("BUYS", a, jet, SpanSource.MANUAL),
        ("SUPPLIES", p, jet, SpanSource.IMPORT),
        ("PARTNERS_WITH", a, t, SpanSource.IMPORT),
    }
    before = dump(project)
    with pytest.raises(ConflictError, match="does not link"):
        project.store_relations(
            doc_id, "alice", [("SUPPLIES", p, jet, "import"), ("BUYS", jet, a, "import")]
        )
    assert dump(project) == before
    assert project.store_relations(doc_id, "alice", []) == Changes()


def test_relation_type_rules_and_refusals(project, doc_id, spans):
    project.add_relation_type(
        "OPERATES", hotkey="o", head_labels=["actor"], tail_labels=["PLATFORM"]
    )
    kind = project.relation_type("OPERATES")
    assert (kind.head_labels, kind.color.startswith("#"), kind.directed) == (("ACTOR",), True, True)
    for call, message in [
        (lambda: project.add_relation_type("operates"), "already exists"),
        (lambda: project.add_relation_type("LEASES", hotkey="b"), "hotkey 'b' is already used"),
        (
            lambda: project.add_relation_type("X", head_labels=["NOPE"]),
            "no span label named 'NOPE'",
        ),
        (lambda: project.add_relation_type(" "), "relation type name"),
        (lambda: project.add_relation_type("Y", color="blue"), "not of the form"),
        (lambda: project.update_relation_type("BUYS", rename="supplies"), "already exists"),
        (lambda: project.update_relation_type("BUYS", hotkey="s"), "already used"),
    ]:
        before = dump(project)
        with pytest.raises(AnnotatorError, match=message):
            call()
        assert dump(project) == before
    project.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    with pytest.raises(ConflictError, match="used by 1 relation"):
        project.remove_relation_type("BUYS")
    with pytest.raises(ConflictError, match="symmetric only while none uses it"):
        project.update_relation_type("BUYS", directed=False)
    assert project.relation_type_usage("BUYS") == 1
    changes = project.remove_relation_type("BUYS", force=True)
    assert len(changes.relations_before) == 1 and project.relations(doc_id) == []
    project.update_relation_type("OPERATES", rename="RUNS", hotkey="", tail_labels=[])
    runs = project.relation_type("RUNS")
    assert (runs.hotkey, runs.head_labels, runs.tail_labels) == (None, ("ACTOR",), ())


def snapshot(project, doc_id):
    return (
        [replace(s, updated_at=None) for s in project.spans(doc_id)],
        without_times(project.relations(doc_id)),
        project.relation_types(),
    )


def round_trip(project, doc_id, command):
    """Apply, undo (as before), redo (as after the first apply)."""
    before = snapshot(project, doc_id)
    command.apply(project)
    after = snapshot(project, doc_id)
    assert after != before
    command.revert(project)
    assert snapshot(project, doc_id) == before
    command.apply(project)
    assert snapshot(project, doc_id) == after


def test_relation_commands_round_trip_with_the_same_ids(project, doc_id, spans):
    add = AddRelationCommand(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    round_trip(project, doc_id, add)
    assert add.text == "Add BUYS relation"
    assert [r.id for r in project.relations(doc_id)] == [add.relation.id]
    remove = RemoveRelationCommand(add.relation.id)
    round_trip(project, doc_id, remove)
    assert remove.text == "Remove BUYS relation"


def test_undo_of_a_span_removal_brings_back_its_relations(project, doc_id, spans):
    project.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    project.add_relation(doc_id, "alice", "PARTNERS_WITH", spans["Turkey"], spans["Azerbaijan"])
    command = RemoveSpanCommand(spans["Azerbaijan"])
    before = snapshot(project, doc_id)
    with project.transaction():
        changes = command.apply(project)
    assert len(changes.relations_before) == 2 and project.relations(doc_id) == []
    with project.transaction():
        undone = command.revert(project)
    assert snapshot(project, doc_id) == before
    assert sorted(undone.relations_added) == sorted(r.id for r in changes.relations_before)
    with project.transaction():
        command.apply(project)  # redo removes both again
    assert project.relations(doc_id) == [] and len(project.spans(doc_id)) == 3
    command.revert(project)
    assert snapshot(project, doc_id) == before


def test_undo_of_a_span_removal_is_one_transaction(project, doc_id, spans):
    project.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    command = RemoveSpanCommand(spans["Azerbaijan"])
    command.apply(project)
    project.remove_relation_type("BUYS")  # the relation cannot come back: nor may the span
    before = dump(project)
    with pytest.raises(ConflictError, match="relation type 'BUYS' " + REMOVED):
        command.revert(project)
    assert dump(project) == before


def test_undo_and_redo_refuse_when_another_writer_changed_the_relation(project, doc_id, spans):
    other = Project(project.location)
    try:
        add = AddRelationCommand(
            doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"]
        )
        add.apply(project)
        other.remove_relation(add.relation.id)
        with pytest.raises(ConflictError, match="the relation " + REMOVED):
            add.revert(project)
        other.restore_relations([replace(add.relation, source=SpanSource.IMPORT)])
        before = dump(project)
        with pytest.raises(ConflictError, match="the relation " + CHANGED):
            add.revert(project)
        assert dump(project) == before
        remove = RemoveRelationCommand(add.relation.id)
        remove.apply(project)
        other.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
        with pytest.raises(ConflictError, match="again"):
            remove.revert(project)
    finally:
        other.close()


def test_relation_type_commands_round_trip(project, doc_id, spans):
    add = AddRelationTypeCommand("OPERATES", "#123456", "o", head_labels=("ACTOR",))
    round_trip(project, doc_id, add)
    update = UpdateRelationTypeCommand(
        "OPERATES", {"rename": "RUNS", "hotkey": "", "tail_labels": ("PLATFORM",)}
    )
    round_trip(project, doc_id, update)
    assert project.relation_type("RUNS").hotkey is None
    project.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    remove = RemoveRelationTypeCommand("BUYS", force=True)
    round_trip(project, doc_id, remove)
    remove.revert(project)
    assert [r.type for r in project.relations(doc_id)] == ["BUYS"]
    project.update_relation_type("RUNS", hotkey="u")  # a field the update changed
    with pytest.raises(ConflictError, match="relation type 'RUNS' " + CHANGED):
        update.revert(project)


def test_undo_of_a_label_removal_brings_back_its_spans_relations_and_type_ends(
    project, doc_id, spans
):
    from annotator.core.commands import RemoveLabelCommand

    project.add_relation(doc_id, "alice", "BUYS", spans["Azerbaijan"], spans["JF-17C Thunder"])
    project.add_relation(doc_id, "alice", "PARTNERS_WITH", spans["Azerbaijan"], spans["Turkey"])
    command = RemoveLabelCommand("PLATFORM", force=True)
    before = snapshot(project, doc_id)
    changes = command.apply(project)
    assert [r.type for r in changes.relations_before] == ["BUYS"]
    assert [r.type for r in project.relations(doc_id)] == ["PARTNERS_WITH"]
    assert project.relation_type("BUYS").tail_labels == ()
    assert len(tombstones(project)) == 1
    command.revert(project)
    assert snapshot(project, doc_id) == before
    assert tombstones(project) == []


def test_undo_of_an_add_or_an_accept_all_refuses_while_another_writer_linked_the_span(
    project, doc_id, spans
):
    from annotator.core.commands import AcceptSuggestionsCommand, AddSpanCommand
    from annotator.core.model import NewSuggestion

    start = TEXT.index("jets")
    add = AddSpanCommand(doc_id, "alice", "PLATFORM", start, start + 4)
    add.apply(project)
    thunder = TEXT.index("Thunder")  # a platform suggestion inside alice's JF-17C Thunder
    project.store_suggestions(doc_id, "m", [NewSuggestion(thunder, thunder + 7, "PLATFORM")])
    (suggestion,) = project.suggestions(doc_id)
    accept = AcceptSuggestionsCommand((suggestion.id,), "alice")
    accept.apply(project)
    other = Project(project.location)
    try:
        for span in (add.span, accept.spans[0]):
            other.add_relation(doc_id, "alice", "BUYS", spans["Pakistan"], span.id)
    finally:
        other.close()
    refusals = [(add, "the span's relations"), (accept, "the relations of the accepted spans")]
    for command, what in refusals:
        before = dump(project)
        with pytest.raises(ConflictError, match=f"{what} {CHANGED}"):
            command.revert(project)
        assert dump(project) == before


def test_a_relation_edit_by_key_press_costs_a_few_statements_in_one_transaction(
    project, doc_id, spans
):
    from annotator.core.commands import carried_out
    from sql_count import counting_sql

    head, tail = spans["Azerbaijan"], spans["JF-17C Thunder"]
    command = AddRelationCommand(doc_id, "alice", "BUYS", head, tail)
    with counting_sql(project) as add:
        changes = carried_out(project, command.apply)
    assert changes.relations == (command.relation,)  # nothing is read back
    with counting_sql(project) as undo:
        carried_out(project, command.revert)
    with counting_sql(project) as delete_span:
        carried_out(project, RemoveSpanCommand(spans["Pakistan"]).apply)  # no relations: as before
    counts = [(c.statements, c.transactions) for c in (add, undo, delete_span)]
    assert counts[0][0] <= 7 and counts[1][0] <= 6 and counts[2][0] <= 5, counts
    assert [transactions for _, transactions in counts] == [1, 1, 1]


def test_has_relations_says_whether_a_layer_or_the_project_holds_any(project):
    doc = next(iter(project.add_document("Baykar sells TB2.", verbatim=True).documents))
    head = project.add_span(doc, "alice", "ACTOR", 0, 6).spans_added[0]
    tail = project.add_span(doc, "alice", "PLATFORM", 13, 16).spans_added[0]
    project.add_span(doc, "ben", "ACTOR", 0, 6)
    assert not project.has_relations()
    project.add_relation(doc, "alice", "BUYS", head, tail)
    assert project.has_relations() and project.has_relations("alice")
    assert not project.has_relations("ben") and not project.has_relations("nobody")
