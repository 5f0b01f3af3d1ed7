"""Peak RSS and time per document of each command at 1k / 10k / 50k documents (≤ 400 MiB).

Each scale builds (untimed) two JSONL files of synthetic articles (bench.synthetic, about
3,000 characters and 3–6 spans each), every document marked done: alice's and, for the merge
and the agreement, bob's (alice's spans less every fifth one, plus one of his own). Then each
command runs as `annotator` in a fresh process (bench.workers.command_peak) on a new project
(created untimed): `import` of alice's file, `merge` of bob's, `docs`, `stats`, `agreement`,
and `export` of alice's layer to every format. Its peak RSS (VmHWM, the interpreter and imports
included) is compared with the 400 MiB target, and its time per document at the largest scale
with that at the middle one: the time of a command whose memory is flat grows linearly.
`--scale` shrinks every scale alike; a scale under SMALLEST documents is left out while two
remain (its figures would be the interpreter's start-up alone): at 0.02, 200 and 1,000.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path
from typing import Any

from annotator.core.project import Project
from annotator.io.export_options import export_formats
from annotator.nlp.formats import register_formats
from bench import Row
from bench.measure import MIB, run_worker
from bench.synthetic import article

SCALES = (1_000, 10_000, 50_000)
"""Documents at --scale 1."""
TARGET_MIB = 400
"""Largest peak RSS accepted for any command at any scale."""
SMALLEST = 100
"""Fewest documents a scale is measured at (see the module docstring)."""
GROWTH = 1.5
"""Largest accepted ratio of a command's time per document at the largest scale to that at the
middle scale (1 is linear; start-up costs make small scales dearer per document)."""


def write_layers(folder: Path, count: int, seed: int) -> tuple[Path, Path]:
    """alice.jsonl and bob.jsonl: the same `count` articles, every one done by each."""
    rng = random.Random(seed)
    alice, bob = folder / "alice.jsonl", folder / "bob.jsonl"
    with alice.open("w", encoding="utf-8") as ours, bob.open("w", encoding="utf-8") as theirs:
        for number in range(count):
            record = article(rng, number)
            spans = record["spans"]
            ours.write(_line(record, "alice", spans))
            others = [span for n, span in enumerate(spans) if n % 5 != 4]
            first = spans[0]
            others.append({**first, "end": first["end"] - 1})  # one edge bob drew differently
            theirs.write(_line(record, "bob", others))
    return alice, bob


def _line(record: dict[str, Any], annotator: str, spans: list[dict[str, Any]]) -> str:
    line = {**record, "spans": spans, "annotator": annotator, "status": "done"}
    return json.dumps(line, ensure_ascii=False) + "\n"


def commands(db: Path, alice: Path, bob: Path, out: Path) -> list[tuple[str, list[str]]]:
    """(name, `annotator` arguments) of every measured command, in the order they run."""
    base = ["--db", str(db)]
    steps = [
        ("import", ["import", *base, "--add-labels", str(alice)]),
        ("merge", ["merge", *base, str(bob)]),
        ("docs", ["docs", *base, "--format", "json"]),
        ("stats", ["stats", *base, "--format", "json"]),
        ("agreement", ["agreement", *base, "--format", "json"]),
    ]
    register_formats()  # every format `annotator export` takes
    for fmt in export_formats():
        target = out / f"export-{fmt}"
        steps.append((f"export {fmt}", ["export", *base, "--format", fmt, "--out", str(target)]))
        steps[-1][1].extend(["--layer", "alice"])
    return steps


def measure_scale(count: int, seed: int) -> dict[str, dict[str, Any]]:
    """Every command's seconds and peak RSS (bytes) on a project of `count` documents."""
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = Path(tmp)
        alice, bob = write_layers(folder, count, seed)
        db = folder / "project.db"
        Project.create(db).close()
        figures = {}
        for name, argv in commands(db, alice, bob, folder):
            figures[name] = run_worker("bench.workers.command_peak", *argv)
    return figures


def run(args: argparse.Namespace) -> list[Row]:
    """Run every command at each scale; a row per command and scale (peak RSS against the
    target), then a row per command for the growth of its time per document."""
    counts = [max(20, round(n * args.scale)) for n in SCALES]
    counts = [count for count in counts if count >= SMALLEST] or counts[-2:]
    measured = {count: measure_scale(count, args.seed) for count in counts}
    rows = []
    for name in measured[counts[0]]:
        for count in counts:
            peak = measured[count][name]["rss_peak"] / MIB
            rows.append(Row(f"{name}: peak RSS at {count:,} docs", peak, TARGET_MIB, "MiB", 1.0))
        middle, largest = (measured[c][name]["seconds"] / c * 1000 for c in counts[-2:])
        what = f"{name}: ms per document at {counts[-1]:,} vs at {counts[-2]:,} docs"
        rows.append(Row(what, largest, middle, "ms", GROWTH))
    return rows
