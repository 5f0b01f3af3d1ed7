"""CoNLL-2003 IOB2 export, checked by an independent parser, and the CoNLL reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from format_samples import SAMPLES, fill, span_tokens

from annotator.core.errors import ImportFailed
from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.registry import detect_format
from annotator.io.writers.iob import OVERLAPPING

DOCUMENT = re.compile(r"^-DOCSTART- -X- -X- O\n\n((?:(?!-DOCSTART-).*\n)*)", re.MULTILINE)
TOKEN = re.compile(r"(?P<token>[^ \n]+) -X- _ (?P<tag>O|[BI]-[^ \n]+)")


def conlleval_chunks(path):
    """Documents as lists of (label, [tokens]) chunks, read the way conlleval reads IOB.

    Deliberately unlike the project's reader: one regex splits documents, every sentence is
    checked for IOB2 (an I- only continues a chunk of its own label), chunks are token lists.
    """
    content = path.read_text("utf-8")
    bodies = DOCUMENT.findall(content)
    assert "".join(f"-DOCSTART- -X- -X- O\n\n{body}" for body in bodies) == content
    documents = []
    for body in bodies:
        chunks = []
        for sentence in filter(None, body.split("\n\n")):
            previous = "O"
            for line in sentence.strip("\n").split("\n"):
                match = TOKEN.fullmatch(line)
                assert match, f"not a CoNLL token line: {line!r}"
                tag = match["tag"]
                if tag.startswith("I-"):
                    assert previous[2:] == tag[2:], f"IOB2 broken: {previous} then {tag}"
                    chunks[-1][1].append(match["token"])
                elif tag.startswith("B-"):
                    chunks.append((tag[2:], [match["token"]]))
                previous = tag
        documents.append(chunks)
    return documents


def test_export_is_valid_iob2_with_every_span(project, tmp_path):
    fill(project)
    out = tmp_path / "corpus.conll"
    report = export(project, "conll", out)
    assert not report.dropped and not report.adjusted
    documents = conlleval_chunks(out)
    expected = [
        [
            (label, span_tokens(needle))
            for needle, label in sorted(spans, key=lambda s: text.index(s[0]))
        ]
        for _, text, spans in SAMPLES
    ]
    assert documents == expected
    content = out.read_text("utf-8")
    assert "\r" not in content and "\n\n\n" not in content
    assert "TB2 -X- _ B-PLATFORM\n🚁 -X- _ O\n" in content  # an emoji is a token of its own
    assert "Cafe\u0301 -X- _ B-ACTOR\n" in content  # combining mark stays in its token


def test_sentences_break_at_lines_and_punctuation_but_never_inside_a_span(project, tmp_path):
    text = "Baykar builds drones. Kyiv buys them\nfrom Baykar.\nThe end."
    doc = next(iter(project.add_document(text).documents))
    project.add_span(doc, "alice", "ACTOR", text.index("Kyiv"), text.index("from") + 4)
    out = tmp_path / "s.conll"
    export(project, "conll", out)
    body = out.read_text("utf-8").split("\n\n")[1:]
    sentences = [[line.split(" ")[0] for line in s.split("\n")] for s in body if s]
    assert sentences == [
        ["Baykar", "builds", "drones", "."],
        ["Kyiv", "buys", "them", "from", "Baykar", "."],
        ["The", "end", "."],
    ]


def test_overlaps_are_dropped_and_misaligned_spans_expanded_with_a_report(project, tmp_path):
    text = "Baykar sells the Bayraktar TB2 drone."
    doc = next(iter(project.add_document(text).documents))
    project.add_span(doc, "alice", "PLATFORM", 17, 30)  # Bayraktar TB2
    project.add_span(doc, "alice", "ACTOR", 17, 26)  # Bayraktar: inside, dropped
    project.add_span(doc, "alice", "MOTIVATION", 27, 36)  # TB2 drone: same length, later
    project.add_span(doc, "alice", "ACTOR", 1, 5)  # "ayka": expanded to Baykar
    project.add_span(doc, "bob", "ACTOR", 0, 6)  # same tokens and label as alice's
    out = tmp_path / "o.conll"
    report = export(project, "conll", out, layer="all")
    assert conlleval_chunks(out) == [[("ACTOR", ["Baykar"]), ("PLATFORM", ["Bayraktar", "TB2"])]]
    assert report.dropped[OVERLAPPING] == 2
    assert sum(report.dropped.values()) == 3
    assert list(report.adjusted.values()) == [1]
    assert "expanded" in report.summary() and "overlapping" in report.summary()


def test_label_names_with_spaces_are_written_with_underscores(project, tmp_path):
    project.add_label("WEAPON SYSTEM")
    doc = next(iter(project.add_document("The TB2 flies.").documents))
    project.add_span(doc, "alice", "WEAPON SYSTEM", 4, 7)
    out = tmp_path / "w.conll"
    report = export(project, "conll", out)
    assert "TB2 -X- _ B-WEAPON_SYSTEM\n" in out.read_text("utf-8")
    assert report.adjusted == {
        "label 'WEAPON SYSTEM' written as 'WEAPON_SYSTEM' (CoNLL columns split at spaces)": 1
    }


def test_round_trip_keeps_tokens_and_labels(project, tmp_path):
    fill(project)
    out = tmp_path / "corpus.conll"
    export(project, "conll", out)
    again = Project.create(tmp_path / "again.db")
    try:
        import_files(again, [out])
        assert again.count_documents() == len(SAMPLES)
        for doc in again.iter_documents():
            assert "  " not in doc.text and "\r" not in doc.text
            for span in again.spans(doc.id):
                assert span.annotator == "import"
        back = tmp_path / "back.conll"
        export(again, "conll", back)
        assert back.read_text("utf-8") == out.read_text("utf-8")
    finally:
        again.close()


def test_reader_rebuilds_text_and_spans_from_two_columns(project, tmp_path):
    path = tmp_path / "two.conll"
    path.write_text(
        "Baykar B-ACTOR\nsells O\nBayraktar I-PLATFORM\nTB2 I-PLATFORM\n.\tO\n\n"
        "Kyiv B-ACTOR\nAnkara I-ACTOR\nAkinci B-PLATFORM\nTB3 I-ACTOR\r\n",
        encoding="utf-8",
    )
    import_files(project, [path])
    (doc,) = project.iter_documents()
    assert doc.text == "Baykar sells Bayraktar TB2 .\nKyiv Ankara Akinci TB3"
    found = [(doc.text[s.start : s.end], s.label) for s in project.spans(doc.id)]
    assert sorted(found) == sorted(
        [
            ("Baykar", "ACTOR"),
            ("Bayraktar TB2", "PLATFORM"),  # I- without B- starts a span, as conlleval
            ("Kyiv Ankara", "ACTOR"),
            ("Akinci", "PLATFORM"),
            ("TB3", "ACTOR"),  # I- of another label starts a new span
        ]
    )


def test_detection_by_extension_and_by_docstart():
    assert detect_format(Path("x.conll"), b"") == "conll"
    assert detect_format(Path("eng.train"), b"\xef\xbb\xbf-DOCSTART- -X- -X- O\n") == "conll"
    assert detect_format(Path("eng.train"), b"Baykar B-ACTOR\n") == "txt"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("A -X- _ O\nB -X- O\n", 2, "expected 4 columns as on line 1, found 3"),
        ("A O\nB\n", 2, "expected a token and a tag separated by a space, got 'B'"),
        ("-DOCSTART- -X- -X- O\n\nA -X- _ X-ACTOR\n", 3, "invalid tag 'X-ACTOR' (expected O"),
        ("A -X- _ B-\n", 1, "invalid tag 'B-' (expected O"),
        ("A -X- _ b-ACTOR\n", 1, "invalid tag 'b-ACTOR'"),
        (b"A O\n\xff O\n", 2, "not valid UTF-8"),
    ],
)
def test_bad_conll_files_name_the_line_and_store_nothing(project, tmp_path, content, line, reason):
    path = tmp_path / "bad.conll"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path])
    assert f"{path}:{line}: {reason}" in str(info.value)
    assert project.count_documents() == 0


def test_overlap_rule_is_spacy_filter_spans():
    import random

    import spacy
    from spacy.util import filter_spans

    from annotator.core.model import Document, Span
    from annotator.io.writers import iob
    from annotator.io.writers.base import ExportItem, ExportReport
    from annotator.nlp.formats.tokenizer import SpacyTokenizer

    nlp = spacy.blank("en")
    doc = nlp("Baykar sells the Bayraktar TB2 drone to Kyiv and the Akinci to Ankara in 2023 .")
    rng = random.Random(5)
    for _ in range(200):
        spans = []
        for n in range(rng.randrange(1, 8)):
            start = rng.randrange(len(doc) - 1)
            end = rng.randrange(start + 1, min(len(doc), start + 5) + 1)
            label = rng.choice(["ACTOR", "PLATFORM"])
            spans.append(
                Span(n, 1, "a", label, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
            )
        report = ExportReport(Path("x"))
        item = ExportItem(Document(1, "t", "", doc.text, ""), spans, "a", None)
        ranges = [(s.start, s.end) for s in spans]
        [(tokenized, _)] = SpacyTokenizer().tokenize([(doc.text, ranges, "en", None)])
        kept = iob._token_spans(tokenized, item, spans, report)
        unique = list(dict.fromkeys((doc.char_span(s.start, s.end), s.label) for s in spans))
        ours = sorted(kept)
        theirs = sorted(
            (s.start, s.end, s.label_)
            for s in filter_spans(
                [doc.char_span(s.start_char, s.end_char, label=label) for s, label in unique]
            )
        )
        assert ours == theirs
        assert report.dropped[iob.OVERLAPPING] == len(unique) - len(kept)


def test_a_docstart_word_in_the_text_never_splits_the_document(project, tmp_path):
    """A token `-DOCSTART-` at a line start would be a document separator for our reader,
    conlleval-style scripts and `datasets`' conll2003 loader (`line.startswith("-DOCSTART-")`)."""
    text = "-DOCSTART- is a word here.\n-DOCSTART- and Baykar."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    start = text.index("Baykar")
    project.add_span(doc, "alice", "ACTOR", start, start + len("Baykar"))
    out = tmp_path / "corpus.conll"
    report = export(project, "conll", out)
    lines = out.read_text("utf-8").splitlines()
    assert [line for line in lines if line.startswith("-DOCSTART-")] == ["-DOCSTART- -X- -X- O"]
    assert lines.count("\u2010DOCSTART- -X- _ O") == 2
    assert report.adjusted == {
        "token '-DOCSTART-' written as '\u2010DOCSTART-' (it would start a document)": 2
    }
    again = Project.create(tmp_path / "again.db")
    try:
        import_files(again, [out])
        assert again.count_documents() == 1
        (back,) = again.iter_documents()
        assert [(back.text[s.start : s.end], s.label) for s in again.spans(back.id)] == [
            ("Baykar", "ACTOR")
        ]
    finally:
        again.close()
