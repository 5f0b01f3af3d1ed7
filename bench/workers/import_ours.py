"""Worker: import a JSONL file with annotator's import_files; print time and memory as JSON.

Usage: python -m bench.workers.import_ours JSONL DB EXPECTED_DOCS EXPECTED_SPANS [TRACED_DB]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from annotator.core.project import Project
from annotator.io.importer import import_files
from bench.measure import emit, peak_rss, reset_peak_rss, traced_peak


def timed_import(jsonl: Path, db: Path, expected: tuple[int, int]) -> tuple[float, int]:
    """Create a project (untimed), then time import and close; return (seconds, RSS at start).

    Fails unless every document and span was stored, so a broken import cannot look fast.
    """
    project = Project.create(db)
    rss_start = reset_peak_rss()
    started = time.perf_counter()
    try:
        report = import_files(project, [jsonl], "jsonl").stored
    finally:
        project.close()
    seconds = time.perf_counter() - started
    got = (report.documents_added, report.spans_added)
    if got != expected:
        raise SystemExit(f"import stored {got} (documents, spans), expected {expected}")
    return seconds, rss_start


def main(argv: list[str]) -> None:
    """Time one import; with TRACED_DB, trace a second one into it for the tracemalloc peak."""
    jsonl, db, expected = Path(argv[0]), Path(argv[1]), (int(argv[2]), int(argv[3]))
    seconds, rss_start = timed_import(jsonl, db, expected)
    rss_peak = peak_rss()
    traced = None
    if len(argv) > 4:
        traced = traced_peak(lambda: timed_import(jsonl, Path(argv[4]), expected))
    emit(seconds=seconds, rss_start=rss_start, rss_peak=rss_peak, traced_peak=traced)


if __name__ == "__main__":
    main(sys.argv[1:])
