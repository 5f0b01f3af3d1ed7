"""The reader contract: a file's bytes in, ImportedDocuments (core.model) out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.core.model import ImportedDocument

Reader = Callable[[Path, bytes], list[ImportedDocument]]
"""A reader turns a file's bytes into documents, raising InputError or ImportFailed on bad input."""


def title_from_text(text: str, fallback: str) -> str:
    """A short title: the first non-empty line of the text (trimmed), else the fallback."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 120 else line[:119] + "…"
    return fallback
