"""Near-duplicates on import: new documents whose text equals another's apart from whitespace.

Texts are compared by `core.text.whitespace_key` (runs of whitespace as one space, none at the
ends), stored in `document.text_key`: a new document is compared with the earlier new documents
of the same import, then with the stored ones (the importer looks those up by key, an indexed
look-up per chunk of keys). Exact duplicates are not near-duplicates: the import stores them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.model import ImportedDocument


@dataclass(frozen=True)
class NearDuplicate:
    """A new document (title, where it comes from) and the one it matches apart from whitespace:
    an earlier one of the same import (file:line) or a stored one ("document ID")."""

    title: str
    where: str
    other_title: str
    other_where: str

    def __str__(self) -> str:
        return (
            f"{self.title!r} ({self.where}) has the same text as {self.other_title!r} "
            f"({self.other_where}) apart from whitespace"
        )


def near_duplicates(
    documents: Sequence[ImportedDocument],
    hashes: Sequence[str],
    new_rows: Mapping[str, Mapping[str, Any]],
    stored: Mapping[str, tuple[int, str]],
) -> list[NearDuplicate]:
    """The near-duplicates among the documents an import adds, in the order of `documents`.

    `new_rows` are the rows it inserts by text hash, each with its `text_key`; `stored` the
    (id, title) of a stored document by text key, for the keys of the new rows."""
    first_new: dict[str, ImportedDocument] = {}  # text_key -> the first new document with it
    seen: set[str] = set()
    found = []
    for doc, sha in zip(documents, hashes, strict=True):
        if sha not in new_rows or sha in seen:
            continue  # stored already, or an exact repeat within the import
        seen.add(sha)
        key = new_rows[sha]["text_key"]
        first = first_new.setdefault(key, doc)
        if first is not doc:
            found.append(NearDuplicate(doc.title, _where(doc), first.title, _where(first)))
        elif key in stored:
            doc_id, title = stored[key]
            found.append(NearDuplicate(doc.title, _where(doc), title, f"document {doc_id}"))
    return found


def _where(doc: ImportedDocument) -> str:
    """Where a document comes from: file:line, or the file when the reader knows no line."""
    source = doc.source or "input"
    return f"{source}:{doc.line}" if doc.line is not None else source
