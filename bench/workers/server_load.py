"""Worker: one annotator adding spans as fast as they commit; prints latencies as JSON.

Usage: python -m bench.workers.server_load TARGET ANNOTATOR SECONDS SEED
Opens the project, prints "ready", waits for a line on stdin, then adds spans for SECONDS.
The JSON also names the durability settings its own session ran with (fsync and
synchronous_commit on a server, the synchronous pragma on SQLite).
"""

from __future__ import annotations

import json
import random
import sys
import time

from sqlalchemy import text

from annotator.core.errors import ConflictError
from annotator.core.project import Project

_SETTINGS = {
    "postgresql": ("SHOW fsync", "SHOW synchronous_commit"),
    "sqlite": ("PRAGMA synchronous", "PRAGMA journal_mode"),
}


def durability(project: Project) -> list[str]:
    """What the writer engine's sessions run with: ['on', 'on'] for fsync and
    synchronous_commit on a server, ['2', 'wal'] (FULL, WAL) on SQLite."""
    with project.engine.connect() as conn:
        return [str(conn.scalar(text(q))) for q in _SETTINGS[project.engine.dialect.name]]


def main(target: str, annotator: str, seconds: float, seed: int) -> None:
    rng = random.Random(seed)
    with Project.open(target) as project:
        docs = [(d.id, d.length) for d in project.documents()]
        print("ready", flush=True)
        sys.stdin.readline()
        latencies, conflicts = [], 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            doc, length = rng.choice(docs)
            start = rng.randrange(length - 20)
            began = time.perf_counter()
            try:
                project.add_span(doc, annotator, "ACTOR", start, start + rng.randint(1, 20))
            except ConflictError:
                conflicts += 1
            latencies.append(time.perf_counter() - began)
        settings = durability(project)
    print(json.dumps({"latencies": latencies, "conflicts": conflicts, "durability": settings}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
