"""SQL statements and write transactions per key press in the real window; Accept All seconds.

Issue 16 targets: a new span by label key in a document with 5,000 spans, a relabel, a delete
and the undo of each: 1 write transaction and <= 10 SQL statements in all, the views' refresh
included; Accept All over 7,000 suggestions on a 436,000-character article and its undo: <= 2 s
each. Ours is the count (bench/workers/edit_cost.py, in a fresh process); the baseline column
is the target, so ours/base <= 1 meets it.
"""

from __future__ import annotations

import argparse
import os

from bench import Row
from bench.measure import run_worker

CHARS = 200_000
SPANS = 5_000
SUGGEST_CHARS = 436_000
SUGGESTIONS = 7_000
MAX_TRANSACTIONS = 1
MAX_STATEMENTS = 10
MAX_ACCEPT_MS = 2_000
KEY_ACTIONS = (
    "first span (todo -> in progress)",
    "add span",
    "relabel span",
    "delete span",
    "undo delete",
    "undo relabel",
    "undo add",
)


def run(args: argparse.Namespace) -> list[Row]:
    """Count each key action, time Accept All and its undo; one row per figure."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    figures = run_worker(
        "bench.workers.edit_cost",
        max(2_000, round(CHARS * args.scale)),
        max(50, round(SPANS * args.scale)),
        max(20_000, round(SUGGEST_CHARS * args.scale)),
        max(500, round(SUGGESTIONS * args.scale)),
        args.seed,
    )
    spans = f"{figures['spans']['count']:,} spans"
    rows: list[Row] = []
    for action in KEY_ACTIONS:
        measured = figures[action]
        rows += [
            Row(
                f"{action}: write transactions ({spans})",
                measured["transactions"],
                MAX_TRANSACTIONS,
                "commits",
                1.0,
            ),
            Row(
                f"{action}: SQL statements",
                measured["statements"],
                MAX_STATEMENTS,
                "statements",
                1.0,
            ),
        ]
    live = figures["live check after the edits"]
    rows.append(
        Row(
            "the next check for others' work after the edits: SQL statements (informative)",
            live["statements"],
            1,
            "statements",
        )
    )
    suggestions = f"{figures['suggestions']['count']:,} suggestions"
    for action in ("accept all", "undo accept all"):
        measured = figures[action]
        rows += [
            Row(
                f"{action} with the refresh ({suggestions})",
                measured["ms"],
                MAX_ACCEPT_MS,
                "ms",
                1.0,
            ),
            Row(
                f"{action}: write transactions",
                measured["transactions"],
                MAX_TRANSACTIONS,
                "commits",
                1.0,
            ),
            Row(f"{action}: SQL statements (informative)", measured["statements"], 1, "statements"),
        ]
    return rows
