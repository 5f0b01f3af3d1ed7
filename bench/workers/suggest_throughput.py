"""Worker: lexicon suggestions over a whole project, ours end to end vs the floor; JSON.

Usage: python -m bench.workers.suggest_throughput DB [--rounds N | --profile N]
  floor     the spaCy tokenizer and the lexicon's own PhraseMatcher (same phrases, same
            attribute) alone over the texts, already in memory; the matches are counted,
            nothing is stored
  span_ruler  `nlp.pipe(texts)` with `LexiconSuggester.pipeline()` (blank English + a
            span_ruler with the same phrase patterns), which also builds Span objects: an
            extra row
  ours      `suggest_documents(DB, None, [lexicon])`: read the documents, suggest, drop what a
            person marked, store every document's suggestions
All pipelines are built, and warmed on the same documents, before the clock starts, so none
pays for building patterns or for a cold tokenizer cache. Each of --rounds rounds (default 5;
ours runs on a fresh copy of DB each time) times the floor and ours back to back, each side
first in every other round, then the span_ruler; the ratio is the median of the rounds' ratios,
so neither a burst of load nor a machine slowing down through the run (seen here: the floor
17.7 -> 22.9 s over three rounds of a virtual machine) decides it. The CPU seconds of each side
are reported too. --profile N runs one round and prints the N costliest functions of ours on stderr
(cumulative, then own time).
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.project import Project
from annotator.nlp.lexicon import SPANS_KEY, LexiconSuggester
from annotator.nlp.runner import SuggestReport, suggest_documents
from bench.measure import emit, peak_rss

WARM_UP = 300
"""Documents each side goes through (untimed) before the timed runs."""


class Clock:
    """Times each block it is entered for: wall seconds and this process's CPU seconds (which
    leave out the neighbours' load on a shared machine, and the waits for fsync)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> None:
        self._started = (time.perf_counter(), time.process_time())

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._started[0])
        self.cpu.append(time.process_time() - self._started[1])


def main(argv: list[str]) -> None:
    db = argv[0]
    option = dict(zip(argv[1::2], map(int, argv[2::2]), strict=True))
    top = option.get("--profile", 0)
    rounds = 1 if top else option.get("--rounds", 5)
    with Project(db) as project:
        lexicon = LexiconSuggester.from_project(project)
        texts = [document.text for document in project.iter_documents()]
    nlp = lexicon.pipeline()
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=lexicon.batch_size):
        pass
    lexicon.suggest(texts[:WARM_UP])
    blank, matcher, _ = lexicon.matcher()

    floor, span_ruler, ours = Clock(), Clock(), Clock()

    def run_floor() -> int:
        with floor:
            docs = blank.tokenizer.pipe(texts, batch_size=lexicon.batch_size)
            return sum(len(matcher(doc)) for doc in docs)

    def run_ours(copy: Path, profiler: cProfile.Profile | None) -> SuggestReport:
        with ours:
            if profiler:
                profiler.enable()
            report = suggest_documents(copy, None, [lexicon])
            if profiler:
                profiler.disable()
        return report

    with tempfile.TemporaryDirectory(prefix="bench-suggest-round-") as tmp:
        for round_ in range(rounds):
            copy = Path(shutil.copyfile(db, Path(tmp) / f"round-{round_}.db"))
            profiler = cProfile.Profile() if top else None
            if round_ % 2 == 0:  # each side first in every other round: a drift cancels out
                floor_matches, report = run_floor(), run_ours(copy, profiler)
            else:
                report, floor_matches = run_ours(copy, profiler), run_floor()
            if report.documents != len(texts) or report.cancelled:
                raise SystemExit(f"suggested for {report.documents} of {len(texts)} documents")
            with span_ruler:
                pipe = nlp.pipe(texts, batch_size=lexicon.batch_size)
                matches = sum(len(doc.spans[SPANS_KEY]) for doc in pipe)
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(top)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(top)
    emit(
        documents=len(texts),
        characters=sum(map(len, texts)),
        patterns=len(lexicon.patterns),
        rounds=rounds,
        ours_each=[round(seconds, 2) for seconds in ours.wall],
        span_ruler_each=[round(seconds, 2) for seconds in span_ruler.wall],
        ours=statistics.median(ours.wall),
        floor=statistics.median(floor.wall),
        ratio=_paired(ours.wall, floor.wall),
        cpu_ratio=_paired(ours.cpu, floor.cpu),
        span_ruler=statistics.median(span_ruler.wall),
        floor_each=[round(seconds, 2) for seconds in floor.wall],
        ours_cpu=statistics.median(ours.cpu),
        floor_cpu=statistics.median(floor.cpu),
        stored=report.stored[lexicon.name],
        matches=matches,
        floor_matches=floor_matches,
        rss_peak=peak_rss(),
    )


def _paired(ours: list[float], floor: list[float]) -> float:
    """The median of each round's ratio (the two sides ran back to back in it)."""
    return statistics.median(o / f for o, f in zip(ours, floor, strict=True))


if __name__ == "__main__":
    main(sys.argv[1:])
