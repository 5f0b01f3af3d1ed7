"""10 annotator processes adding spans to one PostgreSQL server (fsync on) vs one on SQLite.

Each process opens the project, then (all at once) adds spans in its own layer, one committed
transaction each, for 60 s × --scale. Figures: spans/s over all writers and p95 latency of one
add_span (its commit included). The baseline is the same loop in one process on a SQLite file
(WAL, synchronous=FULL): both sides make every commit durable. Each writer reports the settings
its own session ran with; the run stops unless they are fsync and synchronous_commit on (server)
and synchronous=FULL in WAL mode (SQLite), and the rows name them. A server running with fsync
off from its configuration file is switched to fsync on for the run (ALTER SYSTEM, then reset);
one given fsync off on its command line cannot be, and the case is skipped saying so (start
.ci/pg-server's cluster with ANNOTATOR_CI_PG_FSYNC=on). Targets: 10 server writers reach at
least 2× one SQLite writer's throughput (their time per span at most 0.5×), with a p95 of at
most 16 ms. The server comes from ANNOTATOR_BENCH_PG_URL, else ANNOTATOR_TEST_PG_URL, else
postgres@localhost:5432; without one the case is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import Connection, Engine, NullPool, create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.model import ImportedDocument
from annotator.core.project import Project
from annotator.core.storage.engine import database_url
from bench import Row
from bench.measure import ROOT

WRITERS = 10
SECONDS = 60.0
DOCUMENTS = 50
THROUGHPUT_TARGET = 2.0
"""The server's writers together must add at least this many times one SQLite writer's spans."""
P95_TARGET_MS = 16.0
"""The server's p95 add_span latency (commit included) must stay at or under this."""
DURABLE = {"postgresql": ["on", "on"], "sqlite": ["2", "wal"]}
"""What every writer's session must report (bench.workers.server_load.durability)."""
SERVER_SIDE = "fsync on, synchronous_commit on"
SQLITE_SIDE = "WAL, synchronous=FULL"
TEXT = "Baykar sold the TB2 to Azerbaijan, and Pakistan built the JF-17 with China. " * 20


def run(args: argparse.Namespace) -> list[Row]:
    """Measure both sides; no rows (and a message) when no server answers."""
    admin_url = database_url(
        os.environ.get("ANNOTATOR_BENCH_PG_URL")
        or os.environ.get("ANNOTATOR_TEST_PG_URL")
        or "postgresql://postgres@localhost:5432/postgres"
    )
    admin = create_engine(
        admin_url,
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
        connect_args={"connect_timeout": 3},
    )
    try:
        with admin.connect() as conn:
            fsync_was_off = conn.scalar(text("SHOW fsync")) == "off"
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        print(
            f"server_load: skipped, no PostgreSQL server at {make_url(admin_url)!s} "
            f"({str(exc).splitlines()[0]}); set ANNOTATOR_BENCH_PG_URL",
            file=sys.stderr,
        )
        return []
    seconds = max(1.0, SECONDS * args.scale)
    name = f"annotator_bench_{uuid.uuid4().hex[:8]}"
    if fsync_was_off:
        with admin.connect() as conn:
            _set_fsync(conn, "on")
        if not _fsync_turned_on(admin):
            with admin.connect() as conn:
                _set_fsync(conn, None)
            print(
                "server_load: skipped, the server runs with fsync off and it cannot be turned on "
                "(set on its command line): start it with fsync on "
                "(ANNOTATOR_CI_PG_FSYNC=on .ci/pg-server start DIR)",
                file=sys.stderr,
            )
            return []
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        server_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        server = _load(server_url, WRITERS, seconds, args.seed, "postgresql")
        with tempfile.TemporaryDirectory(prefix="bench-server-load-") as tmp:
            sqlite = _load(str(Path(tmp) / "one.db"), 1, seconds, args.seed, "sqlite")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if fsync_was_off:
                _set_fsync(conn, None)
        admin.dispose()
    return [
        Row(
            f"spans/s: {WRITERS} writers on the server ({SERVER_SIDE}) "
            f"vs 1 writer on SQLite ({SQLITE_SIDE})",
            server["rate"],
            sqlite["rate"],
            "spans/s",
        ),
        Row(
            f"time per span: {WRITERS} server writers vs 1 SQLite writer (≥ 2× throughput)",
            1000 / server["rate"],
            1000 / sqlite["rate"],
            "ms",
            1 / THROUGHPUT_TARGET,
        ),
        Row(
            f"p95 add_span latency on the server vs its {P95_TARGET_MS:g} ms target",
            server["p95"],
            P95_TARGET_MS,
            "ms",
            1.0,
        ),
        Row("p95 add_span latency (commit included)", server["p95"], sqlite["p95"], "ms"),
        Row("median add_span latency", server["p50"], sqlite["p50"], "ms"),
    ]


def _set_fsync(conn: Connection, value: str | None) -> None:
    """Set the server's fsync (None: back to its configuration file's) and reload it."""
    statement = "ALTER SYSTEM RESET fsync" if value is None else f"ALTER SYSTEM SET fsync = {value}"
    conn.execute(text(statement))
    conn.execute(text("SELECT pg_reload_conf()"))


def _fsync_turned_on(admin: Engine) -> bool:
    """Whether a new session of the server runs with fsync on within 5 s (a reload is
    asynchronous; a command-line setting outranks ALTER SYSTEM and never changes)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with admin.connect() as conn:
            if conn.scalar(text("SHOW fsync")) == "on":
                return True
        time.sleep(0.1)
    return False


def _load(target: str, writers: int, seconds: float, seed: int, dialect: str) -> dict[str, float]:
    """Make the project, start the writers, release them at once; their combined figures
    (a RuntimeError when a writer's session did not make its commits durable)."""
    with Project.create(target) as project:
        project.import_documents([ImportedDocument(f"{n}. {TEXT}") for n in range(DOCUMENTS)])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.workers.server_load",
                target,
                f"writer{n}",
                str(seconds),
                str(seed + n),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(writers)
    ]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("a writer failed to open the project")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 120)
        if proc.returncode != 0:
            raise RuntimeError(f"a writer exited with {proc.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    undurable = [r["durability"] for r in results if r["durability"] != DURABLE[dialect]]
    if undurable:
        raise RuntimeError(
            f"a {dialect} writer ran with {undurable[0]} (fsync, synchronous_commit / "
            f"synchronous, journal_mode), not {DURABLE[dialect]}: its commits were not durable"
        )
    latencies = sorted(x * 1000 for r in results for x in r["latencies"])
    stored = len(latencies) - sum(r["conflicts"] for r in results)
    return {
        "rate": stored / seconds,
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "p50": statistics.median(latencies),
    }
