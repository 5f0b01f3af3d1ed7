"""Shared by the article view cases: run both sides' workers and turn their figures into rows.

The issue's targets are absolute (open < 300 ms, a frame < 16 ms), not ratios to the baseline,
so each timed row carries its verdict in its metric name; the ratio column compares the
highlighter with the ExtraSelections approach measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
from typing import Any

from bench import Row
from bench.measure import MIB, run_worker

OPEN_MS = 300.0
"""Target: the document is shown, coloured, within this many milliseconds."""
FRAME_MS = 16.0
"""Target: a repaint, or an edit with its repaint, fits in one 60 Hz frame."""


def within(metric: str, value: float, limit: float) -> str:
    """The metric name with its absolute target and whether `value` meets it."""
    verdict = "PASS" if value < limit else f"FAIL by {value - limit:,.0f} ms"
    return f"{metric} [< {limit:g} ms: {verdict}]"


def counts(scale: float, repeats: int, edits: int, sweep: int) -> tuple[int, int, int]:
    """Repeats, edits and sweep frames for a scale: fewer below 1 (with floors), never more."""
    factor = min(scale, 1.0)
    return (
        max(1, round(repeats * factor)),
        max(3, round(edits * factor)),
        max(3, round(sweep * factor)),
    )


def compare(
    args: argparse.Namespace, shape: str, chars: int, spans: int, full: tuple[int, int, int]
) -> list[Row]:
    """Measure ours and the baseline on one synthetic text (each in a fresh process); rows."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the workers inherit it; no window appears
    chars = max(2_000, round(chars * args.scale))
    spans = max(10, round(spans * args.scale))
    repeats, edits, sweep = counts(args.scale, *full)
    argv = (shape, chars, spans, args.seed, repeats, edits, sweep, int(args.tracemalloc))
    ours = run_worker("bench.workers.article_view", "ours", *argv)
    base = run_worker("bench.workers.article_view", "extras", *argv)

    def median(key: str, figures: dict[str, Any]) -> float:
        return statistics.median(figures[key])

    def worst_place(figures: dict[str, Any]) -> float:
        return max(median(f"repaint_{p}_ms", figures) for p in ("top", "middle", "end"))

    def timed(metric: str, key: str, limit: float | None = None) -> Row:
        value = median(key, ours)
        return Row(
            within(metric, value, limit) if limit else metric, value, median(key, base), "ms"
        )

    what = f"{ours['chars']:,} chars, {ours['blocks']:,} paragraph(s), {ours['spans']:,} spans"
    top = ours["scroll_max"]
    repaint = worst_place(ours)
    sweep_max = max(ours["sweep_ms"])
    slowest_edit = max(ours["add_ms"] + ours["remove_ms"] + ours["relabel_ms"])
    rows = [
        timed(
            f"open from the database: read + show + repaint, median of {repeats} ({what})",
            "open_ms",
            OPEN_MS,
        ),
        Row(
            "events still pending after the open (deferred layout, paint)",
            ours["pending_events_ms"],
            base["pending_events_ms"],
            "ms",
        ),
        Row(
            within("repaint after scroll, worst median of top/middle/end", repaint, FRAME_MS),
            repaint,
            worst_place(base),
            "ms",
        ),
        Row(
            within(
                f"scroll sweep: slowest of {sweep} first-visit frames (0..{top})",
                sweep_max,
                FRAME_MS,
            ),
            sweep_max,
            max(base["sweep_ms"]),
            "ms",
        ),
        timed(f"add one span, committed, + repaint, median of {edits}", "add_ms", FRAME_MS),
        timed(f"remove one span, committed, + repaint, median of {edits}", "remove_ms", FRAME_MS),
        timed(f"relabel one span, committed, + repaint, median of {edits}", "relabel_ms", FRAME_MS),
        Row(
            f"slowest single edit of {3 * edits} (informative)",
            slowest_edit,
            max(base["add_ms"] + base["remove_ms"] + base["relabel_ms"]),
            "ms",
        ),
        Row(
            "peak RSS above RSS at start, during the first open",
            (ours["rss_peak"] - ours["rss_start"]) / MIB,
            (base["rss_peak"] - base["rss_start"]) / MIB,
            "MiB",
        ),
        Row(
            "peak RSS of the process after the first open",
            ours["rss_peak"] / MIB,
            base["rss_peak"] / MIB,
            "MiB",
        ),
    ]
    if args.tracemalloc:
        rows.append(
            Row(
                "tracemalloc peak during an open (Python heap)",
                ours["traced_peak"] / MIB,
                base["traced_peak"] / MIB,
                "MiB",
            )
        )
    return rows
