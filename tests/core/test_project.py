"""Project API: labels, documents, spans and states; every mutation reports its Changes."""

from __future__ import annotations

import pytest

from annotator.core.errors import ConflictError, NotFoundError, UnknownLabels
from annotator.core.model import ImportedDocument, ImportedSpan, SpanSource, Status
from annotator.core.project import DocumentFilter

TEXT = "Azerbaijan bought the JF-17C Thunder from Pakistan 🚀, citing ageing MiG-29s."


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT, title="JF-17 deal").documents))


def test_new_project_has_the_default_schema(project):
    labels = project.labels()
    assert [(lab.name, lab.hotkey) for lab in labels] == [
        ("ACTOR", "1"),
        ("PLATFORM", "2"),
        ("MOTIVATION", "3"),
    ]
    assert all(lab.description for lab in labels)


def test_add_rename_recolour_rekey_describe_and_remove_a_label(project):
    changes = project.add_label("COUNTRY", "#abc", "4", "states only")
    assert changes.labels == {"COUNTRY"}
    assert project.label("COUNTRY").color == "#AABBCC"
    project.update_label("COUNTRY", new_name="STATE", color="#112233", hotkey="5", description="d")
    state = project.label("STATE")
    assert (state.color, state.hotkey, state.description) == ("#112233", "5", "d")
    project.update_label("STATE", hotkey=None)
    assert project.label("STATE").hotkey is None
    project.remove_label("STATE")
    with pytest.raises(NotFoundError):
        project.label("STATE")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "actor"}, "already exists"),
        ({"name": "NEW", "hotkey": "1"}, "already used"),
        ({"name": "NEW", "color": "red"}, "#RRGGBB"),
        ({"name": "NEW", "hotkey": "F1"}, "1-9 or a-z"),
        ({"name": " =padded"}, "must start with a letter or digit"),  # after trimming
        ({"name": "ACТOR"}, "looks like the existing label 'ACTOR'"),  # a Cyrillic Т
        ({"name": "BAD\x07"}, "control character"),
        ({"name": ""}, "is empty"),
    ],
)
def test_bad_labels_are_refused_and_nothing_changes(project, kwargs, message):
    before = project.labels()
    with pytest.raises(ConflictError, match=message):
        project.add_label(**kwargs)
    assert project.labels() == before


def test_label_in_use_is_kept_unless_forced(project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", 0, 10)
    with pytest.raises(ConflictError, match="used by 1 span"):
        project.remove_label("ACTOR")
    assert project.spans(doc_id)
    changes = project.remove_label("ACTOR", force=True)
    assert len(changes.spans_removed) == 1
    assert project.spans(doc_id) == []


def test_spans_per_annotator_with_overlaps(project, doc_id):
    a = project.add_span(doc_id, "alice", "PLATFORM", 22, 36).spans_added[0]
    project.add_span(doc_id, "alice", "MOTIVATION", 61, 75)
    project.add_span(doc_id, "alice", "PLATFORM", 68, 74)  # nested inside the motivation
    project.add_span(doc_id, "bob", "ACTOR", 0, 10)
    assert TEXT[22:36] == "JF-17C Thunder"
    assert [s.label for s in project.spans(doc_id, "alice")] == [
        "PLATFORM",
        "MOTIVATION",
        "PLATFORM",
    ]
    assert [s.annotator for s in project.spans(doc_id)] == ["bob", "alice", "alice", "alice"]
    assert project.span(a).source is SpanSource.MANUAL


def test_relabel_resize_note_and_remove(project, doc_id):
    span_id = project.add_span(doc_id, "alice", "ACTOR", 0, 11).spans_added[0]
    assert project.relabel_span(span_id, "PLATFORM").spans_updated == (span_id,)
    project.resize_span(span_id, 0, 10)
    project.set_span_note(span_id, "check")
    span = project.span(span_id)
    assert (span.label, span.start, span.end, span.note) == ("PLATFORM", 0, 10, "check")
    assert project.remove_span(span_id).spans_removed == (span_id,)
    with pytest.raises(NotFoundError):
        project.span(span_id)


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 2), (-1, 3), (0, len(TEXT) + 1)])
def test_bad_offsets_are_refused(project, doc_id, start, end):
    with pytest.raises(ConflictError, match="does not fit"):
        project.add_span(doc_id, "alice", "ACTOR", start, end)
    assert project.spans(doc_id) == []


