"""An export reads the project at one moment, whatever other writers commit meanwhile."""

from __future__ import annotations

import json
import threading

import pytest

from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from annotator.io.exporter import export

pytestmark = pytest.mark.any_backend

DOCUMENTS = 501  # the spans of the last one are read in a later batch than the first's


class WriterDuringExport:
    """A progress token that, once the first document is written, lets another client (a
    thread with its own connections) add a span to the first and the last document."""

    def __init__(self, target, first: int, last: int) -> None:
        self.target, self.first, self.last = target, first, last
        self.wrote = False

    def report(self, done: int, total: int) -> None:
        if done == 1 and not self.wrote:
            writer = threading.Thread(target=self._write)
            writer.start()
            writer.join()
            assert self.wrote

    def cancelled(self) -> bool:
        return False

    def _write(self) -> None:
        with Project.open(self.target) as other:
            for doc in (self.first, self.last):
                other.add_span(doc, "ben", "ACTOR", 0, 4)
        self.wrote = True


def test_a_concurrent_writer_changes_no_document_of_a_running_export(
    project, project_target, tmp_path
):
    records = [
        ImportedDocument(
            f"Text {n} about Baykar.",
            spans=[ImportedSpan(5, 5 + len(str(n)), "ACTOR")],
            verbatim=True,
        )
        for n in range(DOCUMENTS)
    ]
    project.import_documents(records, annotator="ana")
    ids = project.document_ids()
    progress = WriterDuringExport(project_target, ids[0], ids[-1])
    out = tmp_path / "out.jsonl"
    report = export(project, "jsonl", out, progress=progress)
    assert progress.wrote and report.documents == DOCUMENTS
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    first, last = exported[0], exported[-1]
    assert [len(first["spans"]), len(last["spans"])] == [1, 1]  # both as before the writer
    assert sum(len(record["spans"]) for record in exported) == DOCUMENTS
    assert len(project.spans(ids[-1])) == 2  # the writer's span is there for later reads
