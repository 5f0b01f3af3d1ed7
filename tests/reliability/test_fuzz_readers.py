"""Fuzz every reader with hypothesis: random bytes and mutated valid files may be refused only
with an AnnotatorError, and whatever is read has its spans inside its text.

The budget is small in the default run; raise it with ANNOTATOR_FUZZ_EXAMPLES=2000.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.io.registry import READERS
from builders import core_xml, document_xml, make_docx, make_pdf, paragraph

EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "40"))

SEEDS: dict[str, bytes] = {
    "txt": "Baykar sold TB2 drones to Azerbaijan.\r\nCafé 😀\n".encode(),
    "md": b"# Title\n\nBaykar *sold* [TB2](http://x) drones.\n",
    "csv": b'title,text,year\n"A ""quoted"" one","Baykar sold\nTB2",2020\nB,Ankara,2021\n',
    "html": (
        b"<!DOCTYPE html><html><head><meta charset=utf-8><title>T</title></head><body><nav>x"
        b"</nav><article><h1>H</h1><p>Baykar &amp; TB2</p><pre> a\n b</pre></article></body>"
    ),
    "jsonl": (
        b'{"text": "Baykar sold TB2", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}], '
        b'"meta": {"a": 1}, "status": "done", "annotator": "bo"}\n{"text": "x\\ud83d\\ude00"}\n'
    ),
    "conll": b"-DOCSTART- -X- O O\n\nBaykar NNP B-NP B-ACTOR\nsold VBD B-VP O\nTB2 NN B-NP I-X\n",
    "brat": b"T1\tACTOR 0 6\tBaykar\nT2\tPLATFORM 12 15;16 19\tTB2 dro\nR1\tRel Arg1:T1 Arg2:T2\n",
    "docx": make_docx(
        {
            "word/document.xml": document_xml(paragraph("<w:t>Baykar</w:t>", "<w:tab/>")),
            "docProps/core.xml": core_xml("Title"),
        }
    ),
    "pdf": make_pdf(b"BT /F1 12 Tf 72 720 Td (Baykar sold TB2) Tj ET"),
    "xmi": (
        b'<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        b'xmlns:cas="http:///uima/cas.ecore" xmlns:ner="http:///de/tudarmstadt/ukp/dkpro/core/'
        b'api/ner/type.ecore" xmi:version="2.0"><cas:NULL xmi:id="0"/><cas:Sofa xmi:id="1" '
        b'sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="Baykar sold TB2"/>'
        b'<ner:NamedEntity xmi:id="2" sofa="1" begin="0" end="6" value="ACTOR"/>'
        b'<cas:View sofa="1" members="2"/></xmi:XMI>'
    ),
}
BRAT_TEXT = "Baykar sold TB2\ndrones to Azerbaijan."
SUFFIX = {"brat": ".ann", "conll": ".conll"}


def mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed with a slice replaced by random bytes, possibly repeated."""
    return st.builds(
        lambda at, cut, insert, times: (seed[:at] + insert + seed[at + cut :]) * times,
        st.integers(0, len(seed)),
        st.integers(0, 16),
        st.binary(max_size=24),
        st.sampled_from([1, 1, 1, 2]),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    (path / "doc.txt").write_text(BRAT_TEXT, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_readers_refuse_garbage_only_with_a_clear_error(folder, fmt):
    reader, seed = READERS[fmt], SEEDS[fmt]
    path = folder / f"doc{SUFFIX.get(fmt, '.' + fmt)}"
    reader(path, seed)  # the seed itself is valid

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.one_of(st.binary(max_size=300), mutated(seed)))
    def check(data: bytes) -> None:
        try:
            documents = reader(path, data)
        except AnnotatorError as exc:
            assert str(exc).strip()
            return
        for doc in documents:
            assert isinstance(doc.text, str) and doc.text.strip()
            for span in doc.spans:
                assert 0 <= span.start < span.end <= len(doc.text), (span, len(doc.text))

    check()


@pytest.mark.parametrize("fmt", ["spacy"])
def test_the_spacy_reader_refuses_garbage_only_with_a_clear_error(folder, fmt):
    pytest.importorskip("spacy")
    reader = READERS[fmt]

    @settings(max_examples=max(10, EXAMPLES // 4), deadline=None, derandomize=True, database=None)
    @given(st.binary(max_size=200))
    def check(data: bytes) -> None:
        with contextlib.suppress(AnnotatorError):
            reader(folder / "doc.spacy", data)

    check()
