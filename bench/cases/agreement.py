"""Agreement of 5 annotators over 2,000 finished articles: project_agreement vs the bare read.

The project (built untimed, one bulk import) holds synthetic articles (bench.synthetic, about
2,000 characters) that five annotators all marked done; each layer is the article's marked
phrases with some dropped, relabelled, trimmed or added. Ours is
`project_agreement(project)` end to end: reading the shared documents and spans, span matching
for 10 pairs, token labels, kappa, alpha, confusion and the ranking. Baselines, in the same run:
the floor, a raw sqlite3 read of the same texts and spans (500 documents a statement, grouped
by document, nothing computed); the same read through the project (`iter_batches`, the one
agreement makes: plain integer rows in columns, a batch of documents at a time), an extra row;
and scikit-learn's `cohen_kappa_score` for the 10 pairs plus the `krippendorff` package's alpha
on the same token labels (the last row's baseline), against our kappa and alpha on those labels.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from annotator.core.agreement_project import (
    iter_batches,
    iter_layers,
    project_agreement,
    shared_documents,
)
from annotator.core.agreement_tokens import AlphaTally, cohen_kappa, token_labels, tokenize
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from bench import Row
from bench.synthetic import article

DOCUMENTS = 2_000
"""Articles at --scale 1."""
ANNOTATORS = ("ann1", "ann2", "ann3", "ann4", "ann5")
TARGET = 3.0
"""Our whole agreement may take at most this many times the raw read of its data."""
CHUNK = 500
"""Documents the raw read asks for in one statement."""
_LABELS = ("ACTOR", "PLATFORM", "MOTIVATION")


def _layer(rng: random.Random, spans: list[dict]) -> list[ImportedSpan]:
    """One annotator's take on the marked phrases: most kept, some changed, a few added."""
    out = {}
    for span in spans:
        start, end, label = span["start"], span["end"], span["label"]
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            label = rng.choice(_LABELS)
        elif roll < 0.3 and end - start > 4:
            start += 2
        out[start, end, label] = ImportedSpan(start, end, label)
    if rng.random() < 0.3:
        out[0, 8, "ACTOR"] = ImportedSpan(0, 8, "ACTOR")
    return list(out.values())


def build_project(path: Path, count: int, seed: int) -> None:
    """The synthetic project: every article done by every annotator, with their own spans."""
    rng = random.Random(seed)
    documents = []
    for number in range(count):
        record = article(rng, number, length=2000)
        for name in ANNOTATORS:
            documents.append(
                ImportedDocument(
                    text=record["text"],
                    title=record["meta"]["title"],
                    spans=_layer(rng, record["spans"]),
                    annotator=name,
                    status="done",
                    verbatim=True,
                )
            )
    with Project.create(path) as project:
        project.import_documents(documents)


def raw_read(path: Path, ids: list[int], annotators: tuple[str, ...]) -> list[tuple]:
    """The floor: each document's text and the annotators' spans, with sqlite3 alone."""
    conn = sqlite3.connect(path)
    names = ", ".join("?" * len(annotators))
    documents = []
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            layers: dict[int, dict[str, list[tuple[str, int, int]]]] = {
                doc_id: {name: [] for name in annotators} for doc_id in chunk
            }
            spans = conn.execute(
                'SELECT span.document_id, annotator.name, label.name, span.start, span."end" '
                "FROM span JOIN annotator ON annotator.id = span.annotator_id "
                "JOIN label ON label.id = span.label_id "
                f"WHERE span.document_id IN ({marks}) AND annotator.name IN ({names})",
                (*chunk, *annotators),
            )
            for doc_id, name, label, begin, end in spans:
                layers[doc_id][name].append((label, begin, end))
            texts = conn.execute(
                f"SELECT id, title, text FROM document WHERE id IN ({marks}) ORDER BY id", chunk
            )
            documents += [(i, title, text, layers[i]) for i, title, text in texts]
    finally:
        conn.close()
    return documents


def _timed(job):
    started = time.perf_counter()
    result = job()
    return time.perf_counter() - started, result


def _references(columns: dict[str, list[str]]) -> None:
    """Kappa per pair with scikit-learn and alpha with krippendorff on the same labels."""
    import krippendorff  # imported (untimed) by run() already
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    for a, b in combinations(columns, 2):
        cohen_kappa_score(columns[a], columns[b])
    codes = {label: i for i, label in enumerate(sorted({v for c in columns.values() for v in c}))}
    data = np.array([[codes[v] for v in c] for c in columns.values()], dtype=float)
    krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def _ours_on_labels(columns: dict[str, list[str]]) -> None:
    for a, b in combinations(columns, 2):
        cohen_kappa(Counter(zip(columns[a], columns[b], strict=True)))
    tally = AlphaTally()
    tally.add(list(columns.values()))
    _ = tally.alpha


def run(args: argparse.Namespace) -> list[Row]:
    """Build the project (untimed), time agreement, the bare read and the reference statistics."""
    import krippendorff  # noqa: F401  (import time is not the baseline's cost)
    import sklearn.metrics  # noqa: F401

    count = max(20, round(DOCUMENTS * args.scale))
    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        path = Path(tmp) / "agreement.db"
        build_project(path, count, args.seed)
        with Project(path) as project:
            ids = shared_documents(project, ANNOTATORS)
            list(iter_batches(project, ids, ANNOTATORS))  # warm up: page cache, compiled SQL
            raw, _ = _timed(lambda: raw_read(path, ids, ANNOTATORS))
            read, _ = _timed(lambda: list(iter_batches(project, ids, ANNOTATORS)))
            ours, report = _timed(lambda: project_agreement(project))
            docs = list(iter_layers(project, ids, ANNOTATORS))
    columns: dict[str, list[str]] = {name: [] for name in ANNOTATORS}
    for doc in docs:
        words = tokenize(doc.text)
        for name in ANNOTATORS:
            columns[name] += token_labels(words, doc.layers[name])
    stats, _ = _timed(lambda: _ours_on_labels(columns))
    references, _ = _timed(lambda: _references(columns))
    what = f"{len(ANNOTATORS)} annotators × {report.documents:,} docs, {report.units:,} tokens"
    what += f", alpha {report.alpha:.2f}"
    return [
        Row(f"agreement, whole report ({what}) vs a raw sqlite3 read", ours, raw, "s", TARGET),
        Row("agreement vs the same read through the project (iter_batches)", ours, read, "s"),
        Row("iter_batches read vs the raw sqlite3 read", read, raw, "s"),
        Row("kappa (10 pairs) + alpha on the same token labels", stats, references, "s"),
    ]
