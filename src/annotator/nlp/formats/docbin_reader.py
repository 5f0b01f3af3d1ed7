"""spaCy DocBin (.spacy) import: texts as they are, spans from every span group and doc.ents,
and the tokens and sentences, which token exports write back unchanged.

A DocBin is zlib-compressed msgpack, which spaCy inflates in one piece; the inflated size is
measured first, in bounded steps, so a decompression bomb is refused before it fills memory.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.base import title_from_text
from annotator.nlp.docbin import read_docbin

MAX_INFLATED_BYTES = 1024**3
"""Largest DocBin accepted, once inflated."""
MAX_RATIO = 100
"""Largest compression ratio of a DocBin that inflates beyond 1 MiB; real ones stay far below."""


def read_spacy(path: Path, data: bytes) -> list[ImportedDocument]:
    """Every Doc of the DocBin as a verbatim document; spans deduplicated, spans['sc'] first."""
    _refuse_bombs(path, data)
    try:
        records = read_docbin(data)
    except ValueError as exc:
        raise InputError(str(path), None, str(exc)) from None
    if not records:
        raise InputError(str(path), None, "the DocBin holds no documents")
    documents = []
    for number, record in enumerate(records, start=1):
        if not record.text.strip():
            raise InputError(str(path), None, f"document {number} has no text")
        user = record.user_data or {}
        title = user.get("title") if isinstance(user.get("title"), str) else ""
        documents.append(
            ImportedDocument(
                text=record.text,
                title=title or title_from_text(record.text, f"{path.name}:{number}"),
                source=str(path),
                meta={
                    k: user[k] for k in ("date", "source", "url") if isinstance(user.get(k), str)
                },
                spans=[ImportedSpan(start, end, label) for start, end, label in record.spans],
                verbatim=True,
                tokens=record.tokens,
            )
        )
    return documents


def _refuse_bombs(path: Path, data: bytes) -> None:
    """InputError when the data inflates beyond the size or ratio limits (damage is left to
    spaCy's reader, which names it)."""
    inflater = zlib.decompressobj()
    size, pending = 0, data
    try:
        while pending:
            size += len(inflater.decompress(pending, 2**20))
            pending = inflater.unconsumed_tail
            if size > MAX_INFLATED_BYTES or (size > 2**20 and size > MAX_RATIO * len(data)):
                reason = (
                    f"inflates to more than {size:,} bytes from {len(data):,}, which looks like "
                    f"a decompression bomb (limits: {MAX_RATIO}:1, {MAX_INFLATED_BYTES:,} bytes)"
                )
                raise InputError(str(path), None, reason)
    except zlib.error:
        return
