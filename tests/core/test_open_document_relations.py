"""The open document's relations: kept current from change records without reading (added and
removed relations carry their values), dropped with their spans, back with an undo, and the
selected relation follows them."""

from __future__ import annotations

from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, Document, Relation, Span
from annotator.core.open_document import OpenDocument, OpenDocumentListener, RelationChange

DOC = Document(1, "Doc", "doc.txt", "Azerbaijan buys JF-17C Thunder jets from Pakistan.", "sha")
ME = "ana"
AZ = Span(1, DOC.id, ME, "ACTOR", 0, 10)
JF = Span(2, DOC.id, ME, "PLATFORM", 16, 30)
PK = Span(3, DOC.id, ME, "ACTOR", 41, 49)
BUYS = Relation(10, DOC.id, ME, "BUYS", AZ.id, JF.id)
SUPPLIES = Relation(11, DOC.id, ME, "SUPPLIES", PK.id, JF.id)


class Heard(OpenDocumentListener):
    def __init__(self) -> None:
        self.relation_reports = 0
        self.changes: list[RelationChange | None] = []
        self.selected: list[Relation | None] = []

    def relations_changed(self, change: RelationChange | None) -> None:
        self.relation_reports += 1
        self.changes.append(change)

    def relation_selected(self, relation: Relation | None) -> None:
        self.selected.append(relation)


def opened(*relations: Relation) -> tuple[OpenDocument, Heard]:
    doc = OpenDocument(ME, lambda _id: [])
    heard = Heard()
    doc.listeners.append(heard)
    doc.open(DOC, SpanIndex([AZ, JF, PK]), relations)
    heard.relation_reports = 0
    heard.changes.clear()
    heard.selected.clear()
    return doc, heard


def test_opening_holds_the_relations_and_records_update_them_from_their_values():
    doc, heard = opened(BUYS)
    assert doc.relations == {BUYS.id: BUYS}
    doc.apply(Changes(documents=frozenset({DOC.id}), relations_added=(11,), relations=(SUPPLIES,)))
    assert doc.relations == {BUYS.id: BUYS, SUPPLIES.id: SUPPLIES}
    doc.apply(
        Changes(documents=frozenset({DOC.id}), relations_removed=(10,), relations_before=(BUYS,))
    )
    assert doc.relations == {SUPPLIES.id: SUPPLIES}
    assert heard.relation_reports == 2
    assert doc.relations_of(JF.id) == [SUPPLIES]


def test_other_annotators_and_documents_relations_are_not_taken():
    doc, heard = opened()
    theirs = Relation(12, DOC.id, "bob", "BUYS", 7, 8)
    elsewhere = Relation(13, 2, ME, "BUYS", 7, 8)
    doc.apply(
        Changes(
            documents=frozenset({DOC.id, 2}),
            relations_added=(12, 13),
            relations=(theirs, elsewhere),
        )
    )
    assert doc.relations == {}
    assert heard.relation_reports == 0


def test_removing_a_span_drops_its_relations_and_undo_brings_them_back():
    doc, _ = opened(BUYS, SUPPLIES)
    doc.select_relation(BUYS)
    doc.apply(  # the record as remove_span makes it: the span and its relation, with values
        Changes(
            documents=frozenset({DOC.id}),
            spans_removed=(AZ.id,),
            spans_before=(AZ,),
            relations_removed=(BUYS.id,),
            relations_before=(BUYS,),
        )
    )
    assert doc.relations == {SUPPLIES.id: SUPPLIES}
    assert doc.selected_relation is None
    doc.apply(  # undo: the span back, then its relations
        Changes(documents=frozenset({DOC.id}), spans_added=(AZ.id,), spans=(AZ,))
        | Changes(documents=frozenset({DOC.id}), relations_added=(BUYS.id,), relations=(BUYS,))
    )
    assert doc.relations == {BUYS.id: BUYS, SUPPLIES.id: SUPPLIES}
    assert AZ.id in {s.id for s in doc.spans}


def test_a_removed_span_takes_its_relations_even_when_the_record_does_not_name_them():
    doc, _ = opened(BUYS, SUPPLIES)
    doc.apply(Changes(documents=frozenset({DOC.id}), spans_removed=(JF.id,)))
    assert doc.relations == {}


def test_selecting_a_relation_drops_the_selected_span_and_the_other_way_round():
    doc, heard = opened(BUYS)
    doc.select(AZ)
    doc.select_relation(BUYS)
    assert (doc.selected, doc.selected_relation) == (None, BUYS)
    doc.select(JF)
    assert (doc.selected, doc.selected_relation) == (JF, None)
    assert heard.selected == [BUYS, None]


def test_a_renamed_type_read_again_keeps_the_selection_on_its_relation():
    doc, heard = opened(BUYS)
    doc.select_relation(BUYS)
    renamed = Relation(BUYS.id, DOC.id, ME, "PURCHASES", AZ.id, JF.id)
    doc.replace_relations([renamed])
    assert doc.selected_relation == renamed
    assert heard.selected[-1] == renamed


def test_a_report_names_the_relations_a_record_added_and_removed_and_a_reread_names_none():
    doc, heard = opened(BUYS)
    doc.apply(Changes(documents=frozenset({DOC.id}), relations_added=(11,), relations=(SUPPLIES,)))
    doc.apply(Changes(documents=frozenset({DOC.id}), relations_removed=(10, 99)))
    doc.apply(Changes(documents=frozenset({DOC.id}), spans_removed=(JF.id,)))  # SUPPLIES with it
    doc.replace_relations([BUYS])
    assert heard.changes == [
        RelationChange(came=(SUPPLIES,)),
        RelationChange(gone=(10,)),  # 99 was not there
        RelationChange(gone=(11,)),
        None,  # read again: any of them
    ]
