"""The navigator's "Most uncertain first" at 2,000 and 10,000 documents: GUI-thread time a page.

Projects of short documents with 20 scored suggestions each (bench.suggested_list: a fifth of
the documents done, a seventh without suggestions, a tenth of the suggestions rejected; raw
inserts, untimed). The order needs every pending suggestion's score, so the navigator reads it
once per filter in a worker (`ranked_document_ids`, ids only) and then each page of 200 by id
on the GUI thread. Ours: that page by id (median over pages spread through the list), against
the 50 ms target (issue 22). Baseline: the same page as one statement sorted in SQL, what the
GUI thread ran for every page before (~110 ms at 10,000 documents in the issue). Also the
worker's read of the whole order, informative.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.progress import NullProgress
from annotator.core.project import DocumentFilter, Project
from annotator.core.project.documents import ranked_document_ids
from annotator.core.storage.repo import UNCERTAIN
from bench import Row
from bench.suggested_list import ANNOTATOR, build
from bench.view_compare import within

SIZES = (2_000, 10_000)
"""Documents in each project at --scale 1."""
PER_DOCUMENT = 20
PAGE = 200
PAGES = 5
"""Pages timed, spread through the list."""
PAGE_MS = 50.0


def _ms(job: Callable[[], object]) -> float:
    started = time.perf_counter()
    job()
    return (time.perf_counter() - started) * 1000


def _pages(db: Path, ranked: list[int]) -> tuple[list[float], list[float]]:
    """Milliseconds of PAGES pages spread through the list: read by id, and sorted in SQL."""
    where = DocumentFilter(annotator=ANNOTATOR)
    by_id, in_sql = [], []
    with Project(db) as project:
        for n in range(PAGES):
            offset = n * (len(ranked) // PAGES)
            ids = tuple(ranked[offset : offset + PAGE])
            by_id.append(_ms(lambda: project.documents(DocumentFilter(ANNOTATOR, ids=ids))))  # noqa: B023
            in_sql.append(
                _ms(lambda: project.documents(where, offset=offset, limit=PAGE, order=UNCERTAIN))  # noqa: B023
            )
    return by_id, in_sql


def run(args: argparse.Namespace) -> list[Row]:
    """Build each project, then time the worker's order and the pages."""
    rows = []
    for size in SIZES:
        documents = max(PAGE * PAGES, round(size * args.scale))
        with tempfile.TemporaryDirectory(prefix="bench-uncertain-") as folder:
            db = Path(folder) / "list.db"
            Project.create(db).close()
            build(db, documents, PER_DOCUMENT, args.seed)
            where = DocumentFilter(annotator=ANNOTATOR)
            order_ms = []
            for _ in range(3):
                started = time.perf_counter()
                ranked = ranked_document_ids(str(db), where, UNCERTAIN, progress=NullProgress())
                order_ms.append((time.perf_counter() - started) * 1000)
            by_id, in_sql = _pages(db, ranked)
        what = f"{documents:,} documents, {documents * PER_DOCUMENT:,} suggestions"
        page_ms = statistics.median(by_id)
        rows.append(
            Row(
                within(f"GUI thread: a page of {PAGE} by id ({what})", page_ms, PAGE_MS),
                page_ms,
                statistics.median(in_sql),
                "ms",
            )
        )
        rows.append(
            Row(
                f"worker: the whole order, ids only, median of 3 ({what}; informative)",
                statistics.median(order_ms),
                statistics.median(in_sql),
                "ms",
            )
        )
    return rows
