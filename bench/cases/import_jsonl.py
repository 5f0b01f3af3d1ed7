"""Import 10,000 JSONL articles with spans: import_files vs raw sqlite3 multi-row VALUES (≤ 1.5×).

The floor inserts the same rows (documents with their search index and text_key, spans) with
multi-row `VALUES` statements, a batch at a time in one transaction; raw `executemany` of the
whole file is an extra row."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from annotator.core.project import Project
from bench import Row
from bench.measure import MIB, run_worker
from bench.synthetic import write_articles

DOCUMENTS = 10_000
"""Articles at --scale 1 (about 3,000 characters and 3–6 spans each)."""
TARGET = 1.5
"""Our import may take at most this many times the floor's time."""


def run(args: argparse.Namespace) -> list[Row]:
    """Write the articles, import them on each side in a fresh process, compare the figures."""
    count = max(1, round(DOCUMENTS * args.scale))
    with tempfile.TemporaryDirectory(prefix="bench-import-jsonl-") as tmp:
        folder = Path(tmp)
        jsonl = folder / "articles.jsonl"
        documents, spans = write_articles(jsonl, count, seed=args.seed)
        megabytes = jsonl.stat().st_size / MIB
        side = (jsonl, documents, spans, folder, args.tracemalloc)
        ours = _measure("bench.workers.import_ours", "ours", *side)
        Project.create(folder / "empty.db").close()  # same tables, indexes and FTS5 index
        baseline = _measure("bench.workers.import_values", "floor", *side, empty="empty.db")
        many = _measure("bench.workers.import_sqlite", "executemany", *side, empty="empty.db")

    def row(metric: str, key: str, unit: str = "MiB", scale: float = MIB) -> Row:
        return Row(metric, ours[key] / scale, baseline[key] / scale, unit)

    what = f"{documents:,} docs, {spans:,} spans, {megabytes:.0f} MiB"
    rows = [
        Row(f"import time ({what})", ours["seconds"], baseline["seconds"], "s", TARGET),
        Row("import time vs raw executemany", ours["seconds"], many["seconds"], "s"),
        Row(
            "documents per second", *(documents / s["seconds"] for s in (ours, baseline)), "docs/s"
        ),
        row("peak RSS during import", "rss_peak"),
        row("peak RSS above RSS at start", "rss_growth"),
    ]
    if args.tracemalloc:
        rows.append(row("tracemalloc peak (Python heap)", "traced_peak"))
    return rows


def _measure(
    module: str,
    name: str,
    jsonl: Path,
    documents: int,
    spans: int,
    folder: Path,
    traced: bool,
    empty: str | None = None,
) -> dict[str, Any]:
    """Run one side's worker on fresh databases (copies of `empty` when given); its figures."""
    databases = [folder / f"{name}.db"] + ([folder / f"{name}-traced.db"] if traced else [])
    if empty:
        for db in databases:
            shutil.copyfile(folder / empty, db)
    figures = run_worker(module, jsonl, databases[0], documents, spans, *databases[1:])
    figures["rss_growth"] = figures["rss_peak"] - figures["rss_start"]
    return figures
