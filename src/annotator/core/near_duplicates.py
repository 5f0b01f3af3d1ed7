"""Near-duplicates on import: new documents whose text equals another's apart from whitespace.

Texts are compared by `core.text.whitespace_key` (runs of whitespace as one space, none at the
ends), stored in `document.text_key`: a new document is compared with the earlier new documents
of the same import, then with the stored ones (the importer looks those up by key, an indexed
look-up per chunk of keys). Exact duplicates are not near-duplicates: the import stores them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


class NearDuplicates:
    """The near-duplicates among the documents an import adds, found a batch at a time; it
    keeps the title and place of the first new document of each text key (never the text)."""

    def __init__(self) -> None:
        self._first_new: dict[str, tuple[str, str]] = {}  # text_key -> (title, where)

    def __contains__(self, key: str) -> bool:
        """Whether an earlier new document of this import has this text key."""
        return key in self._first_new

    def add(
        self,
        documents: Sequence[ImportedDocument],
        hashes: Sequence[str],
        new_keys: Mapping[str, str],
        stored: Mapping[str, tuple[int, str]],
    ) -> list[NearDuplicate]:
        """The near-duplicates among a batch's documents, in their order.

        `new_keys` are the text keys of the documents the batch adds, by text hash; `stored`
        the (id, title) of a document stored before the import, by text key, for those keys
        no earlier new document has."""
        seen: set[str] = set()
        found = []
        for doc, sha in zip(documents, hashes, strict=True):
            if sha not in new_keys or sha in seen:
                continue  # stored already, or an exact repeat within the import
            seen.add(sha)
            key, where = new_keys[sha], _where(doc)
            if key in self._first_new:
                found.append(NearDuplicate(doc.title, where, *self._first_new[key]))
                continue
            self._first_new[key] = (doc.title, where)
            if key in stored:
                doc_id, title = stored[key]
                found.append(NearDuplicate(doc.title, where, title, f"document {doc_id}"))
        return found


def _where(doc: ImportedDocument) -> str:
    """Where a document comes from: file:line, or the file when the reader knows no line."""
    source = doc.source or "input"
    return f"{source}:{doc.line}" if doc.line is not None else source
