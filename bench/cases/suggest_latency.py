"""Open a document → suggestions drawn (MainWindow, auto-suggest) vs the lexicon called directly.

Each side runs in a fresh process (bench.workers.suggest_latency) on the same project: the
suggestion-benchmark corpus (bench.suggest_data) with its lexicon of marked phrases. Ours opens
documents in an offscreen MainWindow and waits until the article shows their suggestions; the
first open includes importing spaCy and building the lexicon in the suggestion worker. The
baseline calls `LexiconSuggester.from_project(...).suggest([text])` on the same texts, with no
Qt and no storage. Later documents: the median of the warm opens.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench import Row
from bench.measure import run_worker
from bench.suggest_data import build_project

DOCUMENTS = 1_000
"""Articles in the project at --scale 1."""
PHRASES = 2_000
"""Generated lexicon phrases at --scale 1."""
LATER = 10
"""Warm opens timed after the first at --scale 1 (at least 3)."""


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project, then run each side in its own process on the same documents."""
    documents = max(20, round(DOCUMENTS * args.scale))
    phrases = max(40, round(PHRASES * args.scale))
    later = max(3, round(LATER * min(args.scale, 1.0)))
    ids = [documents // 2 + i for i in range(later + 1)]  # not the one the window opens first
    with tempfile.TemporaryDirectory(prefix="bench-suggest-latency-") as tmp:
        db = build_project(Path(tmp), documents, phrases, args.seed)
        base = run_worker("bench.workers.suggest_latency", "baseline", db, *ids)
        ours = run_worker("bench.workers.suggest_latency", "ours", db, *ids)
    if any(count == 0 for count in base["counts"]):
        raise AssertionError(f"the baseline found no suggestion in a document: {base['counts']}")
    return [
        Row(
            "open → suggestions drawn, first document (spaCy import, lexicon built)",
            ours["first_ms"],
            base["first_ms"],
            "ms",
        ),
        Row(
            f"open → suggestions drawn, later document (median of {later}; the text itself "
            f"shows after {statistics.median(ours['shown_ms']):.0f} ms)",
            statistics.median(ours["later_ms"]),
            statistics.median(base["later_ms"]),
            "ms",
        ),
        Row(
            "suggestions drawn (ours, without marked spans) / found (baseline), median",
            statistics.median(ours["counts"]),
            statistics.median(base["counts"]),
            "spans",
        ),
    ]
