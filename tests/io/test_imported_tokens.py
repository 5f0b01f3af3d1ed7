"""A document that came in with tokens and sentences (CoNLL, a spaCy DocBin) goes out of every
token export (CoNLL, HF, DocBin) with exactly those; other documents are tokenised."""

from __future__ import annotations

import json
from pathlib import Path

from conll_samples import CONLL, conll_documents, tokens_only
from spacy.tokens import Doc, DocBin, Span

from annotator.cli import main
from annotator.core.model import Tokenisation
from annotator.core.tokenisation import decode_tokens, encode_tokens
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.writers.stored_tokens import stored_tokenized
from annotator.nlp.loading import shared_blank

PEER_IOB = (
    Path(__file__).parents[1] / "data" / "peers" / "spacy" / "ner-token-per-line-conll2003.iob"
)


def test_conll_round_trip_keeps_every_token_sentence_and_tag(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    out = tmp_path / "out.conll"
    report = export(project, "conll", out, layer="all")
    assert not report.adjusted and not report.dropped
    assert conll_documents(out) == conll_documents(given)
    assert tokens_only(conll_documents(out))[0][1][1:3] == ["EU-wide", "ban"]


def test_a_peer_iob_file_keeps_its_tokens_and_sentences(project, tmp_path):
    import_files(project, [PEER_IOB], "conll", add_labels=True)
    out = tmp_path / "out.conll"
    export(project, "conll", out, layer="all")
    assert tokens_only(conll_documents(out)) == tokens_only(conll_documents(PEER_IOB))


def test_hf_records_carry_the_imported_tokens(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    out = tmp_path / "out.jsonl"
    export(project, "hf", out, layer="all")
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    expected = conll_documents(given)
    assert [r["tokens"] for r in records] == [
        [token for sentence in doc for token, _ in sentence] for doc in expected
    ]
    tags = [[r["ner_tag_names"][t] for t in r["ner_tags"]] for r in records]
    assert tags == [[tag for sentence in doc for _, tag in sentence] for doc in expected]


def test_docbin_round_trip_keeps_tokens_spaces_sentences_and_entities(project, tmp_path):
    words = ["The", "EU-wide", "ban", "hit", "U.S.", "exports", ".", "\n", "It", "ended", "!"]
    spaces = [True, True, True, True, True, False, False, False, True, False, False]
    starts = [True, False, False, False, False, False, False, False, True, False, False]
    doc = Doc(shared_blank("en").vocab, words=words, spaces=spaces, sent_starts=starts)
    doc.ents = [Span(doc, 1, 2, "MISC"), Span(doc, 4, 5, "LOC")]
    given = tmp_path / "in.spacy"
    docbin = DocBin()
    docbin.add(doc)
    docbin.to_disk(given)
    assert [t.text for t in shared_blank("en")(doc.text)] != words  # spaCy would split them

    db = str(project.path)
    assert main(["--db", db, "import", "--add-labels", str(given)]) == 0
    out = tmp_path / "out.spacy"
    assert (
        main(["--db", db, "export", "--format", "spacy", "--out", str(out), "--layer", "all"]) == 0
    )
    (written,) = DocBin().from_disk(out).get_docs(shared_blank("en").vocab)
    assert [t.text for t in written] == words
    assert [t.whitespace_ for t in written] == [t.whitespace_ for t in doc]
    assert [t.is_sent_start for t in written] == starts
    assert [(e.text, e.label_) for e in written.ents] == [("EU-wide", "MISC"), ("U.S.", "LOC")]


def test_conll_to_docbin_keeps_the_tokens_and_sentences(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    out = tmp_path / "out.spacy"
    export(project, "spacy", out, layer="all")
    docs = list(DocBin().from_disk(out).get_docs(shared_blank("en").vocab))
    sentences = [[[t.text for t in s if not t.is_space] for s in d.sents] for d in docs]
    assert sentences == tokens_only(conll_documents(given))


def test_documents_without_imported_tokens_are_still_tokenised(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    typed = next(iter(project.add_document("Typed EU-wide text.").documents))
    start = "Typed EU-wide text.".index("EU")
    project.add_span(typed, "alice", "ACTOR", start, start + 2)
    out = tmp_path / "out.conll"
    export(project, "conll", out, layer="all")
    *_, last = conll_documents(out)
    tokens = ["Typed", "EU", "-", "wide", "text", "."]
    assert last == [[(token, "B-ACTOR" if token == "EU" else "O") for token in tokens]]


def test_a_span_drawn_inside_an_imported_token_is_expanded_and_reported(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    doc = project.document(project.document_ids()[0])
    start = doc.text.index("EU-wide")
    project.add_span(doc.id, "alice", "ACTOR", start + 1, start + 7)  # "U-wide": grows by 1
    report = export(project, "conll", tmp_path / "out.conll", layer="alice")
    assert sum(report.adjusted.values()) == 1
    assert not report.errors


def test_a_span_grown_too_much_by_imported_tokens_is_an_error(project, tmp_path):
    given = tmp_path / "in.conll"
    given.write_text(CONLL, "utf-8")
    import_files(project, [given], add_labels=True)
    doc = project.document(project.document_ids()[0])
    start = doc.text.index("EU-wide")
    project.add_span(doc.id, "alice", "ACTOR", start + 3, start + 7)  # "wide": grows by 3
    for fmt, suffix in (("conll", ".conll"), ("spacy", ".spacy")):
        report = export(project, fmt, tmp_path / f"out{suffix}", layer="alice")
        assert not report.adjusted, fmt
        assert len(report.errors) == 1 and "'wide'" in report.errors[0], fmt


def test_stored_alignment_is_strict_trimmed_expanded_or_none():
    text = "The EU-wide ban"
    tokens = Tokenisation((0, 4, 12), (3, 11, 15), (0,))
    tokenized = stored_tokenized(text, tokens, [(4, 11), (3, 11), (7, 11), (3, 4), (20, 25)])
    assert [r and (r.first, r.end, r.how) for r in tokenized.ranges] == [
        (1, 2, "strict"),
        (1, 2, "trimmed"),
        (1, 2, "expanded"),
        None,
        None,
    ]
    assert tokenized.words == ["The", "EU-wide", "ban"]
    assert tokenized.sentence_starts == [True, False, False]


def test_the_stored_form_is_compact_and_exact():
    starts = tuple(range(0, 600_000, 3))
    tokens = Tokenisation(starts, tuple(s + 2 for s in starts), tuple(range(0, 200_000, 14)))
    stored = encode_tokens(tokens)
    assert decode_tokens(*stored) == tokens
    assert sum(map(len, stored)) < 5 * len(starts)  # 200,000 tokens in under 1 MB
    assert decode_tokens("", "") == Tokenisation((), (), ())


INCEPTION = Path(__file__).parents[1] / "data" / "peers" / "inception" / "relation"


def cas_sentences(path: Path) -> list[list[str]]:
    """The DKPro sentences of an XMI file as lists of token texts, read by cassis itself."""
    from cassis import load_cas_from_xmi, load_typesystem

    with (path.parent / "TypeSystem.xml").open("rb") as types, path.open("rb") as xmi:
        cas = load_cas_from_xmi(xmi, typesystem=load_typesystem(types))
    token, sentence = (
        f"de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.{t}" for t in ("Token", "Sentence")
    )
    return [
        [t.get_covered_text() for t in cas.select_covered(token, s)] for s in cas.select(sentence)
    ]


def test_xmi_tokens_and_sentences_go_out_as_they_came_in(project, tmp_path):
    given = INCEPTION / "relation_test.xmi"
    import_files(project, [given], add_labels=True)
    out = tmp_path / "out.conll"
    export(project, "conll", out, layer="all")
    assert tokens_only(conll_documents(out)) == [cas_sentences(given)]


TSV3 = Path(__file__).parents[1] / "data" / "peers" / "inception" / "tsv3" / "example2.tsv"


def tsv_sentences(path: Path) -> list[list[str]]:
    """The sentences of a WebAnno TSV 3 file as lists of its token rows' texts (sub-token rows,
    `1-3.1`, left out)."""
    sentences: list[list[str]] = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#Text="):
            sentences.append([])
        elif line and not line.startswith("#") and "." not in line.split("\t")[0]:
            sentences[-1].append(line.split("\t")[2])
    return sentences


def test_tsv3_tokens_and_sentences_go_out_as_they_came_in(project, tmp_path):
    import_files(project, [TSV3], add_labels=True)
    out = tmp_path / "out.conll"
    export(project, "conll", out, layer="all")
    assert tokens_only(conll_documents(out)) == [tsv_sentences(TSV3)]
    assert tsv_sentences(TSV3)[1][:2] == ["Rolls-Royce", "Motor"]


def edited_xmi(folder: Path, old: str, new: str) -> Path:
    """A copy of the INCEpTION sample, with its type system, with `old` replaced by `new`."""
    content = (INCEPTION / "relation_test.xmi").read_text("utf-8")
    assert old in content
    folder.mkdir()
    (folder / "TypeSystem.xml").write_bytes((INCEPTION / "TypeSystem.xml").read_bytes())
    (folder / "doc.xmi").write_text(content.replace(old, new), "utf-8")
    return folder / "doc.xmi"


def test_xmi_sentences_are_kept_where_spacy_would_split(project, tmp_path):
    second = '<type4:Sentence xmi:id="24" sofa="1" begin="25" end="53"/>'
    one_sentence = second.replace('begin="25"', 'begin="0"')  # both now start the text
    import_files(project, [edited_xmi(tmp_path / "xmi", second, one_sentence)], add_labels=True)
    out = tmp_path / "out.conll"
    export(project, "conll", out, layer="all")
    (sentences,) = tokens_only(conll_documents(out))
    assert sentences == [
        [token for sentence in cas_sentences(INCEPTION / "relation_test.xmi") for token in sentence]
    ]


def test_xmi_with_overlapping_tokens_is_tokenised_instead(project, tmp_path):
    first = '<type4:Token xmi:id="29" sofa="1" begin="0" end="9" order="0"/>'
    overlapping = first.replace('end="9"', 'end="11"')
    import_files(project, [edited_xmi(tmp_path / "xmi", first, overlapping)], add_labels=True)
    assert project.tokenisations(project.document_ids()) == {}
