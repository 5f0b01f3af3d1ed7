"""The spacy export in shards: a corpus larger than `shard_size` documents is a folder of
.spacy files that spaCy's corpus reader takes as it is, written while the documents stream."""

from __future__ import annotations

from pathlib import Path

import pytest
from format_samples import SAMPLES, expected_spans, fill
from spacy.training import Corpus

from annotator.core.errors import AnnotatorError
from annotator.io.export_target import MARKER
from annotator.io.exporter import export, parse_split
from annotator.nlp import docbin
from annotator.nlp.docbin import DocRecord, write_docbin
from annotator.nlp.loading import shared_blank


def corpus_docs(path: Path):
    """The docs spaCy's training corpus reader (what `spacy train` uses) finds at `path`."""
    nlp = shared_blank("en")
    return [example.reference for example in Corpus(path)(nlp)]


def test_a_corpus_larger_than_a_shard_is_a_folder_spacy_reads_as_it_is(project, tmp_path):
    fill(project)
    out = tmp_path / "corpus.spacy"
    report = export(project, "spacy", out, shard_size=2)
    shards = sorted(p.name for p in out.iterdir())
    expected = [docbin.shard_name(n) for n in range((len(SAMPLES) + 1) // 2)]
    assert shards == sorted([*expected, MARKER]) and len(expected) > 1
    assert report.files == [out] and report.documents == len(SAMPLES)
    docs = corpus_docs(out)
    assert [d.text for d in docs] == [text for _, text, _ in SAMPLES]  # in document order
    found = {(d.text, s.start_char, s.end_char, s.label_) for d in docs for s in d.spans["sc"]}
    assert found == expected_spans()
    # one that fits a shard stays one file
    single = tmp_path / "single.spacy"
    export(project, "spacy", single, shard_size=len(SAMPLES))
    assert single.is_file() and len(corpus_docs(single)) == len(SAMPLES)


def test_a_sharded_export_is_replaced_with_force_and_split_parts_shard_alone(project, tmp_path):
    fill(project)
    out = tmp_path / "corpus.spacy"
    export(project, "spacy", out, shard_size=1)
    again = export(project, "spacy", out, shard_size=2, overwrite=True)
    assert again.documents == len(SAMPLES)
    assert len([p for p in out.iterdir() if p.suffix == ".spacy"]) == (len(SAMPLES) + 1) // 2
    split = tmp_path / "split"
    report = export(project, "spacy", split, split=parse_split("0.75,0.25"), shard_size=2)
    train, dev = split / "train.spacy", split / "dev.spacy"
    assert report.files == [train, dev]
    assert train.is_dir() and dev.is_file()  # 3 documents in shards, 1 in a file
    assert len(corpus_docs(train)) + len(corpus_docs(dev)) == len(SAMPLES)
    with pytest.raises(AnnotatorError, match="--shard-size 0"):
        export(project, "spacy", tmp_path / "none.spacy", shard_size=0)


def test_shards_are_written_while_the_records_stream(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    written_before: list[int] = []

    def records():
        for n in range(7):
            written_before.append(len(list(folder.iterdir())))
            yield DocRecord(f"Baykar sold drone {n}.", [(0, 6, "ACTOR")])

    stats = write_docbin(records(), folder, shard_size=3)
    assert written_before == [0, 0, 0, 1, 1, 1, 2]  # a shard is on disk before the next starts
    assert sorted(p.name for p in folder.iterdir()) == [docbin.shard_name(n) for n in range(3)]
    assert (stats.documents, stats.ents) == (7, 7)
    assert [len(corpus_docs(folder / docbin.shard_name(n))) for n in range(3)] == [3, 3, 1]


def test_our_docbin_add_reads_back_as_spacys_with_fewer_strings():
    from spacy.tokens import DocBin

    from annotator.nlp.docbin import ATTRS, add_to_docbin, build_docbin

    records = [
        DocRecord(text, [(text.index(needle), text.index(needle) + len(needle), label)])
        for _, text, spans in SAMPLES
        for needle, label in spans[:1]
    ]
    ours, _ = build_docbin(records)
    nlp = shared_blank("en")
    theirs = DocBin(attrs=ATTRS, store_user_data=True)
    for doc in ours.get_docs(nlp.vocab):
        theirs.add(doc)
    assert ours.strings < theirs.strings  # no tag, lemma, norm... strings

    def view(docbin):
        return [
            (
                [(t.text, t.whitespace_, t.is_sent_start, t.ent_iob_, t.ent_type_) for t in d],
                [(s.start, s.end, s.label_) for s in d.spans["sc"]],
                d.user_data,
            )
            for d in DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)
        ]

    assert view(ours) == view(theirs) and len(view(ours)) == len(records) > 2
    again = DocBin(attrs=ATTRS)
    doc = shared_blank("en")("Baykar 🇹🇷 sells.\r\nDrones.")
    doc.ents = [doc.char_span(0, 6, label="ACTOR")]
    add_to_docbin(again, doc, ["ACTOR"])
    (back,) = DocBin().from_bytes(again.to_bytes()).get_docs(nlp.vocab)
    assert [t.text for t in back] == [t.text for t in doc] and back.text == doc.text
    assert [(e.text, e.label_) for e in back.ents] == [("Baykar", "ACTOR")]
