"""Kill a writer with SIGKILL at random moments and check that nothing committed was lost.

Children: `spans` adds and removes spans through the Project API as fast as it can, appending
`+ID` after each committed add and `~ID`/`-ID` around each removal to a log file with unbuffered
writes (they reach the kernel before the next commit starts, so they survive SIGKILL); `import`
imports a JSONL file (io.importer, as `annotator import` does) and is killed once its one
transaction has begun writing: all of it or none must be stored; `merge` merges another project
file (io.merge_input, as `annotator merge` does) and is killed the same way: all or none, and the
other file unchanged. The soak runs many rounds:

    .venv/bin/python tests/reliability/crashkit.py --rounds 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TEXT = "Baykar sold TB2 drones to Azerbaijan. " * 60
ANNOTATOR = "alice"


def spans_child(db: str, log: str, limit: int, annotator: str) -> None:
    """Add spans (and remove every seventh one) until killed, orphaned, or `limit` net adds."""
    from annotator.core.project import Project

    project = Project.open(db)
    doc_id = project.document_ids()[0]
    labels = [label.name for label in project.labels()]
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, b"ready\n")
    rng = random.Random(os.getpid())
    added: list[int] = []
    adds, parent = 0, os.getppid()
    while (limit <= 0 or len(added) < limit) and os.getppid() == parent:
        start = rng.randrange(len(TEXT) - 40)
        end = start + rng.randrange(1, 40)
        try:
            changes = project.add_span(doc_id, annotator, rng.choice(labels), start, end)
        except Exception as exc:  # a duplicate span: same layer, label and offsets
            if "already marked" not in str(exc):
                raise
            continue
        added.append(changes.spans_added[0])
        adds += 1
        os.write(fd, f"+{added[-1]}\n".encode())
        if adds % 7 == 0:
            victim = added.pop(rng.randrange(len(added)))
            os.write(fd, f"~{victim}\n".encode())
            project.remove_span(victim)
            os.write(fd, f"-{victim}\n".encode())
    project.close()


class StoringMark:
    """A progress sink that logs "storing" (unbuffered) once `started(done, total)` holds."""

    def __init__(self, log: str, started: Callable[[int, int], bool]) -> None:
        self.fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self.started = started

    def report(self, done: int, total: int) -> None:
        """Log "storing" when the transaction has begun writing."""
        if self.started(done, total):
            os.write(self.fd, b"storing\n")

    def cancelled(self) -> bool:
        """Never: the child runs until done or killed."""
        return False

    def done(self) -> None:
        """Log "done": the call returned, so its transaction committed."""
        os.write(self.fd, b"done\n")


def import_child(db: str, source: str, log: str) -> None:
    """Import a JSONL file, logging "storing" once its transaction writes and "done" after."""
    from annotator.core.project import Project
    from annotator.io.importer import import_files

    # progress counts the bytes read; (0, total) comes once the import's transaction is open
    mark = StoringMark(log, lambda done, total: total > 1 and done == 0)
    with Project.open(db) as project:
        import_files(project, [Path(source)], progress=mark)
    mark.done()


def merge_child(db: str, other: str, log: str) -> None:
    """Merge another project file, logging "storing" once a batch is written and "done" after."""
    from annotator.core.project import Project
    from annotator.io.merge_input import merge_files

    mark = StoringMark(log, lambda done, total: 0 < done < total)  # a batch is in, more to come
    with Project.open(db) as project:
        merge_files(project, [Path(other)], progress=mark)
    mark.done()


def make_project(db: Path, documents: int = 1) -> None:
    """A fresh project with the default labels and `documents` documents."""
    from annotator.core.project import Project

    with Project.create(db) as project:
        for n in range(documents):
            project.add_document(f"{n}. {TEXT}")


def check_database(db: Path) -> None:
    """AssertionError unless SQLite, the foreign keys and the search index are all sound."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "document_fts" in tables:  # raises "database disk image is malformed" if out of step
            conn.execute(
                "INSERT INTO document_fts(document_fts, rank) VALUES('integrity-check', 1)"
            )
    finally:
        conn.close()


