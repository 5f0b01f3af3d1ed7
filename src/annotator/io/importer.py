"""Import files into a project in one transaction, storing the documents as they are read
(a JSONL file a line at a time), so memory stays flat in the corpus size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from annotator.core.errors import ImportFailed, InputError
from annotator.core.importing import ImportReport
from annotator.core.model import ImportedDocument
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import Project
from annotator.io.base import ReadResult, input_lines, left_out_notes, read_input
from annotator.io.registry import detect_format, iter_input_files, line_reader_for, reader_for

_REPORT_BYTES = 1 << 20
"""Progress is reported every MiB of a file read a line at a time."""
PROGRESS_UNIT = 1024
"""Import progress counts KiB read (whole files, and lines of a file read a line at a time):
a count Qt's progress bar holds whatever the corpus size."""


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
    that are not regular files (named pipes, devices) are never opened, only reported.

    Documents are stored as they are read, in one transaction that a bad file rolls back
    (under `skip_bad` a file read a line at a time is checked whole before it is stored)."""
    progress = progress or NullProgress()
    passed_over: list[InputError] = []
    files = iter_input_files([Path(p) for p in paths], passed_over, fmt)
    if not files:
        raise InputError(", ".join(str(p) for p in paths), None, "no importable files found")
    reading = _Reading(files, fmt, text_column, skip_bad, progress)
    stored = project.import_documents(
        reading.documents(), annotator=annotator, progress=progress, add_labels=add_labels
    )
    return FileImportReport(stored, files, passed_over + reading.errors, reading.summaries)


class _Reading:
    """The documents of the input files, one file after another, with the per-file summaries
    and the errors. Without `skip_bad`, once a file is bad no more documents are handed out,
    the remaining files are only checked, and ImportFailed names every problem at the end."""

    def __init__(
        self,
        files: list[Path],
        fmt: str,
        text_column: str | None,
        skip_bad: bool,
        progress: Progress,
    ) -> None:
        self.files, self.fmt, self.text_column = files, fmt, text_column
        self.skip_bad, self.progress = skip_bad, progress
        self.errors: list[InputError] = []
        self.summaries: list[FileSummary] = []
        self._sizes = [_size(path) for path in files]
        self._done = 0

    def documents(self) -> Iterator[ImportedDocument]:
        """Every good document of every file, in order; ImportFailed at the end on bad files
        (unless `skip_bad`)."""
        total = _kib(sum(self._sizes))
        self.progress.report(0, total)  # the import's transaction is open
        for path, size in zip(self.files, self._sizes, strict=True):
            check_cancelled(self.progress)
            summary = FileSummary(path, 0, 0)
            skipped: Counter[str] = Counter()
            notes: list[str] = []
            try:
                for doc in self._file_documents(path, notes):
                    doc.source = doc.source or str(path)
                    summary.documents += 1
                    summary.spans += len(doc.spans)
                    summary.suggestions += len(doc.suggestions)
                    summary.relations += len(doc.relations)
                    skipped.update(doc.skipped)
                    if self.skip_bad or not self.errors:
                        yield doc
            except (ImportFailed, InputError) as exc:
                if self.skip_bad and summary.documents:
                    raise  # the file changed after it was checked: some of it went in
                self.errors += exc.errors if isinstance(exc, ImportFailed) else [exc]
            else:
                summary.skipped = notes + left_out_notes(skipped)
                self.summaries.append(summary)
            self._done += size
            self.progress.report(_kib(self._done), total)
        if self.errors and not self.skip_bad:
            raise ImportFailed(self.errors)

    def _file_documents(self, path: Path, notes: list[str]) -> Iterator[ImportedDocument]:
        """One file's documents: read a line at a time where its format allows (under
        `skip_bad`, read once to check it, then again to store it), else read whole."""
        reader = line_reader_for(path, self.fmt)
        if reader is None:
            read = _read_one(path, self.fmt, self.text_column)
            notes += read.skipped if isinstance(read, ReadResult) else []
            yield from read
            return
        if self.skip_bad:
            for _ in reader(path, input_lines(path), []):
                pass
        yield from reader(path, self._reported(input_lines(path)), notes)

    def _reported(self, lines: Iterator[bytes]) -> Iterator[bytes]:
        """The lines, reporting progress by the bytes read every _REPORT_BYTES."""
        total, read, reported = _kib(sum(self._sizes)), 0, 0
        for line in lines:
            read += len(line)
            if read - reported >= _REPORT_BYTES:
                reported = read
                self.progress.report(_kib(self._done + read), total)
            yield line


def _kib(size: int) -> int:
    """A size in bytes in PROGRESS_UNIT, rounded up (a file of a few bytes counts 1)."""
    return -(-size // PROGRESS_UNIT)


def _size(path: Path) -> int:
    """A file's size in bytes (0 when it cannot be read: its reader says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
