"""Actions per gold span of a simulated annotator with the lexicon, per 20 documents (≤ 1.3).

Two generated corpora with gold spans, built differently so that a figure is not a fit to one
generator: `news` (bench.effort_data: four labels, recurring, nested and ambiguous names, one
sentence a line, capitalised headlines and datelines) and `prose` (bench.effort_prose:
paragraphs hard-wrapped at 72 columns, titles outside names, middle initials, a third of the
names invented). Each is annotated document by document (bench.effort):
suggest, accept the correct suggestions (1 action each), reject the wrong ones (1), mark the
missed spans by hand (2), mark the document done. The baseline is annotating by hand, 2 actions
per gold span; from the 21st document on ours may cost at most 1.3 (0.65× by hand). Precision
and recall are each suggester's over the run; a suggestion step (read the lexicon, match, store)
is timed beside matching the same text with the lexicon in memory.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import Row
from bench.effort import WINDOW, ProjectDesk, per_window, quality, simulate
from bench.effort_data import articles
from bench.effort_prose import features

DOCUMENTS = 100
BY_HAND = 2.0
TARGET = 1.3
"""Actions per gold span from the 21st document on."""
CORPORA = {"news": articles, "prose": features}
"""Generated corpora by name: (count, seed) -> records with gold spans."""


def run(args: argparse.Namespace) -> list[Row]:
    """The lexicon alone."""
    return measure(args, learning=False)


def measure(args: argparse.Namespace, *, learning: bool) -> list[Row]:
    """Simulate over each generated corpus (with `learning`, every available suggester and
    the project model trained every WINDOW documents); one row per window, per suggester, and
    the timing, each named with its corpus."""
    rows = []
    for name, corpus in CORPORA.items():
        records = corpus(max(WINDOW + 2, round(DOCUMENTS * args.scale)), args.seed)
        rows += [
            row._replace(metric=f"{name}: {row.metric}") for row in _simulated(records, learning)
        ]
    return rows


def _simulated(records: list, learning: bool) -> list[Row]:
    """One corpus's rows (see `measure`)."""
    with tempfile.TemporaryDirectory(prefix="bench-effort-") as tmp:
        desk = ProjectDesk(Path(tmp) / "effort.db", learning=learning)
        efforts = simulate(desk, records, retrain_every=WINDOW if learning else None)
        in_memory = _matching_seconds(desk, records)
    rows = []
    for n, figure in enumerate(per_window(efforts)):
        first = n * WINDOW + 1
        last = min(len(efforts), first + WINDOW - 1)
        target = TARGET / BY_HAND if n else None
        rows.append(
            Row(f"actions per gold span, documents {first}-{last}", figure, BY_HAND, "", target)
        )
    for kind, (precision, recall) in quality(efforts).items():
        rows.append(Row(f"{kind}: precision (of 1)", precision, 1.0, ""))
        rows.append(Row(f"{kind}: recall (of 1)", recall, 1.0, ""))
    later = efforts[WINDOW:]
    costs: Counter = sum((e.costs for e in later), Counter())
    for kind, n in sorted(costs.items()):
        rows.append(
            Row(f"{kind}, per gold span from document {WINDOW + 1}", n / _gold(later), 0, "")
        )
    resolved = sum(e.resolved for e in efforts) / _gold(efforts)
    rows.append(
        Row("wrong suggestions an accept resolved, per gold span (0 actions)", resolved, 0, "")
    )
    step = statistics.median(e.suggest_seconds for e in efforts[WINDOW:])
    rows.append(
        Row(
            "suggestion step per document (vs lexicon in memory)", step * 1e3, in_memory * 1e3, "ms"
        )
    )
    return rows


def _gold(efforts: list) -> int:
    return max(1, sum(e.gold for e in efforts))


def _matching_seconds(desk: ProjectDesk, records: list) -> float:
    """The median time the final lexicon takes to match one text, already built, in memory."""
    from annotator.core.project import Project
    from annotator.nlp.lexicon import LexiconSuggester

    with Project(desk.db) as project:
        lexicon = LexiconSuggester.from_project(project, desk.annotator)
    lexicon.suggest([records[0]["text"]])
    times = []
    for record in records[WINDOW:]:
        started = time.perf_counter()
        lexicon.suggest([record["text"]])
        times.append(time.perf_counter() - started)
    return statistics.median(times)
