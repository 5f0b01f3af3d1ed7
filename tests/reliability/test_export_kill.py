"""SIGKILL during `annotator export --force --split`: the folder holds the whole old set or the
whole new one at every moment, and the next export clears what the killed one left.

More rounds: `ANNOTATOR_EXPORT_KILL_ROUNDS=100 .venv/bin/python -m pytest -q -s
tests/reliability/test_export_kill.py` (a summary line per test shows what the kills hit).
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from annotator.core.model import ImportedDocument
from annotator.core.project import Project
from annotator.io import staging
from annotator.io.export_target import MARKER
from annotator.io.exporter import export

ROUNDS = int(os.environ.get("ANNOTATOR_EXPORT_KILL_ROUNDS", "4"))
SPLIT = (0.6, 0.2, 0.2)
CHILD = """
import os, sys
from annotator.cli import main
from annotator.io import staging
db, out, fmt, seed, log, exchange = sys.argv[1:]
if exchange == "no":
    staging._exchange = lambda a, b: False
os.write(os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT), b"start\\n")
sys.exit(main(["export", "--db", db, "--format", fmt, "--out", out, "--split", "0.6,0.2,0.2",
               "--seed", seed, "--force", "--layer", "all"]))
"""


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def start_child(db: Path, out: Path, fmt: str, seed: int, log: Path, exchange: bool):
    log.write_bytes(b"")
    args = [str(db), str(out), fmt, str(seed), str(log), "yes" if exchange else "no"]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    while b"start" not in log.read_bytes():
        assert child.poll() is None, child.stderr.read().decode()[-2000:]
        time.sleep(0.005)
    return child


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_a_split_export_killed_at_any_moment_leaves_the_old_set_or_the_new(tmp_path, fmt, exchange):
    db, out, log = tmp_path / "p.db", tmp_path / "corpus", tmp_path / "child.log"
    with Project.create(db) as project:
        texts = [f"Document {n}: Baykar sold TB2 drones. " * 40 for n in range(300)]
        project.import_documents([ImportedDocument(text) for text in texts])
        sets = {}
        for seed in (1, 2):
            export(
                project, fmt, tmp_path / f"reference-{seed}", split=SPLIT, seed=seed, layer="all"
            )
            sets[seed] = tree(tmp_path / f"reference-{seed}")
        assert sets[1] != sets[2]
        export(project, fmt, out, split=SPLIT, seed=1, layer="all")
    child = start_child(db, out, fmt, 2, log, exchange)
    began = time.monotonic()
    assert child.wait(timeout=120) == 0
    duration = time.monotonic() - began
    assert tree(out) == sets[2]

    rng, seen, now = random.Random(f"{fmt}{exchange}"), Counter(), sets[2]
    for _ in range(ROUNDS):
        seed = rng.choice((1, 2))
        child = start_child(db, out, fmt, seed, log, exchange)
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        child.kill()
        child.wait()
        if not exchange:  # the window between two renames: the next export's first step
            staging.clear_leftovers(out, MARKER)
        before, now = now, tree(out)
        assert now in (sets[1], sets[2])  # a whole set: never a part of one beside another's
        left = [p for p in tmp_path.iterdir() if p.name.startswith(".corpus.")]
        seen["replaced" if now != before else "unchanged"] += 1
        seen["leftovers"] += bool(left)
    print(f"\n{fmt} exchange={exchange}: {ROUNDS} kills, exports of {duration:.2f} s: {seen}")
    assert start_child(db, out, fmt, 1, log, exchange).wait(timeout=120) == 0
    assert tree(out) == sets[1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
