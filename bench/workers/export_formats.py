"""Worker: export one project to every registered format, and build the spacy baselines; JSON.

Usage: python -m bench.workers.export_formats DB OUT_FOLDER
  formats        `export(project, name, ...)` for each name in WRITERS, end to end (reading the
                 project, writing the files); spacy first, right after the baselines, so that
                 no other tokenising format has warmed its tokenizer
  read           the same documents and layer spans read from the project, nothing written
  direct         a DocBin built by hand with spaCy from texts and spans already in memory:
                 blank("en") tokenizer.pipe, char_span (strict, else expand), spans["sc"],
                 filter_spans ents, DocBin.add, to_disk; `direct_cached` adds the msgpack cache
Both spaCy sides tokenise with blank("en") pipelines warmed (untimed) on the same texts first.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from annotator.core.layers import ALL, Layer
from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.writers.registry import WRITERS
from annotator.nlp.docbin import cached_msgpack_registries
from annotator.nlp.formats import register_formats
from annotator.nlp.loading import shared_blank
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


def timed(job) -> tuple[float, object]:
    started = time.perf_counter()
    result = job()
    return time.perf_counter() - started, result


def main(argv: list[str]) -> None:
    import spacy

    register_formats()  # as the command line does: spacy, conll and hf join the registry
    db, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    ours_nlp, direct_nlp = shared_blank("en"), spacy.blank("en")
    with Project(db) as project:
        read, corpus = timed(lambda: read_layer(project))
        texts = [text for text, _ in corpus[:WARM_UP]]
        for nlp in (ours_nlp, direct_nlp):
            for _ in nlp.tokenizer.pipe(texts):
                pass
        direct, ents = timed(lambda: direct_docbin(direct_nlp, corpus, out / "direct.spacy"))
        with cached_msgpack_registries():
            cached, _ = timed(lambda: direct_docbin(direct_nlp, corpus, out / "cached.spacy"))
        formats, notes = {}, {}
        for name in sorted(WRITERS, key=lambda n: n != "spacy"):  # spacy first, as warm
            writer = WRITERS[name]
            target = out / f"{name}{writer.suffix}"
            formats[name], report = timed(lambda: export(project, name, target, layer=ALL))  # noqa: B023
            notes[name] = {"adjusted": sum(report.adjusted.values()), "dropped": report.dropped}
            if target.is_dir():
                shutil.rmtree(target)
    emit(
        documents=len(corpus),
        spans=sum(len(spans) for _, spans in corpus),
        read=read,
        direct=direct,
        direct_cached=cached,
        direct_ents=ents,
        formats=formats,
        notes={
            k: {"adjusted": v["adjusted"], "dropped": dict(v["dropped"])} for k, v in notes.items()
        },
        rss_peak=peak_rss(),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
