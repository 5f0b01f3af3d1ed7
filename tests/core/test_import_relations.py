"""Imported relations (ImportedDocument.relations): stored between the imported spans in the
import's transaction, symmetric pairs head-first, idempotent; every misfit refused with the
file, line and relation number; unknown types refused unless labels may be added."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.errors import ImportFailed, UnknownLabels, UnknownRelationTypes
from annotator.core.model import ImportedDocument, ImportedRelation, ImportedSpan, SpanSource

TEXT = "Turkey 🚀 and Azerbaijan build the TF Kaan; Azerbaijan buys JF-17C jets."


def span(word: str, label: str, nth: int = 0, annotator: str | None = None) -> ImportedSpan:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return ImportedSpan(start, start + len(word), label, annotator)


SPANS = [
    span("Turkey", "ACTOR"),
    span("Azerbaijan", "actor"),  # the project's ACTOR, apart from case
    span("TF Kaan", "PLATFORM"),
    span("Azerbaijan", "ACTOR", 1),
    span("JF-17C", "PLATFORM"),
]


def document(*relations: ImportedRelation, spans=SPANS) -> ImportedDocument:
    return ImportedDocument(
        TEXT,
        "Kaan",
        "kaan.jsonl",
        annotator="alice",
        line=7,
        verbatim=True,
        spans=list(spans),
        relations=list(relations),
    )


def dump(project) -> list[str]:
    with sqlite3.connect(project.path) as conn:
        return list(conn.iterdump())


def test_relations_are_stored_between_the_imported_spans(project):
    doc = document(
        ImportedRelation("BUYS", 3, 4),
        ImportedRelation("partners_with", 1, 0),  # symmetric: stored Turkey ↔ Azerbaijan
        ImportedRelation("PARTNERS_WITH", 0, 1),  # the same pair again
    )
    report = project.import_documents([doc])
    assert (report.relations_added, report.relations_existing) == (2, 0)
    (doc_id,) = report.document_ids
    by_start = {s.start: s.id for s in project.spans(doc_id, "alice")}
    stored = {(r.type, r.head, r.tail, r.source) for r in project.relations(doc_id, "alice")}
    assert stored == {
        ("BUYS", by_start[SPANS[3].start], by_start[SPANS[4].start], SpanSource.IMPORT),
        ("PARTNERS_WITH", by_start[0], by_start[SPANS[1].start], SpanSource.IMPORT),
    }
    again = project.import_documents([doc])  # idempotent
    assert (again.relations_added, again.relations_existing) == (0, 2)
    assert len(project.relations(doc_id)) == 2


@pytest.mark.parametrize(
    ("relation", "spans", "reason"),
    [
        (
            ImportedRelation("BUYS", 3, 9),
            SPANS,
            "its tail 9 is not one of the document's 5 span(s)",
        ),
        (ImportedRelation("BUYS", -1, 4), SPANS, "its head -1 is not one of the document's"),
        (ImportedRelation("BUYS", 4, 3), SPANS, "BUYS does not link PLATFORM → ACTOR"),
        (ImportedRelation("PARTNERS_WITH", 1, 1), SPANS, "it links a span to itself"),
        (
            ImportedRelation("BUYS", 0, 1),
            [SPANS[0], span("TF Kaan", "PLATFORM", annotator="bob")],
            "it links spans of two annotators (alice, bob)",
        ),
    ],
)
def test_a_relation_that_does_not_fit_refuses_the_import(project, relation, spans, reason):
    before = dump(project)
    good = document(ImportedRelation("BUYS", 3, 4))
    with pytest.raises(ImportFailed) as info:
        project.import_documents([good, document(relation, spans=spans)])
    (error,) = info.value.errors  # only the misfit: the good document's relation passes
    assert str(error).startswith(f"kaan.jsonl:7: relation 1: {reason}")
    assert dump(project) == before


def test_unknown_relation_types_refuse_unless_labels_may_be_added(project):
    doc = document(ImportedRelation("SELLS", 0, 2), ImportedRelation("sells", 1, 2))
    before = dump(project)
    with pytest.raises(UnknownRelationTypes) as info:
        project.import_documents([doc])
    assert isinstance(info.value, UnknownLabels)  # the app and the CLI offer to add them
    assert str(info.value) == (
        "relation types this project does not have: 'SELLS' (2 relations, first at kaan.jsonl:7)"
    )
    assert dump(project) == before
    report = project.import_documents([doc], add_labels=True)
    assert report.relation_types_added == ["SELLS"] and report.relations_added == 2
    sells = project.relation_type("SELLS")
    assert (sells.directed, sells.head_labels, sells.tail_labels) == (True, (), ())
