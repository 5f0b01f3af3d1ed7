"""CoNLL import: CoNLL-2003 (`token POS CHUNK TAG`) or two-column (`token TAG`) IOB files.

Each `-DOCSTART-` line starts a document (a file without one is one document). CoNLL keeps no
original spacing, so the text is rebuilt: tokens joined by single spaces, sentences by newlines,
and stored verbatim so the spans' offsets point into it. Spans come from B-/I- runs; an I- tag
that does not continue a span of its label starts one, as conlleval reads IOB1 and broken IOB2.
Columns are separated by spaces or tabs; the first column is the token, the last the tag.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.base import title_from_text

DOCSTART = "-DOCSTART-"
_COLUMNS = re.compile(r"[ \t]+")


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

    def add(self, token: str, tag: str) -> None:
        if self.length:
            self.parts.append(" " if self.sentence_open else "\n")
            self.length += 1
        start = self.length
        self.parts.append(token)
        self.length += len(token)
        self.sentence_open = True
        prefix, label = tag[:2], tag[2:]
        if tag == "O" or prefix == "B-" or label != self.open_label:
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
        )


def read_conll(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read every document of a CoNLL file, raising ImportFailed with every bad line."""
    text = _decode(path, data)
    docs: list[ImportedDocument] = []
    errors: list[InputError] = []
    current: _Builder | None = None
    columns: tuple[int, int] | None = None  # (count, first line with it)
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r").strip(" \t")
        if not line:
            if current:
                current.end_sentence()
            continue
        fields = _COLUMNS.split(line)
        if fields[0] == DOCSTART:
            if current and current.length:
                docs.append(current.document(path))
            current = _Builder(number)
            continue
        if problem := _problem(fields, columns):
            errors.append(InputError(str(path), number, problem))
            continue
        columns = columns or (len(fields), number)
        current = current or _Builder(number)
        current.add(fields[0], fields[-1])
    if current and current.length:
        docs.append(current.document(path))
    if errors:
        raise ImportFailed(errors)
    if not docs:
        raise InputError(str(path), None, "no tokens found")
    return docs


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), line, f"not valid UTF-8: {exc.reason}") from None


def _problem(fields: list[str], columns: tuple[int, int] | None) -> str | None:
    """Why a token line is bad (column count, tag), or None."""
    if len(fields) < 2:
        return f"expected a token and a tag separated by a space, got {fields[0]!r}"
    if columns and len(fields) != columns[0]:
        return f"expected {columns[0]} columns as on line {columns[1]}, found {len(fields)}"
    tag = fields[-1]
    if tag == "O":
        return None
    if tag[:2] not in ("B-", "I-") or len(tag) == 2:
        return f"invalid tag {tag!r} (expected O, B-LABEL or I-LABEL)"
    if problem := labelrules.name_problem(tag[2:]):
        return f"invalid tag {tag!r}: {problem}"
    return None
