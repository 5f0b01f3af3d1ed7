"""Plain text and Markdown: one document per file, stored as written (canonicalised later)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import ImportedDocument
from annotator.io.base import title_from_text
from annotator.io.decode import decode_bytes


def read_txt(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a .txt file as one document."""
    return [_document(path, data, "txt")]


def read_md(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a Markdown file as one document; the markup stays in the text."""
    return [_document(path, data, "md")]


def _document(path: Path, data: bytes, fmt: str) -> ImportedDocument:
    """One document from a whole file; its first non-empty line is the title."""
    text = decode_bytes(path, data)
    return ImportedDocument(
        text=text,
        title=title_from_text(text, path.name),
        source=str(path),
        meta={"format": fmt, "filename": path.name},
    )
