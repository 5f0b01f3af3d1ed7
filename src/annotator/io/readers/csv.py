"""CSV/TSV: one document per row; the text column is named or guessed, the others go to meta."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument
from annotator.io.base import title_from_text
from annotator.io.decode import decode_bytes
from annotator.io.readers.article_meta import normalise_meta
from annotator.io.writers.csv import HEADER as SPAN_EXPORT_COLUMNS
from annotator.io.writers.csv import RELATION_HEADER as RELATION_EXPORT_COLUMNS

_TEXT_NAMES = ("text", "body", "content", "article")
_DELIMITERS = ",;\t"
_FIELD_LIMIT = 2**31 - 1  # articles exceed csv's default of 131,072 characters per field

Record = tuple[int, list[str]]
"""A record's first physical line (1-based) and its fields."""


def read_csv(
    path: Path, data: bytes, *, text_column: str | None = None, delimiter: str | None = None
) -> list[ImportedDocument]:
    """Read one document per row; `text_column=None` picks the column, `delimiter=None` sniffs."""
    text = decode_bytes(path, data)
    records = _records(path, text, delimiter or _sniff(path, text))
    if not records:
        raise InputError(str(path), None, "empty file")
    (header_line, header), rows = records[0], records[1:]
    columns = _columns(path, header_line, header)
    _refuse_span_export(path, header_line, columns)
    if not rows:
        raise InputError(str(path), None, "no rows after the header")
    body = _text_column(path, header_line, columns, rows, text_column)
    title = next((c for c in columns if c.lower() == "title" and c != body), None)
    docs, errors = [], []
    for line, fields in rows:
        if len(fields) > len(columns):
            reason = f"row has {len(fields)} fields, the header has {len(columns)}"
            errors.append(InputError(str(path), line, reason))
            continue
        values = dict(zip(columns, fields + [""] * (len(columns) - len(fields)), strict=True))
        doc_text = values.pop(body)
        if not doc_text.strip():
            errors.append(
                InputError(str(path), line, f'row has no text (column "{body}" is empty)')
            )
            continue
        doc_title = values.pop(title).strip() if title else ""
        docs.append(
            ImportedDocument(
                text=doc_text,
                title=doc_title or title_from_text(doc_text, f"{path.name}:{line}"),
                source=str(path),
                meta=normalise_meta({"format": "csv", "filename": path.name, **values}),
                line=line,
            )
        )
    if errors:
        raise ImportFailed(errors)
    return docs


def _refuse_span_export(path: Path, line: int, columns: list[str]) -> None:
    """Refuse our own CSV export (its spans table and its relations table): its rows are spans
    or relations, not documents, and it does not carry the documents' text."""
    names = {name.lower() for name in columns}
    for table, rows in ((SPAN_EXPORT_COLUMNS, "span"), (RELATION_EXPORT_COLUMNS, "relation")):
        if names >= set(table):
            raise InputError(
                str(path),
                line,
                f"this is an annotator {rows} export (one row per {rows}), not a document "
                "table: import the JSONL export instead",
            )


def _sniff(path: Path, text: str) -> str:
    """Tab for .tsv, else whichever of comma, semicolon and tab the header line has most of."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = text.lstrip("\r\n").split("\n", 1)[0]
    return max(_DELIMITERS, key=first.count)


def _records(path: Path, text: str, delimiter: str) -> list[Record]:
    """Non-blank records with the physical line each starts on (quoted fields may span lines)."""
    csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    start = 1
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(str(path), start, f"malformed CSV: {exc}") from exc
    return records


def _columns(path: Path, line: int, header: list[str]) -> list[str]:
    """Trimmed column names; unnamed ones become "column N", duplicates are refused."""
    columns = [name.strip() or f"column {i}" for i, name in enumerate(header, start=1)]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise InputError(str(path), line, f'duplicate column name "{name}"')
        seen.add(name)
    return columns


def _text_column(
    path: Path, line: int, columns: list[str], rows: list[Record], wanted: str | None
) -> str:
    """The column asked for, else one named like text, else the one with the longest values."""
    if wanted is not None:
        for name in columns:
            if name.lower() == wanted.strip().lower():
                return name
        listed = ", ".join(f'"{name}"' for name in columns)
        raise InputError(str(path), line, f'no column named "{wanted}"; the columns are {listed}')
    for candidate in _TEXT_NAMES:
        for name in columns:
            if name.lower() == candidate:
                return name

    def total_length(index: int) -> int:
        return sum(len(fields[index]) for _, fields in rows if index < len(fields))

    return columns[max(range(len(columns)), key=total_length)]
