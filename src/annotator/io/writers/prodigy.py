"""Prodigy JSONL export: one accepted `relations` example per document and annotator, as
Prodigy's rel.manual saves them (and `prodigy db-in` loads them).

`{"_view_id": "relations", "text", "meta", "tokens": [{"text", "start", "end", "id", "ws"}],
"spans": [{"start", "end", "token_start", "token_end", "label"}], "relations": [{"head",
"child", "head_span", "child_span", "label"}], "answer": "accept", "_annotator_id"}`. Token
indices are inclusive (`token_end` is the span's last token), and a relation's "head" and
"child" are its two spans' last tokens, as Prodigy writes them. Tokens are those a document
was imported with, else the tokenizer's (the project's language); a span is aligned to them as
the token formats align it (strict, trimmed, expanded) and written at the tokens' offsets; one
no token holds is dropped, with its relations (counted in the report).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.model import Span
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.iob import UNALIGNABLE
from annotator.io.writers.jsonl import document_meta, write_json_lines
from annotator.io.writers.relations import RELATION_OF_DROPPED, left_out, linked
from annotator.io.writers.stored_tokens import stored_tokenized
from annotator.io.writers.token_limit import token_starts
from annotator.io.writers.tokenizer import TokenizedText, Tokenizer

VIEW = "relations"


class ProdigyWriter:
    """Prodigy's relations examples, one UTF-8 JSON object per line (non-ASCII kept)."""

    name = "prodigy"
    suffix = ".jsonl"
    wants_tokens = True

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "_view_id" field."""
        return head.startswith(f'{{"_view_id": "{VIEW}"'.encode())

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        write_json_lines(self._records(items, report), target)

    def _records(self, items: Iterable[ExportItem], report: ExportReport) -> Iterator[dict]:
        for tokenized, item in self._tokenized(items):
            yield from examples(item, tokenized, report)

    def _tokenized(self, items: Iterable[ExportItem]) -> Iterator[tuple[TokenizedText, Any]]:
        """Each item with its tokens: those it was imported with, else the tokenizer's."""
        for item in items:
            ranges = [(span.start, span.end) for span in item.spans]
            if item.tokens is not None:
                yield stored_tokenized(item.document.text, item.tokens, ranges), item
            else:
                text = item.document.text
                yield from self.tokenizer.tokenize([(text, ranges, item.language, item)])


def examples(item: ExportItem, tokenized: TokenizedText, report: ExportReport) -> list[dict]:
    """The item's examples: one per annotator of its spans (one without spans when it has
    none), each with the document's tokens."""
    text = item.document.text
    starts = token_starts(text, tokenized.words)
    tokens = [
        {
            "text": word,
            "start": start,
            "end": start + len(word),
            "id": n,
            "ws": text[start + len(word) : start + len(word) + 1].isspace(),
        }
        for n, (word, start) in enumerate(zip(tokenized.words, starts, strict=True))
    ]
    placed: dict[int, dict[str, Any]] = {}
    for span, found in zip(item.spans, tokenized.ranges, strict=True):
        if found is None:
            report.dropped[UNALIGNABLE] += 1
            continue
        first, last = tokens[found.first], tokens[found.end - 1]
        placed[span.id] = {
            "start": first["start"],
            "end": last["end"],
            "token_start": found.first,
            "token_end": found.end - 1,
            "label": span.label,
        }
    by_annotator: defaultdict[str | None, list[Span]] = defaultdict(list)
    for span in item.spans:
        by_annotator[span.annotator].append(span)
    relations: defaultdict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for relation, head, tail in linked(item):
        if head.id not in placed or tail.id not in placed:
            left_out(report, [relation], RELATION_OF_DROPPED)
            continue
        head_span, child_span = placed[head.id], placed[tail.id]
        relations[relation.annotator].append(
            {
                "head": head_span["token_end"],
                "child": child_span["token_end"],
                "head_span": head_span,
                "child_span": child_span,
                "label": relation.type,
            }
        )
    meta = document_meta(item.document)
    found = []
    for annotator, spans in sorted(by_annotator.items()) or [(item.annotator, [])]:
        example: dict[str, Any] = {
            "_view_id": VIEW,
            "text": text,
            "meta": meta,
            "tokens": tokens,
            "spans": [placed[span.id] for span in spans if span.id in placed],
            "relations": relations[annotator],
            "answer": "accept",
        }
        if annotator is not None:
            example["_annotator_id"] = annotator
        found.append(example)
    return found
