"""Lexicon suggestions for 10,000 articles, stored: ours vs tokenizer + PhraseMatcher (≤ 1.15×).

The project holds synthetic articles (bench.suggest_data) whose marked spans make a lexicon of
2,000+ phrases. All sides run in one fresh process (bench.workers.suggest_throughput), ours
and the floor back to back in each round, and the ratio is the median of the rounds' ratios:
ours is
`suggest_documents(db, None, [LexiconSuggester.from_project(...)])` end to end (reading the
documents, matching, leaving out what people marked, storing); the floor is the spaCy
tokenizer and the lexicon's PhraseMatcher alone over the same texts, in memory; `nlp.pipe`
with the same phrases in a span_ruler (which also builds Span objects) is an extra row.
Ours stores each group of documents in a writer thread while the next is matched (SQLite
inserts with Python's lock released), so on a second free core part of the storing leaves the
wall time; the CPU-seconds row counts both threads.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench import Row
from bench.measure import run_worker
from bench.suggest_data import build_project

DOCUMENTS = 10_000
"""Articles at --scale 1 (about 3,100 characters each)."""
PHRASES = 2_000
"""Generated lexicon phrases at --scale 1 (besides the synthetic actors, platforms, motives)."""
TARGET = 1.15
"""Our run may take at most this many times the floor's time."""


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project (untimed), run both sides in one worker, compare."""
    documents = max(20, round(DOCUMENTS * args.scale))
    phrases = max(40, round(PHRASES * args.scale))
    with tempfile.TemporaryDirectory(prefix="bench-suggest-") as tmp:
        db = build_project(Path(tmp), documents, phrases, args.seed)
        got = run_worker("bench.workers.suggest_throughput", db)
    what = f"{got['documents']:,} docs, {got['characters'] / 1e6:.1f}M chars"
    rounds = got["rounds"]
    return [
        Row(
            f"suggest, lexicon of {got['patterns']:,} phrases ({what}), median of {rounds} "
            "rounds' ratios (floor's median time beside it)",
            got["ratio"] * got["floor"],
            got["floor"],
            "s",
            TARGET,
        ),
        Row(
            "  the same in CPU seconds (load and fsync waits left out)",
            got["cpu_ratio"] * got["floor_cpu"],
            got["floor_cpu"],
            "cpu s",
        ),
        Row("  median times of each side (not paired)", got["ours"], got["floor"], "s"),
        Row("suggest vs nlp.pipe with a span_ruler", got["ours"], got["span_ruler"], "s"),
        Row(
            "documents per second",
            got["documents"] / got["ours"],
            got["documents"] / got["floor"],
            "docs/s",
        ),
        Row(
            "suggestions stored (ours) / PhraseMatcher matches (floor)",
            got["stored"],
            got["floor_matches"],
            "spans",
        ),
    ]
