"""Export 10,000 articles per layer: SQL statements and transactions per 1,000 documents, constant.

Two projects (built untimed, one bulk import each) of synthetic articles (bench.synthetic,
about 2,000 characters): the full size and half of it. Three annotators (ann1-ann3) each mark
most of an article's phrases and set a status, a fourth (judge) is gold, and a lexicon
suggests a span per article. One fresh process per project (bench.workers.export_statements)
exports each layer (gold, one annotator, majority, all, suggestions) to JSONL and counts what
the export sends to the database. Ours is the full size, the baseline the half size: statements
and transactions per 1,000 documents must not grow with the corpus (reads are batched per chunk
of documents, core.layers), nor the peak RSS (documents are streamed chunk by chunk).
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from annotator.core.model import ImportedDocument, ImportedSpan, NewSuggestion
from annotator.core.project import Project
from bench import Row
from bench.measure import MIB, run_worker
from bench.synthetic import article
from bench.workers.export_statements import LAYERS

DOCUMENTS = 10_000
"""Articles in the larger project at --scale 1; the smaller one has half."""
ANNOTATORS = ("ann1", "ann2", "ann3", "judge")
STATUSES = ("done", "in_progress", "skipped")
PER_THOUSAND_TARGET = 1.0
"""Statements (and transactions) per 1,000 documents may not grow with the corpus."""
RSS_TARGET = 1.25
"""The export's peak RSS at the full size may be at most this many times the half size's."""


def build_project(path: Path, count: int, seed: int) -> None:
    """The synthetic project: every article marked by every annotator, judge gold, a
    suggestion per article."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        record = article(rng, number, length=2000)
        for name in ANNOTATORS:
            spans = [
                ImportedSpan(s["start"], s["end"], s["label"])
                for s in record["spans"]
                if rng.random() < 0.8
            ]
            documents.append(
                ImportedDocument(
                    text=record["text"],
                    title=record["meta"]["title"],
                    spans=spans,
                    annotator=name,
                    status=rng.choice(STATUSES),
                    verbatim=True,
                )
            )
    with Project.create(path) as project:
        project.import_documents(documents)
        project.set_gold("judge")
        ids = project.document_ids()
        project.store_suggestion_batch("lexicon", {i: [NewSuggestion(0, 8, "ACTOR")] for i in ids})


def run(args: argparse.Namespace) -> list[Row]:
    """Build both projects (untimed), export every layer of each in a fresh worker, compare."""
    large = max(40, round(DOCUMENTS * args.scale))
    sizes = (large, large // 2)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-statements-") as tmp:
        for size in sizes:
            db = Path(tmp) / f"project-{size}.db"
            build_project(db, size, args.seed)
            out = Path(tmp) / f"out-{size}"
            figures[size] = run_worker("bench.workers.export_statements", db, out)
            db.unlink()
    rows = []
    for layer in LAYERS:
        ours, base = (figures[size]["layers"][layer] for size in sizes)
        assert ours["documents"] == sizes[0] and base["documents"] == sizes[1], layer
        what = f"{sizes[0]:,} vs {sizes[1]:,} docs"
        rows += [
            Row(
                f"export {layer}: statements per 1,000 documents ({what})",
                ours["statements"] * 1000 / sizes[0],
                base["statements"] * 1000 / sizes[1],
                "statements",
                PER_THOUSAND_TARGET,
            ),
            Row(
                f"  {layer}: transactions per 1,000 documents",
                ours["transactions"] * 1000 / sizes[0],
                base["transactions"] * 1000 / sizes[1],
                "transactions",
                PER_THOUSAND_TARGET,
            ),
            Row(
                f"  {layer}: peak RSS of the exporting process",
                ours["rss_peak"] / MIB,
                base["rss_peak"] / MIB,
                "MiB",
                RSS_TARGET,
            ),
            Row(
                f"  {layer}: seconds per 1,000 documents",
                ours["seconds"] * 1000 / sizes[0],
                base["seconds"] * 1000 / sizes[1],
                "s",
            ),
        ]
    return rows
