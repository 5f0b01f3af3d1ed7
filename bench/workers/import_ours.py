"""Worker: import a JSONL file with annotator's import_files; print time and memory as JSON.

Usage: python -m bench.workers.import_ours JSONL DB EXPECTED_DOCS EXPECTED_SPANS [TRACED_DB]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from annotator.core.project import Project
from annotator.io.importer import import_files
from bench.measure import import_worker_main, reset_peak_rss


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


if __name__ == "__main__":
    import_worker_main(sys.argv[1:], timed_import)