def span_ids(db: Path) -> set[int]:
    """Ids of every span in the file."""
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM span")}
    finally:
        conn.close()


@dataclass
class Outcome:
    """What one round saw: spans committed (or documents imported or merged), and whether all."""

    committed: int
    complete: bool = False


def spans_round(folder: Path, rng: random.Random, max_delay: float = 0.4) -> Outcome:
    """Start the spans child, SIGKILL it at a random moment, check every committed change."""
    db, log = folder / "spans.db", folder / "spans.log"
    if not db.exists():
        make_project(db)
    log.unlink(missing_ok=True)
    child = _spawn(["spans", str(db), str(log), "0", ANNOTATOR])
    _wait_for(log, child, b"\n+")
    time.sleep(rng.uniform(0, max_delay))
    child.send_signal(signal.SIGKILL)
    child.wait()
    check_database(db)
    added, removing, removed = _read_log(log)
    present = span_ids(db)
    missing = added - removing - present
    assert not missing, f"committed spans lost: {sorted(missing)[:10]}"
    back = removed & present
    assert not back, f"committed removals undone: {sorted(back)[:10]}"
    return Outcome(len(added))


def import_round(
    folder: Path, rng: random.Random, documents: int = 400, max_delay: float = 0.3
) -> Outcome:
    """Kill an import of a JSONL file at a random moment after its transaction began writing:
    all of it or none is stored."""
    db, log = folder / "import.db", folder / "import.log"
    source = folder / f"batch-{rng.randrange(10**9)}.jsonl"
    if not db.exists():
        make_project(db)
    lines = [
        {"text": f"{source.stem} {n}. {TEXT}", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
        for n in range(documents)
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before = _count(db, "document")
    log.unlink(missing_ok=True)
    child = _spawn(["import", str(db), str(source), str(log)])
    _wait_for(log, child, b"storing")
    time.sleep(rng.uniform(0, max_delay))
    child.send_signal(signal.SIGKILL)
    child.wait()
    check_database(db)
    added = _count(db, "document") - before
    assert added in (0, documents), f"an import killed midway left {added} of {documents}"
    if b"done" in log.read_bytes():
        assert added == documents, "the import returned but its documents are missing"
    source.unlink()
    return Outcome(added, complete=added == documents)


MERGED_TABLES = ("document", "span", "document_state", "annotator", "label")


def merge_round(
    folder: Path, rng: random.Random, documents: int = 4000, max_delay: float = 1.0
) -> Outcome:
    """Kill a merge of another project file at a random moment after its transaction began
    writing: the project holds all of it or none, and the other file is unchanged."""
    from annotator.core.storage.migrate import copy_database

    base, other, whole = _merge_files(folder, documents)
    db, log = folder / "merge.db", folder / "merge.log"
    for stale in (db, log, db.with_name("merge.db-wal"), db.with_name("merge.db-shm")):
        stale.unlink(missing_ok=True)
    copy_database(base, db)
    before, other_before = _counts(db), _fingerprint(other)
    child = _spawn(["merge", str(db), str(other), str(log)])
    _wait_for(log, child, b"storing")
    time.sleep(rng.uniform(0, max_delay))
    child.send_signal(signal.SIGKILL)
    child.wait()
    check_database(db)
    after = _counts(db)
    assert after in (before, whole), f"a merge killed midway left {after}, not {before} or {whole}"
    if b"done" in log.read_bytes():
        assert after == whole, "the merge returned but its data are missing"
    assert _fingerprint(other) == other_before, "the merge changed the other project file"
    return Outcome(after["document"] - before["document"], complete=after == whole)


def _merge_files(folder: Path, documents: int) -> tuple[Path, Path, dict[str, int]]:
    """The project merged into, the other file (`documents` documents with 3 spans and a status
    each, alone in its folder) and the counts after a merge that completed; built once."""
    from annotator.core.model import ImportedDocument, ImportedSpan
    from annotator.core.project import Project
    from annotator.core.storage.migrate import copy_database
    from annotator.io.merge_input import merge_files

    base, other, expected = (
        folder / "merge-base.db",
        folder / "other" / "other.db",
        folder / "merge-whole.json",
    )
    if expected.exists():
        return base, other, json.loads(expected.read_text())
    make_project(base)
    other.parent.mkdir(exist_ok=True)
    spans = [
        ImportedSpan(0, 5, "ACTOR"),
        ImportedSpan(6, 10, "PLATFORM"),
        ImportedSpan(12, 20, "ACTOR"),
    ]
    with Project.create(other) as project:
        project.import_documents(
            [
                ImportedDocument(
                    f"other {n}. {TEXT[:400]}", f"o{n}", spans=spans, status="done", verbatim=True
                )
                for n in range(documents)
            ],
            annotator="bob",
        )
    reference = folder / "merge-reference.db"
    copy_database(base, reference)
    with Project.open(reference) as project:
        merge_files(project, [other])
    whole = _counts(reference)
    expected.write_text(json.dumps(whole))
    return base, other, whole


def _counts(db: Path) -> dict[str, int]:
    return {table: _count(db, table) for table in MERGED_TABLES}


def _fingerprint(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, its mtime and the files beside it: what a merge must never change."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _spawn(args: list[str]) -> subprocess.Popen:
    command = [sys.executable, __file__, "--child", *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(log: Path, child: subprocess.Popen, mark: bytes, timeout: float = 60) -> None:
    """Return once the child has logged `mark` (b"\\n+": its first committed span)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and mark in log.read_bytes()[:4096]:
            return
        if child.poll() is not None:
            raise AssertionError(f"child ended early: {child.stderr.read().decode()[-2000:]}")
        time.sleep(0.01)
    child.kill()
    raise AssertionError("child never became ready")


def _read_log(log: Path) -> tuple[set[int], set[int], set[int]]:
    """Span ids added, being removed, and removed, as the children logged them."""
    sets: dict[str, set[int]] = {"+": set(), "~": set(), "-": set()}
    for line in log.read_text().splitlines():
        if line[:1] in sets and line.endswith(tuple("0123456789")):
            sets[line[0]].add(int(line[1:]))
    return sets["+"], sets["~"], sets["-"]


def soak(rounds: int, folder: Path, seed: int) -> int:
    """Run `rounds` span rounds, and rounds/10 import and merge rounds; print figures; 0 when
    all passed."""
    rng = random.Random(seed)
    failures = spans = 0
    killed = {"imports": [0, 0], "merges": [0, 0]}  # [stored whole, stored nothing]
    began = time.monotonic()
    for n in range(1, rounds + 1):
        try:
            spans += spans_round(folder, rng).committed
            if n % 10 == 0:
                for kind, round_ in (("imports", import_round), ("merges", merge_round)):
                    killed[kind][not round_(folder, rng).complete] += 1
        except AssertionError as exc:
            failures += 1
            print(f"round {n}: FAILED {exc}", flush=True)
        if n % 20 == 0 or n == rounds:
            kills = ", ".join(
                f"{kind} killed {whole + none} (all {whole}, none {none})"
                for kind, (whole, none) in killed.items()
            )
            print(
                f"round {n}/{rounds}: {spans} committed span adds checked, {kills}, "
                f"failures {failures}, {time.monotonic() - began:.0f} s",
                flush=True,
            )
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="work folder (default: a new temp folder)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.child[0] in ("import", "merge"):
        (import_child if args.child[0] == "import" else merge_child)(*args.child[1:])
        return 0
    if args.child:
        _, db, log, limit, annotator = args.child
        spans_child(db, log, int(limit), annotator)
        return 0
    import tempfile

    folder = args.folder or Path(tempfile.mkdtemp(prefix="annotator-soak-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"soak in {folder}: {args.rounds} rounds, seed {args.seed}", flush=True)
    return soak(args.rounds, folder, args.seed)


if __name__ == "__main__":
    sys.exit(main())
