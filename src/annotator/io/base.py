"""The reader contract: a file's bytes in, ImportedDocuments (core.model) out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Files above this size are refused rather than read into memory (the texts beside an input
file, such as a brat .txt, included)."""

Reader = Callable[[Path, bytes], list[ImportedDocument]]
"""A reader turns a file's bytes into documents, raising InputError or ImportFailed on bad input."""


def title_from_text(text: str, fallback: str) -> str:
    """A short title: the first non-empty line of the text (trimmed), else the fallback."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else line[:119] + "…"
    return fallback


def read_input(path: Path) -> bytes:
    """A file's bytes, or InputError when it is over MAX_FILE_BYTES or cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                path, None, f"file of {size:,} bytes is over the {MAX_FILE_BYTES:,} limit"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror or exc}") from None
