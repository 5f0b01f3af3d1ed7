"""Worker: export one project's every layer to JSONL, counting SQL statements; JSON figures.

Usage: python -m bench.workers.export_statements DB OUT_FOLDER
For each layer: the statements sent and transactions begun on the project's engines
(SQLAlchemy `before_cursor_execute` and `begin` events) while `export` runs, its seconds, and
this process's peak RSS during it (the high-water mark is reset before each export).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import event

from annotator.core.project import Project
from annotator.io.exporter import export
from bench.measure import emit, peak_rss, reset_peak_rss

LAYERS = ("gold", "ann1", "majority", "all", "suggestions")


def export_cost(project: Project, layer: str, target: Path) -> dict[str, float]:
    """Statements, transactions, seconds and peak RSS of exporting `layer` to `target`."""
    count = {"statements": 0, "transactions": 0}

    def on_statement(*_args) -> None:
        count["statements"] += 1

    def on_begin(_connection) -> None:
        count["transactions"] += 1

    engines = {id(e): e for e in (project.engine, project.read_engine)}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(engine, "begin", on_begin)
    rss_start = reset_peak_rss()
    started = time.perf_counter()
    try:
        report = export(project, "jsonl", target, layer=layer)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", on_statement)
            event.remove(engine, "begin", on_begin)
    seconds = time.perf_counter() - started
    target.unlink()
    return {
        **count,
        "seconds": seconds,
        "documents": report.documents,
        "rss_start": rss_start,
        "rss_peak": peak_rss(),
    }


def main(argv: list[str]) -> None:
    db, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with Project(db) as project:
        layers = {layer: export_cost(project, layer, out / f"{layer}.jsonl") for layer in LAYERS}
    emit(layers=layers)


if __name__ == "__main__":
    main(sys.argv[1:])
