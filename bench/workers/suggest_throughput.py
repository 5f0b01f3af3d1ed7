"""Worker: lexicon suggestions over a whole project, ours end to end vs plain nlp.pipe; JSON.

Usage: python -m bench.workers.suggest_throughput DB [--profile N]
  baseline  `nlp.pipe(texts)` with the lexicon's spaCy pipeline (`LexiconSuggester.pipeline()`:
            blank English + a span_ruler with the same phrase patterns), texts already in
            memory; the matches are counted, nothing is stored
  ours      `suggest_documents(DB, None, [lexicon])`: read the documents, suggest, drop what a
            person marked, store every document's suggestions
Both pipelines are built, and warmed on the same documents, before the clock starts, so neither
pays for building patterns or for a cold tokenizer cache. --profile N prints the N costliest
functions of ours on stderr (cumulative, then own time).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time

from annotator.core.project import Project
from annotator.nlp.lexicon import SPANS_KEY, LexiconSuggester
from annotator.nlp.runner import suggest_documents
from bench.measure import emit, peak_rss

WARM_UP = 300
"""Documents each side goes through (untimed) before the timed runs."""


def main(argv: list[str]) -> None:
    db = argv[0]
    top = int(argv[2]) if len(argv) > 2 and argv[1] == "--profile" else 0
    with Project(db) as project:
        lexicon = LexiconSuggester.from_project(project)
        texts = [document.text for document in project.iter_documents()]
    nlp = lexicon.pipeline()
    for _ in nlp.pipe(texts[:WARM_UP], batch_size=lexicon.batch_size):
        pass
    lexicon.suggest(texts[:WARM_UP])

    started = time.perf_counter()
    pipe = nlp.pipe(texts, batch_size=lexicon.batch_size)
    matches = sum(len(doc.spans[SPANS_KEY]) for doc in pipe)
    baseline = time.perf_counter() - started

    profiler = cProfile.Profile() if top else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = suggest_documents(db, None, [lexicon])
    if profiler:
        profiler.disable()
    ours = time.perf_counter() - started
    if report.documents != len(texts) or report.cancelled:
        raise SystemExit(f"suggested for {report.documents} of {len(texts)} documents")
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(top)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(top)
    emit(
        documents=len(texts),
        characters=sum(map(len, texts)),
        patterns=len(lexicon.patterns),
        ours=ours,
        baseline=baseline,
        stored=report.stored[lexicon.name],
        matches=matches,
        rss_peak=peak_rss(),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
