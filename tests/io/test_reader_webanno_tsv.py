"""WebAnno TSV 3 import, against INCEpTION's own test suite (tests/data/peers/inception): each
case holds the same annotations as TSV and as XMI, and both readers must agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.io.readers.webanno_tsv import read_webanno_tsv
from annotator.io.readers.xmi import read_xmi
from annotator.io.registry import detect_format

PEERS = Path(__file__).parent.parent / "data" / "peers" / "inception"
SUITE = PEERS / "tsv3-suite"
# Labels given to annotations without one: the suite's TSV files name the layer
# webanno.custom.Span where their XMI twins use NamedEntity.
DEFAULT_LABELS = {"Span", "NamedEntity", "SimpleSpan"}
# Where TSV and XMI cannot agree: TSV trims a span to the tokens inside it and holds no text
# after the last token (its spec says so), and without a TypeSystem.xml the XMI of a slot
# host does not say that the layer has a `value` feature.
FORMAT_LIMITS = {
    "testAnnotationWithLeadingWhitespace",
    "testAnnotationWithLeadingWhitespaceAtStart",
    "testAnnotationWithTrailingWhitespace",
    "testAnnotationWithTrailingWhitespaceAtEnd",
    "testZeroWidthAnnotationBeyondLastTokenIsMovedToEndOfLastToken",
    "testComplexSlotFeatureWithoutValues",
    "testStackedComplexSlotFeatureWithoutValues",
}


def read(path: Path):
    """The file's document and the reader's notes on it."""
    result = read_webanno_tsv(path, path.read_bytes())
    (document,) = result
    return document, result.skipped


def comparable(document) -> tuple[str, list[tuple[int, int, str]]]:
    spans = sorted(
        (s.start, s.end, "" if s.label in DEFAULT_LABELS else s.label) for s in document.spans
    )
    return document.text, spans


def test_every_suite_case_reads_as_its_xmi_twin_but_where_the_formats_differ():
    differ = set()
    for case in sorted(SUITE.iterdir()):
        tsv, _ = read(case / "reference.tsv")
        (xmi,) = read_xmi(case / "reference.xmi", (case / "reference.xmi").read_bytes())
        if comparable(tsv) != comparable(xmi):
            differ.add(case.name)
    assert len(list(SUITE.iterdir())) == 73
    assert differ == FORMAT_LIMITS


def links(document) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(type, head offsets, tail offsets) of a document's relations, sorted."""
    ends = [(s.start, s.end) for s in document.spans]
    return sorted((r.type, ends[r.head], ends[r.tail]) for r in document.relations)


def test_every_suite_case_holds_the_relations_of_its_xmi_twin():
    """INCEpTION's relation cases: single- and multi-token ends, stacked spans named by
    `[GOVERNOR_DEPENDENT]` ids (`0`: the one span there), stacked relations, sub-token ends,
    layers without a `value` feature or without features, and token-based relations (left out
    by both readers, noted)."""
    with_relations = []
    for case in sorted(SUITE.iterdir()):
        tsv, notes = read(case / "reference.tsv")
        (xmi,) = read_xmi(case / "reference.xmi", (case / "reference.xmi").read_bytes())
        assert links(tsv) == links(xmi), case.name
        if tsv.relations:
            with_relations.append(case.name)
        if case.name.startswith("testSingleTokenRelation"):  # between tokens
            assert any("not spans read" in note for note in notes), case.name
    assert len(with_relations) == 11
    (stacked,) = [SUITE / "testStackedNonMultiTokenRelationWithMultipleFeatureValues"]
    assert links(read(stacked / "reference.tsv")[0]) == [
        ("nsubj", (0, 7), (8, 14)),
        ("obj", (0, 7), (8, 14)),
    ]


def test_a_relation_layer_of_our_types_over_emoji_text(tmp_path):
    """A custom span layer and a relation layer as INCEpTION writes them for this project's
    schema: UTF-16 offsets past an emoji, a multi-token tail named by its id, a governor on a
    later row, stacked relations, an escaped type, an unset type (the layer's short name), and
    a governor address that is no address (refused with its line)."""
    path = tmp_path / "relations.tsv"
    header = (
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Entity|value\n"
        "#T_RL=webanno.custom.Link|value|BT_webanno.custom.Entity\n\n\n"
    )
    body = (
        "#Text=🛩 Azerbaijan buys JF-17C jets from Pakistan\n"
        "1-1\t0-2\t🛩\t_\t_\t_\n"
        "1-2\t3-13\tAzerbaijan\tACTOR\t_\t_\n"
        "1-3\t14-18\tbuys\t_\t_\t_\n"
        "1-4\t19-25\tJF-17C\tPLATFORM[5]\tBUYS|SUPPLIES\t1-2[0_5]|1-7[0_5]\n"
        "1-5\t26-30\tjets\tPLATFORM[5]\t_\t_\n"
        "1-6\t31-35\tfrom\t_\t_\t_\n"
        "1-7\t36-44\tPakistan\tACTOR\tPARTNERS\\_WITH|*\t1-2|1-2\n"
    )
    path.write_text(header + body, "utf-8")
    document, _ = read(path)
    text = document.text
    named = {
        (r.type, text[s.start : s.end], text[t.start : t.end])
        for r, s, t in (
            (r, document.spans[r.head], document.spans[r.tail]) for r in document.relations
        )
    }
    assert named == {
        ("BUYS", "Azerbaijan", "JF-17C jets"),
        ("SUPPLIES", "Pakistan", "JF-17C jets"),
        ("PARTNERS_WITH", "Azerbaijan", "Pakistan"),
        ("Link", "Azerbaijan", "Pakistan"),
    }
    path.write_text(header + body.replace("1-2[0_5]", "one-two"), "utf-8")
    with pytest.raises(InputError) as refused:
        read(path)
    assert refused.value.line == 10 and "'one-two' is no governor address" in str(refused.value)


