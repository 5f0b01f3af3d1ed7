"""Exports read documents and spans as plain rows, a chunk at a time: no ORM instance per row
(building them took most of an export's reading time)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields

import pytest
from format_samples import SAMPLES, fill
from sqlalchemy import event

from annotator.core.layers import ALL, Layer
from annotator.core.model import Span
from annotator.core.storage import repo
from annotator.core.storage.orm import DocumentRow, SpanRow
from annotator.io.export_options import export_formats
from annotator.io.exporter import export
from annotator.nlp.formats import register_formats


@pytest.fixture
def loaded_rows():
    """Every DocumentRow and SpanRow the ORM builds while the test runs."""
    loaded: list[object] = []

    def record(target, context):
        loaded.append(target)

    for row in (DocumentRow, SpanRow):
        event.listen(row, "load", record)
    yield loaded
    for row in (DocumentRow, SpanRow):
        event.remove(row, "load", record)


register_formats()


@pytest.mark.parametrize("fmt", export_formats())
def test_every_export_reads_rows_without_orm_instances(project, tmp_path, loaded_rows, fmt):
    fill(project)
    report = export(project, fmt, tmp_path / f"out-{fmt}", layer=ALL)
    assert report.documents == len(SAMPLES) and sum(report.spans_per_label.values()) > 0
    assert loaded_rows == []


def test_layer_spans_keep_every_field_but_the_timestamps(project, loaded_rows):
    fill(project)
    with project.snapshot():
        read = list(Layer(project, ALL).read(project.document_ids()))
    by_document = project.spans_of_documents(project.document_ids())
    stored = {span.id: span for spans in by_document.values() for span in spans}
    spans = [span for doc in read for span in doc.spans]
    assert spans and all(span.created_at is None and span.updated_at is None for span in spans)
    for span in spans:
        full = stored[span.id]
        assert full.created_at is not None
        assert (span.document_id, span.annotator, span.label, span.start, span.end) == (
            full.document_id, full.annotator, full.label, full.start, full.end
        )  # fmt: skip
        assert (span.source, span.note) == (full.source, full.note)
    assert loaded_rows == []


def test_layer_reads_build_spans_without_their_dataclass_init(project, monkeypatch):
    fill(project)
    ids = project.document_ids()
    built = []
    init = Span.__init__

    def counted(self, *args, **kwargs):
        built.append(args)
        init(self, *args, **kwargs)

    monkeypatch.setattr(Span, "__init__", counted)
    with project.snapshot():
        spans = [span for read in Layer(project, ALL).read(ids) for span in read.spans]
    assert spans and built == []  # slots set directly: half the cost of a frozen __init__
    monkeypatch.undo()
    for span in spans:
        same = Span(*(getattr(span, field.name) for field in fields(Span)))
        assert span == same and hash(span) == hash(same) and repr(span) == repr(same)
    with pytest.raises(FrozenInstanceError):
        spans[0].label = "OTHER"  # type: ignore[misc]


def test_layer_reads_build_no_statement_per_chunk(project, monkeypatch):
    fill(project)
    ids = project.document_ids()
    with project.snapshot():
        before = [(read.document, read.spans) for read in Layer(project, ALL).read(ids)]

    def built(*_args, **_kwargs):
        raise AssertionError("a statement built for a chunk of a layer read")

    monkeypatch.setattr(repo, "select", built)
    with project.snapshot():
        layer = Layer(project, ALL)
        assert [(read.document, read.spans) for read in layer.read(ids)] == before
        alice = project.annotators()[0].id
        with project.store.read() as session:
            of_alice = repo.spans_by_document(session, ids, alice)
    assert [of_alice[document.id] for document, _ in before] == [spans for _, spans in before]
