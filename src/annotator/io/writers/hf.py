"""Hugging Face export: JSON lines of tokens and IOB2 tag ids, for `datasets.load_dataset("json")`.

One record per document:
`{"id": int, "title": str, "tokens": [str], "ner_tags": [int], "ner_tag_names": [str]}`.
`ner_tags[i]` indexes `ner_tag_names`, which is the same list in every record and in every file
of a split: "O" = 0, then "B-<label>" = 2k+1 and "I-<label>" = 2k+2 for the k-th exported label.
Carrying the names in each record keeps every file self-describing with no sidecar. For a
ClassLabel feature: `names = ds[0]["ner_tag_names"]`, then
`ds.cast_column("ner_tags", datasets.List(datasets.ClassLabel(names=names)))`.
Tokens, alignment and the overlap rule are those of the CoNLL export (writers.iob).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.iob import tag_names, tagged_documents
from annotator.io.writers.tokenizer import Tokenizer

_LINE_SEPARATORS = {ord(c): f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"}


class HfWriter:
    """One JSON object per document, UTF-8, non-ASCII kept as is."""

    name = "hf"
    suffix = ".jsonl"
    wants_tokens = True

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "id" field."""
        return head.startswith(b'{"id": ')

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        names = tag_names(labels)
        ids = {name: n for n, name in enumerate(names)}
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            for tagged in tagged_documents(items, report, self.tokenizer):
                record = {
                    "id": tagged.item.document.id,
                    "title": tagged.item.document.title,
                    "tokens": tagged.tokens,
                    "ner_tags": [ids[tag] for tag in tagged.tags],
                    "ner_tag_names": names,
                }
                stream.write(_one_line(json.dumps(record, ensure_ascii=False)))
                stream.write("\n")


def _one_line(text: str) -> str:
    """JSON with the characters str.splitlines() breaks at escaped (JSON already escapes CR/LF)."""
    return text.translate(_LINE_SEPARATORS)
