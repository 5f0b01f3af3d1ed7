"""spaCy export: DocBins (.spacy) for `spacy train`, spancat and NER alike.

An export of at most `shard_size` documents (default SHARD_SIZE) is one .spacy file; a larger
one is a folder of .spacy files of `shard_size` documents each (nlp.docbin.shard_name), which
`spacy train` and `spacy.training.Corpus` read as they read one file. The exporter makes that
folder (io.exporter); this writer writes shards into a target that is a folder. A DocBin is
about 0.3 MB per article in memory, so one file for a whole corpus would not fit it.

All spans go to `doc.spans["sc"]` (overlaps kept); `doc.ents` holds the non-overlapping
selection of `spacy.util.filter_spans` (longest first, then earliest). Alignment with spaCy
tokens is strict, then trimmed, then expanded, never contracted; every span adjusted, dropped or
left out of `doc.ents` is counted in the report by reason, and one that would grow by more than
a few characters is left out and named (see annotator.nlp.docbin). Each doc's `user_data`
carries the document's id, title, date, source and URL, and its relations (when it has some):
`user_data["relations"]`, a list of `{"head": [start_char, end_char, label], "tail": [...],
"type": name}`, the two spans as annotated (before alignment). spaCy loads on the first write.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.io.export_options import SHARD_SIZE
from annotator.io.writers.base import ExportItem, ExportReport, article_fields
from annotator.io.writers.relations import linked
from annotator.nlp.docbin import DocRecord, write_docbin


class SpacyWriter:
    """DocBins with spans['sc'] and doc.ents, on a document's imported tokens when it has
    them, else tokenised by the project's language."""

    name = "spacy"
    suffix = ".spacy"
    wants_tokens = True

    def __init__(self, shard_size: int = SHARD_SIZE) -> None:
        self.shard_size = shard_size

    def with_shard_size(self, shard_size: int) -> SpacyWriter:
        """This writer with at most `shard_size` documents per file."""
        return SpacyWriter(shard_size)

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: zlib-compressed msgpack of a DocBin (a map that starts
        with its "version" field)."""
        try:
            start = zlib.decompressobj().decompress(head, 16)
        except zlib.error:
            return False
        return len(start) == 16 and start[0] & 0xF0 == 0x80 and start[1:9] == b"\xa7version"

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        shard_size = self.shard_size if target.is_dir() else None
        stats = write_docbin(_records(items), target, shard_size=shard_size)
        report.adjusted.update(stats.adjusted)
        report.dropped.update(stats.dropped)
        report.errors += stats.errors


def _records(items: Iterable[ExportItem]) -> Iterator[DocRecord]:
    for item in items:
        doc = item.document
        spans = [(span.start, span.end, span.label) for span in item.spans]
        user_data: dict[str, Any] = {"document_id": doc.id, **article_fields(doc)}
        if item.relations:
            user_data["relations"] = [
                {
                    "head": [head.start, head.end, head.label],
                    "tail": [tail.start, tail.end, tail.label],
                    "type": relation.type,
                }
                for relation, head, tail in linked(item)
            ]
        yield DocRecord(doc.text, spans, user_data, language=item.language, tokens=item.tokens)
