"""spaCy DocBin export and import: exact round trips, the alignment and NER policies, the
registry cache, bad files, and spaCy's own CLI (`debug data`, `train`) on what we write."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import srsly.msgpack
from format_samples import SAMPLES, expected_spans, fill, stored_spans
from spacy.tokens import DocBin

from annotator.core.errors import ImportFailed
from annotator.core.project import Project
from annotator.io.exporter import export, parse_split
from annotator.io.importer import import_files
from annotator.io.registry import detect_format
from annotator.nlp import docbin
from annotator.nlp.docbin import DocRecord, build_docbin, cached_msgpack_registries, read_docbin
from annotator.nlp.formats.docbin_reader import read_spacy
from annotator.nlp.loading import shared_blank

OVERLAPS = [  # (sample title, needle, label): each overlaps a sample span
    ("Emoji and CRLF", "Baykar sells", "MOTIVATION"),
    ("Emoji and CRLF", "sells the", "MOTIVATION"),
    ("Combining marks", "Tu\u0308rkiye back Baykar", "MOTIVATION"),
]


def add_overlaps(project) -> set[tuple[str, int, int, str]]:
    texts = {doc.title: doc for doc in project.iter_documents()}
    added = set()
    for title, needle, label in OVERLAPS:
        doc = texts[title]
        start = doc.text.index(needle)
        project.add_span(doc.id, "alice", label, start, start + len(needle))
        added.add((doc.text, start, start + len(needle), label))
    return added


def docs_of(path: Path):
    nlp = shared_blank("en")
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def test_round_trip_keeps_texts_offsets_and_overlaps(project, tmp_path):
    fill(project)
    overlaps = add_overlaps(project)
    out = tmp_path / "corpus.spacy"
    report = export(project, "spacy", out)
    assert report.adjusted == {} and report.files == [out]
    assert report.dropped == {docbin.NOT_IN_ENTS_REASON: 4}

    docs = docs_of(out)
    assert [d.text for d in docs] == [text for _, text, _ in SAMPLES]  # CRLF, emoji kept as is
    sc = {(d.text, s.start_char, s.end_char, s.label_) for d in docs for s in d.spans["sc"]}
    assert sc == expected_spans() | overlaps
    first = docs[0]
    assert [(e.text, e.label_) for e in first.ents] == [
        ("Baykar sells", "MOTIVATION"),  # longest first; "sells the" ties but starts later
        ("TB2", "PLATFORM"),
        ("Bayraktar\r\nTB2", "PLATFORM"),
    ]
    assert first.user_data["title"] == "Emoji and CRLF"

    again = Project.create(tmp_path / "again.db")
    try:
        stored = import_files(again, [out]).stored
        assert (stored.documents_added, stored.spans_added) == (len(SAMPLES), len(sc))
        assert stored_spans(again) == expected_spans() | overlaps
        assert {d.title for d in again.iter_documents()} == {title for title, _, _ in SAMPLES}
    finally:
        again.close()
    assert detect_format(out, b"") == "spacy"


def test_alignment_is_strict_then_trimmed_then_expanded_and_reported(project, tmp_path):
    text = "Baykar sells the TB2 to  Kyiv."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    for start, end, label in [
        (0, 6, "ACTOR"),  # strict
        (0, 7, "ACTOR"),  # "Baykar " -> trimmed, then a duplicate of the first
        (18, 20, "PLATFORM"),  # "B2" inside "TB2" -> expanded to "TB2"
        (23, 24, "ACTOR"),  # one space: cannot be aligned
    ]:
        project.add_span(doc, "alice", label, start, end)
    report = export(project, "spacy", tmp_path / "x.spacy")
    assert report.adjusted == {docbin.TRIMMED_REASON: 1, docbin.EXPANDED_REASON: 1}
    assert report.dropped == {docbin.DUPLICATE_REASON: 1, docbin.UNALIGNED_REASON: 1}
    (record,) = read_docbin((tmp_path / "x.spacy").read_bytes())
    assert record.spans == [(0, 6, "ACTOR"), (17, 20, "PLATFORM")]
    assert "adjusted 1 span(s): spacy: expanded" in report.summary()


def test_reader_takes_every_span_group_and_the_ents_once(tmp_path):
    nlp = shared_blank("en")
    doc = nlp("Baykar sells the Bayraktar TB2 to Kyiv.")
    doc.ents = [doc.char_span(0, 6, "ACTOR"), doc.char_span(34, 38, "ACTOR")]
    doc.spans["sc"] = [doc.char_span(17, 30, "PLATFORM"), doc.char_span(0, 6, "ACTOR")]
    doc.spans["mine"] = [doc.char_span(0, 30, "MOTIVATION")]
    path = tmp_path / "theirs.spacy"
    DocBin(docs=[doc], store_user_data=False).to_disk(path)
    (document,) = read_spacy(path, path.read_bytes())
    assert document.title == "Baykar sells the Bayraktar TB2 to Kyiv."
    assert [(s.start, s.end, s.label) for s in document.spans] == [
        (17, 30, "PLATFORM"),
        (0, 6, "ACTOR"),
        (0, 30, "MOTIVATION"),
        (34, 38, "ACTOR"),
    ]


def test_no_entities_at_all_is_called_out():
    records = [DocRecord("Baykar sells  drones.", [(12, 13, "ACTOR")])]
    _, stats = build_docbin(records)
    assert stats.ents == 0
    assert stats.dropped == {docbin.UNALIGNED_REASON: 1, docbin.NO_ENTS_REASON: 1}


def test_msgpack_registries_are_cached_only_inside_and_restored():
    encoders = srsly.msgpack.msgpack_encoders
    assert "get_all" not in vars(encoders)
    with cached_msgpack_registries():
        with cached_msgpack_registries():
            snapshot = encoders.get_all()
            assert encoders.get_all() is snapshot  # no registry scan
        assert encoders.get_all() is snapshot  # the outer block still caches
    assert "get_all" not in vars(encoders)
    assert encoders.get_all() is not encoders.get_all()  # fresh copies again


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a docbin at all", "not a spaCy DocBin (.spacy) file"),
        (b"", "not a spaCy DocBin (.spacy) file"),
        ("truncated", "not a spaCy DocBin (.spacy) file"),
        ("empty", "the DocBin holds no documents"),
    ],
)
def test_bad_files_are_refused_with_path_and_reason(project, tmp_path, content, reason):
    path = tmp_path / "bad.spacy"
    if content == "truncated":
        DocBin(docs=[shared_blank("en")("Baykar sells drones.")]).to_disk(path)
        content = path.read_bytes()[:-7]
    elif content == "empty":
        DocBin().to_disk(path)
        content = path.read_bytes()
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path])
    (error,) = info.value.errors
    assert error.path == str(path) and reason in error.reason
    assert "Traceback" not in str(info.value)
    assert project.count_documents() == 0


# -- spaCy's own CLI on what we export ------------------------------------------------------

ACTORS = ("Baykar", "Türkiye", "Azerbaijan", "Ministry of Defence", "Saab", "Poland")
PLATFORMS = ("Bayraktar TB2", "Akıncı", "KF-21 Boramae", "Gripen E", "F-16 Block 70")
MOTIVATIONS = ("an ageing fleet of Soviet-era fighters", "sanctions on its traditional supplier")


def synthetic_corpus(project, count: int = 130) -> None:
    """`count` short articles with ACTOR/PLATFORM/MOTIVATION spans, some overlapping
    (`debug data` wants 100+ training documents)."""
    rng = random.Random(3)
    for n in range(count):
        actor, platform, motive = (rng.choice(c) for c in (ACTORS, PLATFORMS, MOTIVATIONS))
        text = f"Report {n}: {actor} will buy the {platform}, citing {motive}. 🚀\r\nMore soon."
        doc = next(iter(project.add_document(text, verbatim=True).documents))
        for needle, label in ((actor, "ACTOR"), (platform, "PLATFORM"), (motive, "MOTIVATION")):
            start = text.index(needle)
            project.add_span(doc, "alice", label, start, start + len(needle))
        if n % 3 == 0:  # an overlap: spancat keeps it, NER drops it
            start = text.index(actor)
            project.add_span(doc, "alice", "MOTIVATION", start, text.index(platform))


def spacy_cli(*args: str, timeout: int = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "spacy", *args], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def test_spacy_debug_data_and_train_accept_the_export_for_ner_and_spancat(project, tmp_path):
    synthetic_corpus(project)
    corpus = tmp_path / "corpus"
    report = export(project, "spacy", corpus, split=parse_split("0.8,0.2"), seed=1)
    assert report.files == [corpus / "train.spacy", corpus / "dev.spacy"]
    assert report.dropped == {docbin.NOT_IN_ENTS_REASON: 44}
    longest = max(len(s) for d in docs_of(corpus / "train.spacy") for s in d.spans["sc"])
    longest = max(longest, *(len(s) for d in docs_of(corpus / "dev.spacy") for s in d.spans["sc"]))
    data = ["--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy")]
    for pipe in ("ner", "spancat"):
        config = tmp_path / f"{pipe}.cfg"
        spacy_cli("init", "config", str(config), "--lang", "en", "--pipeline", pipe)
        extra = []
        if pipe == "spancat":
            sizes = "[" + ",".join(str(n) for n in range(1, longest + 1)) + "]"
            extra = ["--components.spancat.suggester.sizes", sizes]
        checked = spacy_cli("debug", "data", str(config), *data, *extra)
        if pipe == "ner":  # a file with spans only would pass too, with "0 label(s)"
            assert "3 label(s)" in checked
        else:
            assert all(f"'{label}'" in checked for label in ("ACTOR", "PLATFORM", "MOTIVATION"))
            assert f"max={longest})" in checked
        trained = spacy_cli(
            "train", str(config), "--output", str(tmp_path / pipe), *data, *extra,
            "--training.max_steps", "2", "--training.eval_frequency", "1",
        )  # fmt: skip
        assert (tmp_path / pipe / "model-last").is_dir(), trained
        assert ("ENTS_F" if pipe == "ner" else "SPANS_SC_F") in trained