def test_duplicate_span_is_refused(project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", 0, 10)
    with pytest.raises(ConflictError, match="already marked"):
        project.add_span(doc_id, "alice", "ACTOR", 0, 10)
    project.add_span(doc_id, "bob", "ACTOR", 0, 10)  # another layer may agree


def test_unknown_document_label_and_span(project, doc_id):
    with pytest.raises(NotFoundError):
        project.document(999)
    with pytest.raises(NotFoundError):
        project.add_span(doc_id, "alice", "NOPE", 0, 3)
    with pytest.raises(NotFoundError):
        project.remove_span(999)


def test_status_is_per_annotator(project, doc_id):
    assert project.status(doc_id, "alice") is Status.TODO
    changes = project.set_status(doc_id, "alice", Status.DONE)
    assert changes.states == {(doc_id, "alice")}
    assert project.status(doc_id, "alice") is Status.DONE
    assert project.status(doc_id, "bob") is Status.TODO
    assert project.states(doc_id) == {"alice": Status.DONE}


def test_documents_are_stored_canonical_and_deduplicated(project):
    first = project.add_document("Line one\r\nCafe\u0301\r\n")
    again = project.add_document("Line one\nCafé\n")
    assert first.documents == again.documents
    doc = project.document(next(iter(first.documents)))
    assert doc.text == "Line one\nCafé\n"
    assert project.count_documents() == 1


def test_verbatim_documents_keep_their_text(project):
    changes = project.add_document("a\r\nb\u0301", verbatim=True)
    assert project.document(next(iter(changes.documents))).text == "a\r\nb\u0301"


def test_list_filters_by_status_label_text_and_pages(project):
    ids = []
    for n in range(5):
        ids.append(
            next(iter(project.add_document(f"Article {n}: Baykar sells drone {n}").documents))
        )
    project.add_document("Nothing relevant here at all")
    project.set_status(ids[0], "alice", Status.DONE)
    project.set_status(ids[1], "bob", Status.SKIPPED)
    project.add_span(ids[2], "alice", "ACTOR", 13, 19)
    alice = DocumentFilter(annotator="alice")
    assert [d.id for d in project.documents(DocumentFilter(status=Status.DONE))] == [ids[0]]
    done_by_bob = DocumentFilter(annotator="bob", status=Status.DONE)
    assert project.documents(done_by_bob) == []
    todo_for_alice = DocumentFilter(annotator="alice", status=Status.TODO)
    assert len(project.documents(todo_for_alice)) == 5
    assert [d.id for d in project.documents(DocumentFilter(label="ACTOR"))] == [ids[2]]
    assert project.documents(DocumentFilter(annotator="bob", label="ACTOR")) == []
    assert len(project.documents(DocumentFilter(search="baykar DRONE"))) == 5
    assert [d.id for d in project.documents(DocumentFilter(search="drone 3"))] == [ids[3]]
    assert project.documents(DocumentFilter(search='"; DROP TABLE')) == []
    page = project.documents(offset=2, limit=2)
    assert [d.id for d in page] == ids[2:4]
    assert project.count_documents(DocumentFilter(search="baykar")) == 5
    summary = project.documents(alice, limit=3)[2]
    assert (summary.span_count, summary.status) == (1, Status.TODO)


def test_search_without_fts_uses_the_plain_fallback(project):
    project.add_document("Türkiye ordered the Hisar-A+ system")
    project.store.use_fts = False
    assert len(project.documents(DocumentFilter(search="hisar türkiye"))) == 1
    assert project.documents(DocumentFilter(search="100%")) == []


def test_import_is_idempotent_and_adds_unknown_labels_when_asked(project):
    docs = [
        ImportedDocument(
            "Baykar 🚀 sold TB2\r\nto Azerbaijan",
            spans=[ImportedSpan(0, 6, "ACTOR"), ImportedSpan(9, 13, "SELLER", "bob")],
            annotator="carol",
            status="done",
            verbatim=True,
        )
    ]
    with pytest.raises(UnknownLabels, match="'SELLER' \\(1 span, first at input\\)"):
        project.import_documents(docs)
    assert project.count_documents() == 0
    assert "SELLER" not in [label.name for label in project.labels()]
    first = project.import_documents(docs, add_labels=True)
    assert (first.documents_added, first.spans_added, first.labels_added) == (1, 2, ["SELLER"])
    second = project.import_documents(docs)
    assert (second.documents_added, second.documents_existing) == (0, 1)
    assert (second.spans_added, second.spans_existing) == (0, 2)
    doc_id = first.document_ids[0]
    spans = project.spans(doc_id)
    assert {(s.annotator, s.label, s.start, s.end) for s in spans} == {
        ("carol", "ACTOR", 0, 6),
        ("bob", "SELLER", 9, 13),
    }
    assert all(s.source is SpanSource.IMPORT for s in spans)
    assert project.status(doc_id, "carol") is Status.DONE


def test_import_of_spans_outside_the_text_stores_nothing(project):
    from annotator.core.errors import ImportFailed

    bad = ImportedDocument("short", spans=[ImportedSpan(2, 9, "ACTOR")], verbatim=True, line=3)
    good = ImportedDocument("another document")
    with pytest.raises(ImportFailed, match="does not fit"):
        project.import_documents([good, bad])
    assert project.count_documents() == 0


def test_stats(project, doc_id):
    project.add_span(doc_id, "alice", "ACTOR", 0, 10)
    project.set_status(doc_id, "alice", Status.DONE)
    stats = project.stats()
    assert (stats.documents, stats.spans, stats.characters) == (1, 1, len(TEXT))
    assert stats.spans_per_label == {"ACTOR": 1, "PLATFORM": 0, "MOTIVATION": 0}
    assert stats.status_per_annotator == {"alice": {"done": 1}}
