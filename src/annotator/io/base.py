"""The reader contract: a file's bytes in, ImportedDocuments (core.model) out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.input_file import read_regular_file, regular_file_lines
from annotator.core.model import ImportedDocument, ImportedRelation, ImportedSpan

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Files above this size are refused rather than read into memory (the texts beside an input
file, such as a brat .txt, included)."""

Reader = Callable[[Path, bytes], list[ImportedDocument]]
"""A reader turns a file's bytes into documents, raising InputError or ImportFailed on bad input."""
LineReader = Callable[[Path, Iterable[bytes], list[str]], Iterator[ImportedDocument]]
"""A reader of a line-based format (JSONL) that yields each document as its line is read (an
import stores a corpus as it reads it): the file's path and lines in, documents out, the notes
of what it left out appended at the end; after a bad line it yields nothing more but reads on,
then raises ImportFailed naming every bad line."""


class ReadResult(list[ImportedDocument]):
    """A reader's documents, plus one note per kind of thing the file holds but the reader left
    out ("2 rejected, 0 ignored examples skipped"), for the per-file import report."""

    def __init__(self, documents: Iterable[ImportedDocument] = (), skipped: Iterable[str] = ()):
        super().__init__(documents)
        self.skipped = list(skipped)


def skipped_notes(documents: list[ImportedDocument]) -> list[str]:
    """What a reader left out of a file: the notes of its ReadResult, then what its documents
    say they left out (`ImportedDocument.skipped`), counted per kind ("2 cancelled ...")."""
    notes = list(documents.skipped) if isinstance(documents, ReadResult) else []
    return notes + left_out_notes(Counter(phrase for doc in documents for phrase in doc.skipped))


def left_out_notes(kinds: Counter[str]) -> list[str]:
    """One note per kind of item the documents left out ("2 cancelled ... left out")."""
    return [f"{count} {phrase} left out" for phrase, count in kinds.items()]


def title_from_text(text: str, fallback: str) -> str:
    """A short title: the first non-empty line of the text (trimmed), else the fallback."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else line[:119] + "…"
    return fallback


def read_input(path: Path) -> bytes:
    """An input file's bytes: InputError unless it is a regular file of at most MAX_FILE_BYTES
    (checked by its size and while reading; see core.input_file), or that cannot be read."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from None


def input_lines(path: Path) -> Iterator[bytes]:
    """An input file's lines, read as they are asked for, with read_input's refusals."""
    try:
        yield from regular_file_lines(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from None


def merge_duplicate_spans(spans: list[ImportedSpan]) -> tuple[list[ImportedSpan], list[str]]:
    """The spans with identical ones (same offsets, label and annotator) kept once, and a note
    saying how many were merged (none when there were none)."""
    first = {(s.start, s.end, s.label, s.annotator): s for s in reversed(spans)}
    unique = [s for s in spans if first[(s.start, s.end, s.label, s.annotator)] is s]
    merged = len(spans) - len(unique)
    return unique, [f"{merged} duplicate annotation(s) merged"] if merged else []


def relations_after_merge(
    spans: list[ImportedSpan], unique: list[ImportedSpan], relations: list[ImportedRelation]
) -> list[ImportedRelation]:
    """The relations between `spans` re-pointed at the spans merge_duplicate_spans kept
    (`unique`): each end goes to the kept span identical to it; relations that became the same
    are kept once."""
    kept = {(s.start, s.end, s.label, s.annotator): n for n, s in enumerate(unique)}

    def place(index: int) -> int:
        span = spans[index]
        return kept[(span.start, span.end, span.label, span.annotator)]

    found = dict.fromkeys((r.type, place(r.head), place(r.tail)) for r in relations)
    return [ImportedRelation(kind, head, tail) for kind, head, tail in found]
