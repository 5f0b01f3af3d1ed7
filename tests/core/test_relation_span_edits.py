"""Relabelling or resizing a span keeps its relations valid: a relabel its relations' types
do not allow is refused (naming them and the rule, nothing changed), and a resize turns round a
symmetric pair whose later span became its head."""

from __future__ import annotations

import pytest
from test_relations import TEXT, dump, mark

from annotator.core.commands import RelabelSpanCommand, ResizeSpanCommand, carried_out
from annotator.core.errors import ConflictError
from annotator.core.open_document import OpenDocument
from sql_count import counting_sql

pytestmark = pytest.mark.any_backend


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT).documents))


@pytest.fixture
def spans(project, doc_id) -> dict[str, int]:
    words = [("ACTOR", "Azerbaijan"), ("PLATFORM", "JF-17C Thunder"), ("ACTOR", "Turkey")]
    return {word: mark(project, doc_id, label, word) for label, word in words}


def test_a_relabel_a_relation_forbids_is_refused_naming_it_and_changes_nothing(
    project, doc_id, spans
):
    azerbaijan, jet = spans["Azerbaijan"], spans["JF-17C Thunder"]
    buys = project.add_relation(doc_id, "alice", "BUYS", azerbaijan, jet).relations_added[0]
    project.add_relation_type("MENTIONS")  # any label at either end
    project.add_relation(doc_id, "alice", "MENTIONS", azerbaijan, jet)
    before = dump(project)
    message = (
        "a MOTIVATION span cannot keep its relation "
        "BUYS with PLATFORM 'JF-17C Thunder': BUYS links ACTOR → PLATFORM; "
        "remove the relation first; nothing was changed"
    )
    with pytest.raises(ConflictError) as refused:
        carried_out(project, RelabelSpanCommand(azerbaijan, label="MOTIVATION").apply)
    assert str(refused.value) == message
    assert dump(project) == before
    project.remove_relation(buys)
    with counting_sql(project) as relabel:
        carried_out(project, RelabelSpanCommand(azerbaijan, label="MOTIVATION").apply)
    assert relabel.statements <= 8  # the relabel's 7, and one read of the span's relations
    assert project.span(azerbaijan).label == "MOTIVATION"
    assert [r.type for r in project.relations(doc_id)] == ["MENTIONS"]


def test_a_relabel_breaking_several_relations_names_each_and_each_rule(project, doc_id, spans):
    azerbaijan, jet, turkey = spans["Azerbaijan"], spans["JF-17C Thunder"], spans["Turkey"]
    project.add_relation(doc_id, "alice", "BUYS", azerbaijan, jet)
    project.add_relation(doc_id, "alice", "PARTNERS_WITH", turkey, azerbaijan)
    before = dump(project)
    with pytest.raises(ConflictError) as refused:
        project.relabel_span(azerbaijan, "PLATFORM")
    text = str(refused.value)
    assert "relations BUYS with PLATFORM" in text and "PARTNERS_WITH with ACTOR" in text
    assert "BUYS links ACTOR → PLATFORM; PARTNERS_WITH links ACTOR ↔ ACTOR" in text
    assert text.endswith("remove those relations first; nothing was changed")
    assert dump(project) == before


def test_a_resize_turns_round_a_symmetric_pair_and_its_undo_turns_it_back(project, doc_id, spans):
    azerbaijan, turkey = spans["Azerbaijan"], spans["Turkey"]
    (pair,) = project.add_relation(doc_id, "alice", "PARTNERS_WITH", turkey, azerbaijan).relations
    assert (pair.head, pair.tail) == (azerbaijan, turkey)
    view = OpenDocument("alice", lambda _: [])
    view.open(project.document(doc_id), project.span_layer(doc_id, "alice"), [pair])
    late = TEXT.index("Turkey.")
    command = ResizeSpanCommand(azerbaijan, start=late, end=late + 7)  # "Turkey." after Turkey
    changes = carried_out(project, command.apply)
    (now,) = project.relations(doc_id)
    assert (now.id, now.head, now.tail) == (pair.id, turkey, azerbaijan)
    assert changes.relations == (now,) and changes.relations_removed == (pair.id,)
    view.apply(changes)
    assert [(r.head, r.tail) for r in view.relations.values()] == [(turkey, azerbaijan)]
    with pytest.raises(ConflictError, match="already linked"):  # still one pair, not two
        project.add_relation(doc_id, "alice", "PARTNERS_WITH", azerbaijan, turkey)
    carried_out(project, command.revert)
    (back,) = project.relations(doc_id)
    assert (back.id, back.head, back.tail) == (pair.id, azerbaijan, turkey)
