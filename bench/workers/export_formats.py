"""Worker: export one project to every registered format, and time the floors and baselines; JSON.

Usage: python -m bench.workers.export_formats DB OUT_FOLDER
  formats        `export(project, name, ...)` for each name in WRITERS, end to end (reading the
                 project, writing the files); spacy first, so that no other tokenising format
                 has warmed its tokenizer; a format with a floor runs ROUNDS times, paired
                 with its floor (`ratios`: the median of the rounds' ratios)
  floors         bench.export_floors: jsonl, csv and brat from a raw sqlite3 read; `tokenise`
                 (conll, hf) the spaCy tokenizer alone over the texts in memory; `spacy` a
                 DocBin built with spaCy alone in the same msgpack cache, with the same user
                 data and token attributes
  read           the same documents and layer spans read from the project, nothing written
  direct         the old spacy baseline: a DocBin built by hand with spaCy from texts and spans
                 already in memory, without the msgpack cache, spaCy's default attributes
Every spaCy side tokenises with a blank("en") pipeline warmed (untimed) on the same texts first.
Times are CPU seconds of this process (`timed`), so other work on a shared machine does not
blur the ratios; the waits for fsync, which ours and the floors share, are left out.
"""

from __future__ import annotations

import gc
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from annotator.core.layers import ALL, Layer
from annotator.core.project import Project
from annotator.io.export_options import SHARD_SIZE
from annotator.io.exporter import export
from annotator.io.writers.registry import WRITERS
from annotator.nlp.docbin import ATTRS, cached_msgpack_registries
from annotator.nlp.formats import register_formats
from annotator.nlp.loading import shared_blank
from bench import export_floors
from bench.measure import emit, peak_rss

WARM_UP = 300
"""Documents tokenised (untimed) by each pipeline before anything is timed."""


def read_layer(project: Project) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Every document's text and its layer spans, as the exporter reads them."""
    with project.snapshot():
        return [
            (read.document.text, [(s.start, s.end, s.label) for s in read.spans])
            for read in Layer(project, ALL).read(project.document_ids())
        ]


def direct_docbin(nlp, corpus, path: Path) -> int:
    """The DocBin as someone would write it with spaCy alone; the number of ents set."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    docbin, ents = DocBin(store_user_data=True), 0
    for doc, (_, spans) in zip(nlp.tokenizer.pipe(t for t, _ in corpus), corpus, strict=True):
        group = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label) or doc.char_span(
                start, end, label=label, alignment_mode="expand"
            )
            if span is not None:
                group.append(span)
        doc.spans["sc"] = group
        doc.ents = filter_spans(group)
        ents += len(doc.ents)
        docbin.add(doc)
    docbin.to_disk(path)
    return ents


ROUNDS = 3
"""Rounds of each format that has a floor: the floor and ours back to back, each first in every
other round; the ratio is the median of the rounds' ratios (a virtual machine here slowed by a
quarter through a run, so a floor timed once, early, flattered it)."""


def _floor_job(name: str, db: Path, out: Path, nlp) -> Callable[[], object]:
    """The floor (bench.export_floors) of format `name` as a job; the documents a spaCy floor
    needs are read here, untimed, and go with the job (no other side pays for their GC scans)."""
    if name == "jsonl":
        return lambda: export_floors.jsonl_floor(db, out / "floor.jsonl")
    if name == "csv":
        return lambda: export_floors.csv_floor(db, out / "floor.csv")
    if name == "brat":
        return lambda: export_floors.brat_floor(db, out / "floor-brat")
    documents = export_floors.corpus(db)
    if name == "spacy":

        def spacy() -> None:
            with cached_msgpack_registries():
                export_floors.docbin_floor(nlp, documents, out / "floor", ATTRS, SHARD_SIZE)

        return spacy
    texts = [text for _, _, _, text, _ in documents]
    return lambda: export_floors.tokenise_floor(nlp, texts)


FLOORED = ("jsonl", "csv", "brat", "conll", "hf", "spacy")
"""The formats with a floor (the others are timed once, against reading the layer)."""


def _paired(
    ours: Callable[[int], tuple[float, object]],
    floor: Callable[[], Callable[[], object]],
    out: Path,
) -> tuple[list[float], list[float], object]:
    """ROUNDS times `ours(round)` (its seconds and result) and the job `floor()` makes back to
    back, each first in every other round: both sides' seconds, and ours' last result. The
    floors' folders in `out` are removed after each (untimed)."""
    ours_seconds, floor_seconds = [], []

    def time_floor() -> None:
        floor_seconds.append(timed(floor())[0])
        for folder in (out / "floor", out / "floor-brat"):
            if folder.exists():
                shutil.rmtree(folder)

    for round_ in range(ROUNDS):
        if round_ % 2 == 0:
            time_floor()
            seconds, result = ours(round_)
        else:
            seconds, result = ours(round_)
            time_floor()
        ours_seconds.append(seconds)
    return ours_seconds, floor_seconds, result


def _timed_export(project: Project, name: str, out: Path, round_: int) -> tuple[float, object]:
    """The seconds and report of exporting the layer to `name` in a fresh target, which is
    removed afterwards (untimed)."""
    target = out / f"{name}-{round_}{WRITERS[name].suffix}"
    seconds, report = timed(lambda: export(project, name, target, layer=ALL))
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    return seconds, report


def timed(job) -> tuple[float, object]:
    """The CPU seconds of this process running `job` (the machine is shared, so wall time
    would measure the neighbours too), and its result; garbage is collected first, so no job
    pays for the one before."""
    gc.collect()
    started = time.process_time()
    result = job()
    return time.process_time() - started, result


def main(argv: list[str]) -> None:
    import spacy

    register_formats()  # as the command line does: spacy, conll and hf join the registry
    db, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    ours_nlp, direct_nlp, floor_nlp = shared_blank("en"), spacy.blank("en"), spacy.blank("en")
    with Project(db) as project:
        read, corpus = timed(lambda: read_layer(project))
        texts = [text for text, _ in corpus[:WARM_UP]]
        for nlp in (ours_nlp, direct_nlp, floor_nlp):
            for _ in nlp.tokenizer.pipe(texts):
                pass
        direct, ents = timed(partial(direct_docbin, direct_nlp, corpus, out / "direct.spacy"))
        documents, spans = len(corpus), sum(len(marks) for _, marks in corpus)
        del corpus, texts  # nothing of the corpus stays alive: no side pays for its GC scans
        formats, floors, ratios, notes = {}, {}, {}, {}
        for name in sorted(WRITERS, key=lambda n: n != "spacy"):  # spacy first, as warm
            ours = partial(_timed_export, project, name, out)
            if name in FLOORED:
                floor = partial(_floor_job, name, db, out, floor_nlp)
                ours_seconds, floor_seconds, report = _paired(ours, floor, out)
                floors[name] = statistics.median(floor_seconds)
                ratios[name] = statistics.median(
                    o / f for o, f in zip(ours_seconds, floor_seconds, strict=True)
                )
                formats[name] = statistics.median(ours_seconds)
            else:
                formats[name], report = ours(0)
            notes[name] = {"adjusted": sum(report.adjusted.values()), "dropped": report.dropped}
    emit(
        documents=documents,
        spans=spans,
        read=read,
        direct=direct,
        floors=floors,
        ratios=ratios,
        direct_ents=ents,
        formats=formats,
        notes={
            k: {"adjusted": v["adjusted"], "dropped": dict(v["dropped"])} for k, v in notes.items()
        },
        rss_peak=peak_rss(),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
