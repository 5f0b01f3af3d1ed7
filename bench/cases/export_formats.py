"""Export 10,000 articles with 300,000 spans to every format, against each format's floor.

The project (built untimed, spans inserted in bulk) holds synthetic articles (bench.synthetic)
with 30 spans each: the marked actors, platforms and motivations, some overlapping spans, a
few with a trailing space (trimmed on export) or starting inside a word (expanded). One fresh
process (bench.workers.export_formats) times `annotator.io.exporter.export` for each registered
format, and the floors (bench.export_floors): a raw sqlite3 read and serialisation for jsonl
(target ≤ 2×), csv and brat; the spaCy tokenizer alone over the same texts for conll and hf
(≤ 1.5×); DocBins built with spaCy alone in the same msgpack cache for spacy (≤ 1.05×).
Times are the worker's CPU seconds ("cpu s"); a format with a floor is timed in three rounds
back to back with it (each first in every other round) and its ratio is the median of the
rounds' ratios, the floor's median time beside it. The old baselines stay as extra rows: a DocBin
built by hand without the cache, and reading the same layer from the project without writing
anything (the writer's own cost).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from pathlib import Path

from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from bench import Row
from bench.measure import run_worker
from bench.synthetic import ACTORS, MOTIVATIONS, PLATFORMS, article

DOCUMENTS = 10_000
"""Articles at --scale 1 (about 2,000 characters each)."""
SPANS_PER_DOCUMENT = 30
FLOORS = {
    "spacy": ("DocBins built with spaCy alone, same cache", 1.05),
    "jsonl": ("raw sqlite3 read + json.dumps", 2.0),
    "csv": ("raw sqlite3 read + csv.writer", None),
    "brat": ("raw sqlite3 read + .txt/.ann writes", None),
    "conll": ("the spaCy tokenizer alone", 1.5),
    "hf": ("the spaCy tokenizer alone", 1.5),
}
"""Per format: what its floor is, and the target ratio."""
_LABELS = {**dict.fromkeys(ACTORS, "ACTOR"), **dict.fromkeys(PLATFORMS, "PLATFORM")}
_LABELS.update(dict.fromkeys(MOTIVATIONS, "MOTIVATION"))
_PHRASE = re.compile("|".join(re.escape(p) for p in sorted(_LABELS, key=len, reverse=True)))


def spans_for(rng: random.Random, text: str, count: int) -> list[ImportedSpan]:
    """`count` distinct spans: marked phrases, overlaps of two neighbours, a few misaligned."""
    found = [(m.start(), m.end(), _LABELS[m.group()]) for m in _PHRASE.finditer(text)]
    chosen = set(rng.sample(found, min(len(found), count - 4)))
    for _ in range(40):
        if len(chosen) >= count:
            break
        i = rng.randrange(len(found) - 1)
        chosen.add((found[i][0], found[i + 1][1], "MOTIVATION"))  # overlaps both
    spans = []
    for start, end, label in sorted(chosen):
        roll = rng.random()
        if roll < 0.01 and end < len(text) and text[end] == " ":
            end += 1  # trailing space: trimmed
        elif roll < 0.015 and end - start > 2:
            start += 1  # inside a word: expanded
        spans.append(ImportedSpan(start, end, label))
    return list({(s.start, s.end, s.label): s for s in spans}.values())


def build_project(path: Path, count: int, seed: int) -> tuple[int, int]:
    """The synthetic project, stored in one bulk import; (documents, spans)."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        record = article(rng, number, length=2000)
        text = record["text"]
        documents.append(
            ImportedDocument(
                text=text,
                title=record["meta"]["title"],
                meta={"id": record["meta"]["id"]},
                spans=spans_for(rng, text, SPANS_PER_DOCUMENT),
                verbatim=True,
            )
        )
    with Project.create(path) as project:
        report = project.import_documents(documents, annotator="bench")
    return report.documents_added, report.spans_added


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project (untimed), export it to every format in one worker, compare."""
    count = max(20, round(DOCUMENTS * args.scale))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        db = Path(tmp) / "project.db"
        documents, spans = build_project(db, count, args.seed)
        got = run_worker("bench.workers.export_formats", db, Path(tmp) / "out")
    what = f"{documents:,} docs, {spans:,} spans"
    rows = []
    for name, (floor, target) in FLOORS.items():
        seconds, ratio = got["floors"][name], got["ratios"][name]
        metric = f"export {name} vs {floor} ({what}; median ratio of paired rounds)"
        rows.append(Row(metric, ratio * seconds, seconds, "cpu s", target))
    spacy = got["formats"]["spacy"]
    rows.append(
        Row("  spacy vs hand-built DocBin, no cache (old baseline)", spacy, got["direct"], "cpu s")
    )
    for name, seconds in got["formats"].items():
        base = got["direct"] if name == "spacy" else got["read"]
        if name != "spacy":
            rows.append(Row(f"  export {name} vs reading the layer", seconds, base, "cpu s"))
        rows.append(
            Row(f"  {name}: documents per second", documents / seconds, documents / base, "docs/s")
        )
    return rows
