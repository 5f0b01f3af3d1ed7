"""Measure in a fresh interpreter: run a worker module, read back the JSON figures it prints."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
"""The directory holding the `bench` package, put on the workers' PYTHONPATH."""

MIB = 1024 * 1024


def run_worker(module: str, *argv: object) -> dict[str, Any]:
    """Run `python -m module argv...` in its own process and return the JSON of its last line."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", module, *map(str, argv)]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{module} exited with {proc.returncode}:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _proc_status(field: str) -> int | None:
    """A `kB` field of /proc/self/status in bytes, None where there is no procfs."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return None


def peak_rss() -> int:
    """This process's peak resident set size, in bytes.

    Linux keeps ru_maxrss across exec, so a worker started by a big parent reports the parent's
    peak (subprocess uses vfork); VmHWM is the same high-water mark for this image alone.
    """
    hwm = _proc_status("VmHWM")
    if hwm is not None:
        return hwm
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def reset_peak_rss() -> int:
    """Reset the peak to the current RSS where Linux allows it; return the current RSS in bytes."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    current = _proc_status("VmRSS")
    return current if current is not None else peak_rss()


def traced_peak(job: Callable[[], object]) -> int:
    """The peak of Python allocations (tracemalloc) while `job` runs, in bytes.

    SQLite's own allocations are not traced; the job also runs slower, so never time it.
    """
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def emit(**figures: object) -> None:
    """Print a worker's figures as one JSON line (the last line is what run_worker reads)."""
    print(json.dumps(figures), flush=True)


TimedImport = Callable[[Path, Path, tuple[int, int]], tuple[float, int]]
"""(JSONL, DB, expected (documents, spans)) -> (seconds, RSS at start), checking the counts."""


def import_worker_main(argv: list[str], timed_import: TimedImport) -> None:
    """An import worker's main; argv: JSONL DB EXPECTED_DOCS EXPECTED_SPANS [TRACED_DB].

    Times one import; with TRACED_DB, traces a second one into it for the tracemalloc peak.
    """
    jsonl, db, expected = Path(argv[0]), Path(argv[1]), (int(argv[2]), int(argv[3]))
    seconds, rss_start = timed_import(jsonl, db, expected)
    rss_peak = peak_rss()
    traced = None
    if len(argv) > 4:
        traced = traced_peak(lambda: timed_import(jsonl, Path(argv[4]), expected))
    emit(seconds=seconds, rss_start=rss_start, rss_peak=rss_peak, traced_peak=traced)
