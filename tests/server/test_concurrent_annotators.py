"""Many annotators on one server at once: no span lost or doubled, each in their own layer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from annotator.core.errors import ConflictError
from annotator.core.model import Status
from annotator.core.project import Project

pytestmark = pytest.mark.postgresql

TEXT = "Baykar sold the TB2 to Azerbaijan, and Pakistan built the JF-17 with China. " * 4
WORKERS = 3
SPANS_EACH = 20

WORKER = """
import json, sys
from annotator.core.errors import ConflictError
from annotator.core.project import Project
url, name, doc_ids, count = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
added, refused = [], 0
with Project.open(url) as project:
    for n in range(count):
        doc = doc_ids[n % len(doc_ids)]
        added += project.add_span(doc, name, "ACTOR", n, n + 5).spans_added
        try:  # the same span again: refused, never stored twice
            project.add_span(doc, name, "ACTOR", n, n + 5)
        except ConflictError:
            refused += 1
    for doc in doc_ids:
        project.set_status(doc, name, "done")
print(json.dumps({"added": added, "refused": refused}))
"""


@pytest.fixture
def lab(pg_url):
    """A server project with three documents."""
    with Project.create(pg_url) as project:
        ids = [next(iter(project.add_document(f"{n}. {TEXT}").documents)) for n in range(3)]
    return pg_url, ids


def test_annotator_processes_writing_at_once_lose_and_double_nothing(lab):
    url, doc_ids = lab
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, f"ann{n}", json.dumps(doc_ids), str(SPANS_EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert all(r["refused"] == SPANS_EACH for r in results)

    with Project.open(url) as reviewer:  # a reviewer sees everyone's committed work
        spans = [s for doc in doc_ids for s in reviewer.spans(doc)]
        assert len(spans) == WORKERS * SPANS_EACH
        assert sorted(s.id for s in spans) == sorted(i for r in results for i in r["added"])
        stats = reviewer.stats()
        assert stats.spans_per_annotator == {f"ann{n}": SPANS_EACH for n in range(WORKERS)}
        assert all(
            stats.status_per_annotator[f"ann{n}"] == {"done": len(doc_ids)} for n in range(WORKERS)
        )
        for n in range(WORKERS):
            layer = [s for doc in doc_ids for s in reviewer.spans(doc, f"ann{n}")]
            assert {(s.start, s.end) for s in layer} == {(i, i + 5) for i in range(SPANS_EACH)}


def test_the_same_span_from_two_clients_at_once_is_stored_once(lab):
    url, (doc, *_) = lab
    clients = [Project.open(url) for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    outcomes: list[str] = []

    def add(project: Project) -> None:
        barrier.wait()
        try:
            project.add_span(doc, "ana", "PLATFORM", 16, 19)  # first use of "ana" too
            outcomes.append("added")
        except ConflictError:
            outcomes.append("refused")

    threads = [threading.Thread(target=add, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    assert sorted(outcomes) == ["added"] + ["refused"] * (len(clients) - 1)
    with Project.open(url) as project:
        assert [(s.annotator, s.start, s.end) for s in project.spans(doc)] == [("ana", 16, 19)]
        assert [a.name for a in project.annotators()] == ["ana"]


def test_status_writes_from_two_clients_keep_one_row(lab):
    url, (doc, *_) = lab
    with Project.open(url) as first, Project.open(url) as second:
        first.set_status(doc, "ana", Status.IN_PROGRESS)
        second.set_status(doc, "ana", Status.DONE)
        assert first.states(doc) == {"ana": Status.DONE}
