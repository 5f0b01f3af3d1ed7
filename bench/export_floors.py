"""The floors of the export bench: the fastest honest way to write the same files with the same
libraries, with nothing of annotator's in between.

- jsonl, csv, brat: one sqlite3 connection reads the documents and their spans (label and
  annotator names joined) in two ordered statements, merged as they stream, and `json.dumps`,
  `csv.writer` or plain writes serialise them in the exports' shapes; the file is fsynced (a
  folder: one os.sync), as our exports are.
- conll, hf: the spaCy tokenizer alone over the same texts, already in memory.
- spacy: DocBins of the same texts and spans built with spaCy alone (tokenizer.pipe, char_span
  strict then expanded, spans["sc"], filter_spans ents, the same user data, token attributes
  and documents per file) inside the same msgpack registry cache.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

Spans = list[tuple[int, int, str, str]]
"""(start, end, label, annotator) of a document's spans, by position."""
Corpus = list[tuple[int, str, str, str, Spans]]
"""(document id, title, source, text, spans) of every document, in id order."""

_CSV_HEADER = ("document_id", "title", "annotator", "label", "start", "end", "text")
_CSV_HEADER += ("left_context", "right_context")
_BREAKS = re.compile(r"\r\n|[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_DOCUMENTS = 'SELECT id, title, source, text, meta FROM "document" ORDER BY id'
_SPANS = (
    'SELECT s.document_id, s.start, s."end", l.name, a.name FROM span s '
    "JOIN label l ON l.id = s.label_id JOIN annotator a ON a.id = s.annotator_id "
    'ORDER BY s.document_id, s.start, s."end", s.id'
)


def raw_documents(db: Path) -> Iterator[tuple[tuple[Any, ...], Spans]]:
    """Each document row (id, title, source, text, meta JSON) with its spans, streaming."""
    with closing(sqlite3.connect(db)) as connection:
        spans = connection.execute(_SPANS)
        pending = spans.fetchone()
        for row in connection.execute(_DOCUMENTS):
            found: Spans = []
            while pending is not None and pending[0] == row[0]:
                found.append(pending[1:])
                pending = spans.fetchone()
            yield row, found


def jsonl_floor(db: Path, out: Path) -> None:
    """The jsonl export's lines (layer `all`: each span names its annotator)."""
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        for (doc_id, title, source, text, meta), spans in raw_documents(db):
            record = {"text": text, "meta": {**json.loads(meta or "{}"), "title": title}}
            if source:
                record["meta"]["source"] = source
            record["document_id"] = doc_id
            record["spans"] = [
                {"start": start, "end": end, "label": label, "annotator": annotator}
                for start, end, label, annotator in spans
            ]
            stream.write(json.dumps(record, ensure_ascii=False))
            stream.write("\n")
        _flush(stream)


def csv_floor(db: Path, out: Path) -> None:
    """The csv export's rows: one per span, with its text and 40 characters either side on one
    line."""
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(_CSV_HEADER)
        for (doc_id, title, _, text, _), spans in raw_documents(db):
            writer.writerows(
                (doc_id, title, annotator, label, start, end, text[start:end], *context)
                for start, end, label, annotator in spans
                for context in [
                    (_flat(text[max(0, start - 40) : start]), _flat(text[end : end + 40]))
                ]
            )
        _flush(stream)


def brat_floor(db: Path, out: Path) -> None:
    """The brat export's files: `<id>.txt` and `<id>.ann` (a T line per span) per document."""
    out.mkdir()
    for (doc_id, _, _, text, _), spans in raw_documents(db):
        (out / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        lines = "".join(
            f"T{n}\t{label} {start} {end}\t{text[start:end]}\n"
            for n, (start, end, label, _) in enumerate(spans, start=1)
        )
        (out / f"{doc_id}.ann").write_text(lines, encoding="utf-8", newline="\n")
    os.sync()


def _flat(text: str) -> str:
    return _BREAKS.sub(" ", text)


def _flush(stream: Any) -> None:
    stream.flush()
    os.fsync(stream.fileno())


def corpus(db: Path) -> Corpus:
    """Every document with its spans, in memory (what the spaCy floors start from)."""
    return [(row[0], row[1], row[2], row[3], spans) for row, spans in raw_documents(db)]


def tokenise_floor(nlp: Any, texts: list[str]) -> int:
    """The spaCy tokenizer over the texts, nothing else; the number of tokens."""
    return sum(len(doc) for doc in nlp.tokenizer.pipe(texts))


def docbin_floor(
    nlp: Any, documents: Corpus, folder: Path, attrs: tuple[str, ...], shard_size: int
) -> int:
    """The DocBins as someone would write them with spaCy alone, `shard_size` documents to a
    file in `folder`, as our export writes them; the number of ents set."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    folder.mkdir()
    ents = 0
    for first in range(0, len(documents), shard_size):
        shard = documents[first : first + shard_size]
        docbin = DocBin(attrs=attrs, store_user_data=True)
        texts = (text for _, _, _, text, _ in shard)
        for doc, (doc_id, title, source, _, spans) in zip(
            nlp.tokenizer.pipe(texts), shard, strict=True
        ):
            group = []
            for start, end, label, _ in spans:
                span = doc.char_span(start, end, label=label) or doc.char_span(
                    start, end, label=label, alignment_mode="expand"
                )
                if span is not None:
                    group.append(span)
            doc.spans["sc"] = group
            doc.ents = filter_spans(group)
            ents += len(doc.ents)
            user = {"document_id": doc_id, "title": title, "date": "", "source": source}
            doc.user_data.update({**user, "url": ""})
            docbin.add(doc)
        docbin.to_disk(folder / f"{first // shard_size:05d}.spacy")
    return ents
