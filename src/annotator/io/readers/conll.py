"""CoNLL import: CoNLL-2003 (`token POS CHUNK TAG`), two-column (`token TAG`) and spaCy's `.iob`
files (one sentence per line, `word|TAG` or `word|POS|TAG` tokens separated by spaces).

Each `-DOCSTART-` line starts a document (a file without one is one document). CoNLL keeps no
original spacing, so the text is rebuilt: tokens joined by single spaces, sentences by newlines,
and stored verbatim so the spans' offsets point into it; the tokens and sentences are stored
too, so a token export writes them back unchanged. Tags are IOB1, IOB2 or BILUO, read as
spaCy's `iob_to_biluo` reads them: any B-, I-, L- or U- tag that does not continue a span of its
label starts one (so an I- after O starts a span, as conlleval reads IOB1), and I- or L- of the
open span's label continues it. Columns are separated by spaces or tabs; the first column is
the token, the last the tag. A file whose first token line has `|` in every field is read one
sentence per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, ImportedSpan, Tokenisation
from annotator.io.base import title_from_text
from annotator.io.decode import decode_utf8

DOCSTART = "-DOCSTART-"
_COLUMNS = re.compile(r"[ \t]+")
_PREFIXES = ("B-", "I-", "L-", "U-")
_CONTINUING = ("I-", "L-")


@dataclass(frozen=True)
class _Layout:
    """How a file puts tokens on lines: one per line in columns, or a sentence per line."""

    fields: str  # what a token's fields are called in messages
    expected: str  # what a token looks like, for messages
    sentence_per_line: bool

    def tokens(self, line: str) -> list[list[str]]:
        """The fields of each token on a line."""
        if self.sentence_per_line:
            return [token.split("|") for token in _COLUMNS.split(line)]
        return [_COLUMNS.split(line)]


_COLUMN_LAYOUT = _Layout("columns", "a token and a tag separated by a space", False)
_PIPE_LAYOUT = _Layout("|-separated fields", "word|TAG or word|POS|TAG", True)


@dataclass
class _Builder:
    """The document being read: its text so far, open span and finished spans."""

    line: int
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[ImportedSpan] = field(default_factory=list)
    open_label: str | None = None
    open_start: int = 0
    open_end: int = 0
    sentence_open: bool = False
    token_starts: list[int] = field(default_factory=list)
    token_ends: list[int] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def add(self, token: str, tag: str) -> None:
        if self.length:
            self.parts.append(" " if self.sentence_open else "\n")
            self.length += 1
        start = self.length
        if not self.sentence_open:
            self.sentence_starts.append(len(self.token_starts))
        self.token_starts.append(start)
        self.token_ends.append(start + len(token))
        self.parts.append(token)
        self.length += len(token)
        self.sentence_open = True
        prefix, label = tag[:2], tag[2:]
        if prefix not in _CONTINUING or label != self.open_label:
            self.close()
        if tag != "O":
            if self.open_label is None:
                self.open_label, self.open_start = label, start
            self.open_end = self.length

    def close(self) -> None:
        if self.open_label is not None:
            self.spans.append(ImportedSpan(self.open_start, self.open_end, self.open_label))
            self.open_label = None

    def end_sentence(self) -> None:
        self.close()
        self.sentence_open = False

    def document(self, path: Path) -> ImportedDocument:
        self.close()
        text = "".join(self.parts)
        return ImportedDocument(
            text=text,
            title=title_from_text(text, f"{path.name}:{self.line}"),
            spans=self.spans,
            line=self.line,
            verbatim=True,
            tokens=Tokenisation(
                tuple(self.token_starts), tuple(self.token_ends), tuple(self.sentence_starts)
            ),
        )


def read_conll(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read every document of a CoNLL or `.iob` file, raising ImportFailed with every bad line."""
    lines = [raw.removesuffix("\r").strip(" \t") for raw in decode_utf8(path, data).split("\n")]
    layout = _layout(lines)
    docs: list[ImportedDocument] = []
    errors: list[InputError] = []
    current: _Builder | None = None
    columns: tuple[int, int] | None = None  # (count, first line with it)
    for number, line in enumerate(lines, start=1):
        if not line:
            if current:
                current.end_sentence()
            continue
        if _COLUMNS.split(line)[0] == DOCSTART:
            if current and current.length:
                docs.append(current.document(path))
            current = _Builder(number)
            continue
        tokens = layout.tokens(line)
        if layout.sentence_per_line:  # spaCy takes each line's field count from its first token
            columns = (len(tokens[0]), number)
        if problem := next(filter(None, (_problem(f, columns, layout) for f in tokens)), None):
            errors.append(InputError(str(path), number, problem))
            continue
        columns = columns or (len(tokens[0]), number)
        current = current or _Builder(number)
        for fields in tokens:
            current.add(fields[0], fields[-1])
        if layout.sentence_per_line:
            current.end_sentence()
    if current and current.length:
        docs.append(current.document(path))
    if errors:
        raise ImportFailed(errors)
    if not docs:
        raise InputError(str(path), None, "no tokens found")
    return docs


def _layout(lines: list[str]) -> _Layout:
    """Sentence per line when the first token line has `|` in every field, else columns."""
    for line in lines:
        fields = _COLUMNS.split(line)
        if line and fields[0] != DOCSTART:
            return _PIPE_LAYOUT if all("|" in field for field in fields) else _COLUMN_LAYOUT
    return _COLUMN_LAYOUT


def _problem(fields: list[str], columns: tuple[int, int] | None, layout: _Layout) -> str | None:
    """Why a token is bad (field count, tag), or None."""
    if len(fields) < 2 or not all(fields):
        return f"expected {layout.expected}, got {_layout_text(fields, layout)!r}"
    if columns and len(fields) != columns[0]:
        return (
            f"expected {columns[0]} {layout.fields} as on line {columns[1]}, found {len(fields)}"
            + (f" in {_layout_text(fields, layout)!r}" if layout.sentence_per_line else "")
        )
    tag = fields[-1]
    if tag == "O":
        return None
    if tag[:2] not in _PREFIXES or len(tag) == 2:
        return f"invalid tag {tag!r} (expected O, or B-, I-, L- or U- and a label)"
    if problem := labelrules.name_problem(tag[2:]):
        return f"invalid tag {tag!r}: {problem}"
    return None


def _layout_text(fields: list[str], layout: _Layout) -> str:
    """A token's fields as the file wrote them, for messages."""
    return ("|" if layout.sentence_per_line else " ").join(fields)
