"""One document of 2,000,000 characters with 200,000 spans: open and edit it in the main window.

Targets (issue 15, item 11): the document shows, coloured and listed, in < 1 s; adding,
relabelling or removing one span, committed and repainted, in < 50 ms. Ours is the real
MainWindow (Workspace.open_document / execute); the floor reads the same rows with sqlite3 and
sets the same QTextLayout formats on the blocks in view of a bare QPlainTextEdit (see
bench/workers/big_document.py). Spans: three labels, 3–60 characters, about a third nested in
or overlapping another. 1000×800 article, offscreen, one fresh process.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench import Row
from bench.measure import run_worker
from bench.view_compare import within

CHARS = 2_000_000
SPANS = 200_000
EDITS = 15
"""Edits of each kind at --scale 1."""
OPEN_MS = 1000.0
EDIT_MS = 50.0


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project and measure both sides in one fresh process."""
    chars = max(20_000, round(CHARS * args.scale))
    spans = max(2_000, round(SPANS * args.scale))
    edits = max(3, round(EDITS * min(args.scale, 1.0)))
    with tempfile.TemporaryDirectory(prefix="bench-big-") as folder:
        db = Path(folder) / "big.db"
        f = run_worker("bench.workers.big_document", db, chars, spans, args.seed, edits)
    what = f"{f['chars']:,} chars, {f['spans']:,} spans"
    rows = [
        Row(
            within(f"open: coloured and listed ({what})", f["open_ms"], OPEN_MS),
            f["open_ms"],
            f["floor_open_ms"],
            "ms",
        )
    ]
    for kind in ("add", "relabel", "remove"):
        ours = statistics.median(f[f"{kind}_ms"])
        metric = f"{kind} one span, committed + repainted, median of {edits}"
        rows.append(
            Row(within(metric, ours, EDIT_MS), ours, statistics.median(f[f"floor_{kind}_ms"]), "ms")
        )
    slowest = max(f["add_ms"] + f["relabel_ms"] + f["remove_ms"])
    floor_slowest = max(f["floor_add_ms"] + f["floor_relabel_ms"] + f["floor_remove_ms"])
    rows.append(
        Row(f"slowest single edit of {3 * edits} (informative)", slowest, floor_slowest, "ms")
    )
    return rows
