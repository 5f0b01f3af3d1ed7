"""A document of 5,000 spans and 2,000 relations: open it and add or remove a relation.

Targets (issue 20): the document shows, coloured, with its arcs drawn and its spans and
relations listed, in < 300 ms; after adding or removing one relation, the views are updated and
repainted in < 16 ms (the commit before it, with synchronous=FULL, is shown beside it: the
floor's bare commit alone takes most of a frame here). Ours is the real MainWindow
(Workspace.open_document, carried_out + Workspace.push_applied); the floor reads the same rows
with sqlite3, formats the blocks in view of a bare QPlainTextEdit, commits one statement per
edit and repaints (bench/workers/relations.py). 1000×800 article, offscreen, one fresh process.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench import Row
from bench.measure import run_worker
from bench.view_compare import FRAME_MS, OPEN_MS, within

CHARS = 150_000
SPANS = 5_000
RELATIONS = 2_000
EDITS = 15


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project and measure both sides in one fresh process."""
    chars = max(10_000, round(CHARS * args.scale))
    spans = max(500, round(SPANS * args.scale))
    relations = max(200, round(RELATIONS * args.scale))
    edits = max(3, round(EDITS * min(args.scale, 1.0)))
    with tempfile.TemporaryDirectory(prefix="bench-relations-") as folder:
        db = Path(folder) / "relations.db"
        f = run_worker("bench.workers.relations", db, chars, spans, relations, args.seed, edits)
    what = f"{f['spans']:,} spans, {f['relations']:,} relations"
    rows = [
        Row(
            within(f"open: coloured, arcs drawn, listed ({what})", f["open_ms"], OPEN_MS),
            f["open_ms"],
            f["floor_open_ms"],
            "ms",
        )
    ]
    for kind in ("add", "remove"):
        ours = statistics.median(f[f"{kind}_views_ms"])
        metric = f"{kind} one relation: views updated + repainted, median of {edits}"
        floor = statistics.median(f[f"floor_{kind}_views_ms"])
        rows.append(Row(within(metric, ours, FRAME_MS), ours, floor, "ms"))
        ours = statistics.median(f[f"{kind}_commit_ms"])
        metric = f"{kind} one relation: committed (synchronous=FULL), median (informative)"
        rows.append(Row(metric, ours, statistics.median(f[f"floor_{kind}_commit_ms"]), "ms"))
    slowest = max(f["add_views_ms"] + f["remove_views_ms"])
    floor_slowest = max(f["floor_add_views_ms"] + f["floor_remove_views_ms"])
    rows.append(
        Row(f"slowest views update of {2 * edits} (informative)", slowest, floor_slowest, "ms")
    )
    return rows
