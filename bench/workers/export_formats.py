"""Worker: export one project to every registered format, and time the floors and baselines; JSON.

Usage: python -m bench.workers.export_formats DB OUT_FOLDER
  formats        `export(project, name, ...)` for each name in WRITERS, end to end (reading the
                 project, writing the files); spacy first, right after the floors, so that
                 no other tokenising format has warmed its tokenizer
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
import sys
import time
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


def _floors(db: Path, out: Path, nlp) -> dict[str, float]:
    """Seconds of each floor (bench.export_floors), by the format it stands for."""
    floors = {
        "jsonl": timed(lambda: export_floors.jsonl_floor(db, out / "floor.jsonl"))[0],
        "csv": timed(lambda: export_floors.csv_floor(db, out / "floor.csv"))[0],
        "brat": timed(lambda: export_floors.brat_floor(db, out / "floor-brat"))[0],
    }
    shutil.rmtree(out / "floor-brat")
    documents = export_floors.corpus(db)
    texts = [text for _, _, _, text, _ in documents]
    floors["tokenise"] = timed(lambda: export_floors.tokenise_floor(nlp, texts))[0]
    with cached_msgpack_registries():
        spacy, _ = timed(
            lambda: export_floors.docbin_floor(nlp, documents, out / "floor", ATTRS, SHARD_SIZE)
        )
    shutil.rmtree(out / "floor")
    floors["spacy"] = spacy
    return floors


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
        floors = _floors(db, out, floor_nlp)
        formats, notes = {}, {}
        for name in sorted(WRITERS, key=lambda n: n != "spacy"):  # spacy first, as warm
            writer = WRITERS[name]
            target = out / f"{name}{writer.suffix}"
            formats[name], report = timed(lambda: export(project, name, target, layer=ALL))  # noqa: B023
            notes[name] = {"adjusted": sum(report.adjusted.values()), "dropped": report.dropped}
            if target.is_dir():
                shutil.rmtree(target)
    emit(
        documents=documents,
        spans=spans,
        read=read,
        direct=direct,
        floors=floors,
        direct_ents=ents,
        formats=formats,
        notes={
            k: {"adjusted": v["adjusted"], "dropped": dict(v["dropped"])} for k, v in notes.items()
        },
        rss_peak=peak_rss(),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
