"""Export a project layer to a file, atomically and never over an existing file unless asked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.files import atomic_write
from annotator.core.layers import ALL, Layer
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import DocumentFilter, Project
from annotator.io.writers.jsonl import document_record, write_record

FORMATS = ("jsonl",)
"""Export formats available in this version."""


@dataclass
class ExportReport:
    """What an export wrote."""

    path: Path
    documents: int = 0
    spans_per_label: Counter = field(default_factory=Counter)


def export(
    project: Project,
    fmt: str,
    out: Path,
    *,
    layer: str = ALL,
    only_done: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write `layer` of every (or every finished) document to `out` in format `fmt`."""
    if fmt not in FORMATS:
        raise AnnotatorError(f"unknown export format {fmt!r} (available: {', '.join(FORMATS)})")
    out = Path(out)
    if out.exists() and not overwrite:
        raise InputError(out, None, "file exists; choose another name or allow overwriting")
    if not out.parent.is_dir():
        raise InputError(out.parent, None, "no such folder")
    chosen = Layer(project, layer)
    where = chosen.done_filter() if only_done else DocumentFilter()
    progress = progress or NullProgress()
    total = project.count_documents(where)
    report = ExportReport(out)
    with atomic_write(out) as stream:
        for doc in project.iter_documents(where):
            check_cancelled(progress)
            spans = chosen.spans(doc.id)
            status = project.status(doc.id, chosen.annotator) if chosen.annotator else None
            write_record(stream, document_record(doc, spans, chosen.annotator, status))
            report.documents += 1
            report.spans_per_label.update(span.label for span in spans)
            progress.report(report.documents, total)
    return report