def test_every_suite_case_has_the_tokens_and_sentences_of_its_xmi_twin():
    for case in sorted(SUITE.iterdir()):
        tsv, _ = read(case / "reference.tsv")
        (xmi,) = read_xmi(case / "reference.xmi", (case / "reference.xmi").read_bytes())
        assert tsv.tokens is not None and tsv.tokens == xmi.tokens, case.name


def spans(document) -> list[tuple[str, str]]:
    return [(document.text[s.start : s.end], s.label) for s in document.spans]


def test_multi_token_stacked_and_escaped_values():
    document, notes = read(PEERS / "tsv3" / "example2.tsv")
    assert spans(document)[:3] == [
        ("Ms. Haag", "PER"),
        ("Elianti", "OTH"),
        ("Rolls-Royce Motor", "ORG"),
    ]
    assert len(document.spans) == 9
    assert notes == [
        "skipped 86 de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS annotation(s): a "
        "layer that is not imported (only NamedEntity and custom span layers are)",
        "skipped 86 de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency "
        "annotation(s): a relation linking annotations that are not spans read (tokens?)",
    ]
    stacked, _ = read(SUITE / "testMultiTokenStackedSpanWithFeatureValue" / "reference.tsv")
    assert sorted(spans(stacked)) == [
        ("This is a test .", "LOCATION"),
        ("This is a test .", "PERSON"),
    ]
    escaped, escaped_notes = read(
        SUITE / "testTokenBoundedSpanWithSpecialSymbolsValue" / "reference.tsv"
    )
    label = "#*'\"`´\t:;{}|[ ]()\\§$%?=&_\n"  # unescaped, but a tab cannot be in a label name
    assert escaped.spans == []
    assert escaped_notes == [
        f"skipped 5 webanno.custom.Span annotation(s): label name {label!r} contains a control "
        "character (U+0009)"
    ]


def test_escapes_in_values_and_text_are_undone(tmp_path):
    path = tmp_path / "escaped.tsv"
    body = "#Text=a\\tb\\\\c\n1-1\t0-3\ta\\tb\tA\\_B\\|C\\[1\\]|D[2]\n1-2\t4-5\tc\tD[2]\n"
    path.write_text(HEADER + body, "utf-8")
    document, _ = read(path)
    assert document.text == "a\tb\\c"
    assert spans(document) == [("a\tb", "A_B|C[1]"), ("a\tb\\c", "D")]


def test_utf16_offsets_become_code_points():
    document, _ = read(SUITE / "testSentenceWithEmoji" / "reference.tsv")
    assert document.text == "I like it 😊 ."
    assert spans(document) == [("😊", "Span")]


def test_crlf_line_ends_read_the_same(tmp_path):
    path = tmp_path / "crlf.tsv"
    source = PEERS / "tsv3" / "example2.tsv"
    path.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    assert comparable(read(path)[0]) == comparable(read(source)[0])


def test_detected_by_content_not_taken_for_csv(tmp_path):
    path = SUITE / "testSimpleChain" / "reference.tsv"
    assert detect_format(path, path.read_bytes()) == "webanno"
    plain = tmp_path / "table.tsv"
    plain.write_text("title\ttext\nA\tB\n")
    assert detect_format(plain, plain.read_bytes()) == "csv"


HEADER = (
    "#FORMAT=WebAnno TSV 3.3\n"
    "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n\n\n"
)


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        (
            "#Text=Hi\n1-1\t0-2\tHi\n",
            6,
            "a token row needs 4 tab-separated columns, this one has 3",
        ),
        ("#Text=Hi\n1-1\tx\tHi\tPER\n", 6, "a token row starts with SENTENCE-TOKEN and BEGIN-END"),
        ("#Text=Hi\n1-1\t2-0\tHi\tPER\n", 6, "token offsets 2-0 end before they start"),
        ("#Text=😊 x\n1-1\t0-1\t😊\tPER\n", None, "falls inside a character"),
        ("1-1\t0-2\tHi\tPER\n", 5, "token offsets 0-2 lie beyond the text of the #Text= lines"),
        ("#Text=Hi\n1-1\t0-9\tHi\tPER\n", 6, "token offsets 0-9 lie beyond the text"),
        ("", None, "the file holds no text"),
    ],
)
def test_bad_files_name_the_line_and_reason(tmp_path, body, line, reason):
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + body, "utf-8")
    with pytest.raises(InputError) as info:
        read(path)
    assert (info.value.line, reason in info.value.reason) == (line, True), info.value.reason


def test_a_bad_header_and_bad_bytes_are_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("#FORMAT=WebAnno TSV 3.3\n#X=1\n\n\n", "utf-8")
    with pytest.raises(InputError, match="expected a layer declaration") as info:
        read(path)
    assert info.value.line == 2
    path.write_bytes(HEADER.encode() + b"#Text=\xff\n")
    with pytest.raises(InputError, match="must be UTF-8"):
        read(path)
