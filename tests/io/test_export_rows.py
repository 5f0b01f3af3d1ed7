"""Exports read documents and spans as plain rows, a chunk at a time: no ORM instance per row
(building them took most of an export's reading time)."""

from __future__ import annotations

import pytest
from format_samples import SAMPLES, fill
from sqlalchemy import event

from annotator.core.layers import ALL, Layer
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
