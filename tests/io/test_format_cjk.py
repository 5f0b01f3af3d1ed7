"""Token exports (spaCy DocBin, CoNLL, Hugging Face) of Chinese, Japanese, Korean and mixed
text: every span keeps its extent (its tokens cover exactly its text, as `spacy debug data`
checks), and a span the tokens would widen by more than a few characters is an error naming it."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import DocBin

from annotator.core.language import LANGUAGE_SETTING
from annotator.io.exporter import export
from annotator.io.writers.span_growth import MAX_GROWTH
from annotator.nlp import docbin
from annotator.nlp.loading import shared_blank

CASES = {  # language: (text, [(span text, label)], tokens the spans become)
    "zh": (
        "阿塞拜疆总统阿利耶夫今天在巴库会见了土耳其国防部长，双方讨论了无人机合作。",
        [("阿塞拜疆", "ACTOR"), ("阿利耶夫", "ACTOR"), ("巴库", "ACTOR"), ("土耳其", "ACTOR")],
        [["阿", "塞", "拜", "疆"], ["阿", "利", "耶", "夫"], ["巴", "库"], ["土", "耳", "其"]],
    ),
    "ja": (
        "東京都でトヨタ自動車の社長が会見し、バイカル社の無人機について話した。",
        [("東京都", "ACTOR"), ("トヨタ自動車", "ACTOR"), ("無人機", "PLATFORM")],
        [["東", "京", "都"], ["ト", "ヨ", "タ", "自", "動", "車"], ["無", "人", "機"]],
    ),
    "ko": (
        "서울에서 대한민국으로부터 온 삼성전자 대표가 KF-21 보라매를 소개했다.",
        [("서울", "ACTOR"), ("대한민국", "ACTOR"), ("삼성전자", "ACTOR"), ("보라매", "PLATFORM")],
        [["서울"], ["대한민국"], ["삼성전자"], ["보라매"]],
    ),
    "mixed": (
        "Baykar 的 TB2无人机 was sold to 阿塞拜疆 in 2020年, said 바이카르 측.",
        [("Baykar", "ACTOR"), ("TB2", "PLATFORM"), ("阿塞拜疆", "ACTOR"), ("2020", "MOTIVATION")],
        [["Baykar"], ["TB2"], ["阿", "塞", "拜", "疆"], ["2020"]],
    ),
}


def add(project, text: str, spans: list[tuple[str, str]], title: str = "doc") -> int:
    doc = next(iter(project.add_document(text, title=title, verbatim=True).documents))
    for needle, label in spans:
        start = text.index(needle)
        project.add_span(doc, "alice", label, start, start + len(needle))
    return doc


def iob_chunks(tokens: list[str], tags: list[str]) -> list[tuple[str, list[str]]]:
    chunks: list[tuple[str, list[str]]] = []
    for token, tag in zip(tokens, tags, strict=True):
        if tag.startswith("B-"):
            chunks.append((tag[2:], [token]))
        elif tag.startswith("I-"):
            assert chunks and chunks[-1][0] == tag[2:], "IOB2 broken"
            chunks[-1][1].append(token)
    return chunks


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_span_keeps_its_extent_in_the_spacy_export(project, tmp_path, case):
    text, spans, _ = CASES[case]
    add(project, text, spans)
    if case != "mixed":  # the same with the language set (spaCy's multi-language rules)
        project.set_setting(LANGUAGE_SETTING, case)
    out = tmp_path / "x.spacy"
    report = export(project, "spacy", out)
    assert (report.adjusted, report.errors) == ({}, [])
    assert report.dropped == {}
    (doc,) = DocBin().from_disk(out).get_docs(shared_blank("en").vocab)
    assert doc.text == text
    found = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"])
    expected = sorted((text.index(n), text.index(n) + len(n), label) for n, label in spans)
    assert found == expected
    assert sorted((e.start_char, e.end_char, e.label_) for e in doc.ents) == expected
    for span in [*doc.spans["sc"], *doc.ents]:  # what `spacy debug data` aligns: token edges
        strict = doc.char_span(span.start_char, span.end_char, alignment_mode="strict")
        assert (strict.start, strict.end) == (span.start, span.end)
        assert span.text == text[span.start_char : span.end_char]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_span_keeps_its_extent_in_conll_and_hf(project, tmp_path, case):
    text, spans, tokens = CASES[case]
    add(project, text, spans)
    in_order = sorted(zip(spans, tokens, strict=True), key=lambda pair: text.index(pair[0][0]))
    expected = [(label, pieces) for (_, label), pieces in in_order]
    report = export(project, "hf", tmp_path / "x.jsonl")
    assert (report.adjusted, report.dropped, report.errors) == ({}, {}, [])
    record = json.loads((tmp_path / "x.jsonl").read_text("utf-8"))
    tags = [record["ner_tag_names"][t] for t in record["ner_tags"]]
    assert iob_chunks(record["tokens"], tags) == expected
    assert "".join(record["tokens"]) == "".join(text.split())  # every character, in order

    export(project, "conll", tmp_path / "x.conll")
    lines = (tmp_path / "x.conll").read_text("utf-8").splitlines()[2:]
    rows = [line.split(" ") for line in lines if line]
    assert [row[0] for row in rows] == record["tokens"]
    assert [row[3] for row in rows] == tags


def test_sentences_end_at_cjk_full_stops(project, tmp_path):
    add(project, "巴库很热。东京很冷！首尔呢？", [("巴库", "ACTOR")])
    export(project, "conll", tmp_path / "x.conll")
    body = (tmp_path / "x.conll").read_text("utf-8").split("\n\n", 1)[1]
    sentences = ["".join(line.split(" ")[0] for line in s.splitlines()) for s in body.split("\n\n")]
    assert [s for s in sentences if s] == ["巴库很热。", "东京很冷！", "首尔呢？"]


def test_a_span_grown_by_more_than_a_few_characters_is_an_error_naming_it(project, tmp_path):
    text = "Turkish drones: the TB2 and the Akinci."
    doc = add(project, text, [("Turk", "ACTOR"), ("B2", "PLATFORM"), ("Akinci", "PLATFORM")])
    assert MAX_GROWTH == 2
    for fmt, name in (("spacy", "x.spacy"), ("conll", "x.conll"), ("hf", "x.jsonl")):
        report = export(project, fmt, tmp_path / name)
        (error,) = report.errors
        assert f"document {doc} 'doc': ACTOR span 'Turk' at 0-4 would grow by 3 characters" in error
        assert sum(report.adjusted.values()) == 1  # "B2" -> "TB2" grows by 1: adjusted as before
        assert f"error: {error}" in report.summary().splitlines()
    records = docbin.read_docbin((tmp_path / "x.spacy").read_bytes())
    assert [(text[s:e], label) for s, e, label in records[0].spans] == [
        ("TB2", "PLATFORM"),
        ("Akinci", "PLATFORM"),
    ]
    assert "Turk" not in (tmp_path / "x.conll").read_text("utf-8").replace("Turkish", "")
    assert "B-ACTOR" not in (tmp_path / "x.conll").read_text("utf-8")


def test_the_project_language_chooses_the_tokenizer_rules(project, tmp_path):
    add(project, "Das kostet z.B. 5 Mio. Euro, sagte Hr. Meier.", [("Hr. Meier", "ACTOR")])
    report = export(project, "conll", tmp_path / "en.conll")
    assert sum(report.adjusted.values()) == 0
    english = [line.split(" ")[0] for line in (tmp_path / "en.conll").read_text().splitlines()]
    assert "Mio." not in english and "Hr" in english
    project.set_setting(LANGUAGE_SETTING, "de")
    export(project, "conll", tmp_path / "de.conll")
    lines = (tmp_path / "de.conll").read_text().splitlines()
    assert ["z.B.", "-X-", "_", "O"] in [line.split(" ") for line in lines]
    assert ["Hr.", "-X-", "_", "B-ACTOR"] in [line.split(" ") for line in lines]
    assert ["Mio.", "-X-", "_", "O"] in [line.split(" ") for line in lines]
