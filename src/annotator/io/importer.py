"""Import files into a project: read every file first, then store all of it in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator.core.errors import ImportFailed, InputError
from annotator.core.importing import ImportReport
from annotator.core.model import ImportedDocument
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import Project
from annotator.io.base import read_input, skipped_notes
from annotator.io.registry import detect_format, iter_input_files, reader_for


@dataclass
class FileSummary:
    """What one file held: its documents, spans, and relations and suggestions (told when it had
    some) as read, and what its reader left out."""

    path: Path
    documents: int
    spans: int
    skipped: list[str] = field(default_factory=list)
    suggestions: int = 0
    relations: int = 0

    def __str__(self) -> str:
        read = f"{self.path}: {self.documents} document(s), {self.spans} span(s)"
        if self.relations:
            read += f", {self.relations} relation(s)"
        if self.suggestions:
            read += f", {self.suggestions} suggestion(s)"
        return "; ".join([read, *self.skipped])


@dataclass
class FileImportReport:
    """What an import of files did: the storage report plus the files read and skipped (bad
    files under `skip_bad`, and what the folders hold but cannot be read), and per file what
    was read and what its reader left out."""

    stored: ImportReport
    files: list[Path] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    per_file: list[FileSummary] = field(default_factory=list)


def read_files(
    paths: Sequence[Path],
    fmt: str = "auto",
    *,
    text_column: str | None = None,
    progress: Progress | None = None,
    passed_over: list[InputError] | None = None,
    summaries: list[FileSummary] | None = None,
) -> tuple[list[Path], list[ImportedDocument], list[InputError]]:
    """Read every input file (folders recurse); return the files, their documents and errors.

    What the folders hold but cannot be read (not regular files, unlisted subfolders) goes to
    `passed_over` (see iter_input_files); each file read goes to `summaries`."""
    progress = progress or NullProgress()
    files = iter_input_files([Path(p) for p in paths], passed_over, fmt)
    documents: list[ImportedDocument] = []
    errors: list[InputError] = []
    for n, path in enumerate(files):
        check_cancelled(progress)
        progress.report(n, len(files))
        try:
            read = _read_one(path, fmt, text_column)
        except ImportFailed as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc)
        else:
            documents.extend(read)
            if summaries is not None:
                spans = sum(len(doc.spans) for doc in read)
                suggestions = sum(len(doc.suggestions) for doc in read)
                relations = sum(len(doc.relations) for doc in read)
                notes = skipped_notes(read)
                summaries.append(FileSummary(path, len(read), spans, notes, suggestions, relations))
    progress.report(len(files), len(files))
    return files, documents, errors


def _read_one(path: Path, fmt: str, text_column: str | None) -> list[ImportedDocument]:
    data = read_input(path)
    name = detect_format(path, data) if fmt == "auto" else fmt
    reader = reader_for(name)
    if name == "csv" and text_column:
        reader = partial(reader, text_column=text_column)
    documents = reader(path, data)
    for doc in documents:
        doc.source = doc.source or str(path)
    return documents


def import_files(
    project: Project,
    paths: Sequence[Path],
    fmt: str = "auto",
    *,
    annotator: str | None = None,
    text_column: str | None = None,
    skip_bad: bool = False,
    add_labels: bool = False,
    progress: Progress | None = None,
) -> FileImportReport:
    """Read and store files atomically: any bad file stops the import with nothing stored,
    unless `skip_bad`, which stores the good files and reports the bad ones. Spans carrying
    labels the project lacks stop it too (UnknownLabels) unless `add_labels`. Entries of folders
    that are not regular files (named pipes, devices) are never opened, only reported."""
    progress = progress or NullProgress()
    passed_over: list[InputError] = []
    summaries: list[FileSummary] = []
    files, documents, errors = read_files(
        paths,
        fmt,
        text_column=text_column,
        progress=progress,
        passed_over=passed_over,
        summaries=summaries,
    )
    if not files:
        raise InputError(", ".join(str(p) for p in paths), None, "no importable files found")
    if errors and not skip_bad:
        raise ImportFailed(errors)
    stored = project.import_documents(
        documents, annotator=annotator, progress=progress, add_labels=add_labels
    )
    return FileImportReport(stored, files, passed_over + errors, summaries)
