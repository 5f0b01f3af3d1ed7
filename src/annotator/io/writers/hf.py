"""Hugging Face export: JSON lines of tokens and IOB2 tag ids, for `datasets.load_dataset("json")`.

One record per document:
`{"id": int, "title": str, "date": str, "source": str, "url": str, "tokens": [str],
"ner_tags": [int], "ner_tag_names": [str]}` (date as `YYYY-MM-DD`; "" where unknown).
With a token limit (`--max-tokens N`, for 512-token models), records of at most N tokens cut at
sentence boundaries (io.writers.token_limit), each with its document's id, its number in the
document (`part`), its first token's character offset in the document (`offset`) and each
token's offset from there (`token_offsets`): `text[offset + token_offsets[i]:]` starts with
`tokens[i]`.
`ner_tags[i]` indexes `ner_tag_names`, which is the same list in every record and in every file
of a split: "O" = 0, then "B-<label>" = 2k+1 and "I-<label>" = 2k+2 for the k-th exported label.
Carrying the names in each record keeps every file self-describing with no sidecar. For a
ClassLabel feature: `names = ds[0]["ner_tag_names"]`, then
`ds.cast_column("ner_tags", datasets.List(datasets.ClassLabel(names=names)))`.
Tokens, alignment and the overlap rule are those of the CoNLL export (writers.iob).
When the export holds relations, every record also has "spans" (its tagged spans by token:
`{"start", "end", "label"}`) and "relations" (`{"head", "tail", "type"}`, head and tail the
indices of two of the record's spans): io.writers.hf_relations. Hugging Face has no reader of
its own for relations; these are plain lists `datasets` loads as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.io.writers.base import ExportItem, ExportReport, article_fields
from annotator.io.writers.hf_relations import NOT_TAGGED, record_relations
from annotator.io.writers.iob import TaggedDocument, tag_names, tagged_documents
from annotator.io.writers.relations import left_out
from annotator.io.writers.token_limit import limited_records, token_starts
from annotator.io.writers.tokenizer import Tokenizer

_LINE_SEPARATORS = tuple((c, f"\\u{ord(c):04x}") for c in "\x85\u2028\u2029")


class HfWriter:
    """One JSON object per document (per part of one under a token limit), UTF-8, non-ASCII
    kept as is."""

    name = "hf"
    suffix = ".jsonl"
    wants_tokens = True

    def __init__(self, tokenizer: Tokenizer, max_tokens: int | None = None) -> None:
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens

    def with_max_tokens(self, max_tokens: int) -> HfWriter:
        """This writer with records of at most `max_tokens` tokens (io.writers.token_limit)."""
        return HfWriter(self.tokenizer, max_tokens)

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: its first record starts with the "id" field."""
        return head.startswith(b'{"id": ')

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        names = tag_names(labels)
        ids = {name: n for n, name in enumerate(names)}
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            written = 0
            for tagged in tagged_documents(items, report, self.tokenizer):
                records = self._records(tagged, report)
                if report.relation_types:
                    _with_relations(tagged, records, report)
                for record in records:
                    written += 1
                    record["ner_tags"] = [ids[tag] for tag in record["ner_tags"]]
                    record["ner_tag_names"] = names
                    stream.write(_one_line(json.dumps(record, ensure_ascii=False)))
                    stream.write("\n")
        if self.max_tokens is not None:
            report.notes[f"record(s) of at most {self.max_tokens} tokens written"] += written

    def _records(self, tagged: TaggedDocument, report: ExportReport) -> list[dict[str, Any]]:
        """The document's record, or its records under the token limit (tags by name)."""
        document = tagged.item.document
        if self.max_tokens is None:
            return [
                {
                    "id": document.id,
                    **article_fields(document),
                    "tokens": tagged.tokens,
                    "ner_tags": tagged.tags,
                }
            ]
        return [
            {
                "id": document.id,
                "part": n,
                "offset": record.offset,
                **article_fields(document),
                "tokens": record.tokens,
                "token_offsets": record.token_offsets,
                "ner_tags": record.tags,
            }
            for n, record in enumerate(limited_records(tagged, self.max_tokens, report))
        ]


def _with_relations(
    tagged: TaggedDocument, records: list[dict[str, Any]], report: ExportReport
) -> None:
    """Give each record its "spans" and "relations" (hf_relations); relations no record holds
    are counted as left out."""
    item = tagged.item
    written: set[int] = set()
    for record in records:
        offset = record.get("offset", 0)
        tokens = record["tokens"]
        starts = (
            [offset + start for start in record["token_offsets"]]
            if "token_offsets" in record
            else token_starts(item.document.text, tokens)
        )
        spans, relations, done = record_relations(item, tokens, starts, record["ner_tags"])
        record["spans"], record["relations"] = spans, relations
        written |= done
    left_out(report, (r for r in item.relations if r.id not in written), NOT_TAGGED)


def _one_line(text: str) -> str:
    """JSON with the characters str.splitlines() breaks at escaped (JSON already escapes CR/LF);
    str.replace, as str.translate took a sixth of the export's time."""
    for separator, escaped in _LINE_SEPARATORS:
        text = text.replace(separator, escaped)
    return text
