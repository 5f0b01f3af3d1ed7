"""spaCy DocBin (.spacy) import: texts as they are, spans from every span group and doc.ents,
the relations our export keeps in `Doc.user_data["relations"]` (writers' docbin_writer), and the
tokens and sentences, which token exports write back unchanged.

A DocBin is zlib-compressed msgpack, which spaCy inflates in one piece; the inflated size is
measured first, in bounded steps, so a decompression bomb is refused before it fills memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument, ImportedRelation, ImportedSpan
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
        relations, skipped = _relations(path, number, user.get("relations"), record.spans)
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
                relations=relations,
                skipped=skipped,
            )
        )
    return documents


def _relations(
    path: Path, number: int, value: Any, spans: Sequence[tuple[int, int, str]]
) -> tuple[list[ImportedRelation], list[str]]:
    """The relations of a Doc's `user_data["relations"]` ({"head": [start, end, label], "tail":
    [...], "type"}) between its spans: an end is the span of the same label and offsets, else
    the one of that label that holds it (alignment expands spans); a relation whose span is not
    in the DocBin (dropped when aligned) is left out and noted; a bad entry is an error."""
    if value is None:
        return [], []
    where = f"document {number}: user_data['relations']"
    if not isinstance(value, list | tuple):  # msgpack gives tuples back
        raise InputError(str(path), None, f"{where} must be a list")
    relations, skipped = [], []
    index = {span: n for n, span in reversed(list(enumerate(spans)))}
    for n, entry in enumerate(value, start=1):
        ends = [_end(entry.get(key)) if isinstance(entry, dict) else None for key in _ENDS]
        kind = entry.get("type") if isinstance(entry, dict) else None
        if None in ends or not isinstance(kind, str) or not kind.strip():
            shape = '{"head": [start, end, label], "tail": [start, end, label], "type": name}'
            raise InputError(str(path), None, f"{where}, item {n}: expected {shape}")
        head, tail = (index[end] if end in index else _holding(end, spans) for end in ends)
        if head is None or tail is None:
            skipped.append("relation(s) whose span is not in the DocBin")
            continue
        relations.append(ImportedRelation(kind, head, tail))
    return relations, skipped


_ENDS = ("head", "tail")


def _end(value: Any) -> tuple[int, int, str] | None:
    """A [start, end, label] relation end, or None when it is not one."""
    if not isinstance(value, list | tuple) or len(value) != 3:
        return None
    start, end, label = value
    ok = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end))
    return (start, end, label) if ok and isinstance(label, str) else None


def _holding(end: tuple[int, int, str], spans: Sequence[tuple[int, int, str]]) -> int | None:
    """The index of the shortest span of `end`'s label that holds it (alignment widened it), or
    None."""
    start, stop, label = end
    holding = [
        (s_end - s_start, n)
        for n, (s_start, s_end, s_label) in enumerate(spans)
        if s_label == label and s_start <= start and stop <= s_end
    ]
    return min(holding)[1] if holding else None


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
