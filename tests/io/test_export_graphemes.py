"""Tokens never split a grapheme cluster: flags, skin tones, ZWJ sequences, combining marks,
variation selectors and CRLF stay whole in the tokenising exports (spaCy, CoNLL, HF)."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import DocBin

from annotator.core.language import DEFAULT_LANGUAGE
from annotator.io.exporter import export
from annotator.nlp.formats.tokenizer import SpacyTokenizer
from annotator.nlp.loading import shared_blank

FLAGS = "\U0001f1fa\U0001f1f8\U0001f1ec\U0001f1e7"  # 🇺🇸🇬🇧: two clusters
THUMB = "\U0001f44d\U0001f3fd"  # 👍🏽: one cluster
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: one cluster
HEART = "\u2764\ufe0f"  # ❤️: a variation selector
ACCENTED = "Ne\u0301e\u0301"  # combining acute accents
TEXT = f"Flags {FLAGS} here.\r\nA {THUMB} and {FAMILY} with {HEART} from {ACCENTED} today.\r\n"

CASES = [
    (FLAGS, ["\U0001f1fa\U0001f1f8", "\U0001f1ec\U0001f1e7"]),
    (THUMB, [THUMB]),
    (FAMILY, [FAMILY]),
    (HEART, [HEART]),
    (ACCENTED, [ACCENTED]),
]

LABELS = {
    FLAGS: "PLATFORM",
    THUMB: "ACTOR",
    FAMILY: "ACTOR",
    HEART: "MOTIVATION",
    ACCENTED: "ACTOR",
}


def tokens_of(text: str) -> list[str]:
    (tokenized, _), *_ = SpacyTokenizer().tokenize([(text, [], DEFAULT_LANGUAGE, None)])
    return tokenized.words


@pytest.mark.parametrize(("cluster", "expected"), CASES)
def test_no_token_splits_a_cluster(cluster, expected):
    assert tokens_of(f"see {cluster} now") == ["see", *expected, "now"]


def test_crlf_is_one_token_as_spacy_has_it():
    assert tokens_of("a\r\nb") == ["a", "\r\n", "b"]


def test_docbin_tokens_are_whole_clusters(project, tmp_path):
    fill_emoji(project)
    out = tmp_path / "emoji.spacy"
    report = export(project, "spacy", out)
    assert not report.adjusted and not report.dropped
    (written,) = DocBin().from_disk(out).get_docs(shared_blank("en").vocab)
    assert written.text == TEXT
    for cluster, expected in CASES:
        start = TEXT.index(cluster)
        assert [t.text for t in written.char_span(start, start + len(cluster))] == expected
    assert {(s.text, s.label_) for s in written.spans["sc"]} == set(LABELS.items())


def test_conll_and_hf_tag_exactly_the_emoji(project, tmp_path):
    fill_emoji(project)
    conll, hf = tmp_path / "emoji.conll", tmp_path / "emoji.jsonl"
    for fmt, out in (("conll", conll), ("hf", hf)):
        report = export(project, fmt, out)
        assert not report.adjusted and not report.dropped, fmt
    rows = [line.split(" ") for line in conll.read_text("utf-8").splitlines()[2:] if line]
    conll_tagged = [(row[0], row[3]) for row in rows if row[3] != "O"]
    record = json.loads(hf.read_text("utf-8"))
    names = record["ner_tag_names"]
    hf_tagged = [
        (token, names[tag])
        for token, tag in zip(record["tokens"], record["ner_tags"], strict=True)
        if tag
    ]
    expected = [
        (token, ("B-" if n == 0 else "I-") + label)
        for cluster, tokens in CASES
        for label in [LABELS[cluster]]
        for n, token in enumerate(tokens)
    ]
    assert conll_tagged == hf_tagged == expected
    assert "\u200d" not in [row[0] for row in rows]


def fill_emoji(project) -> int:
    """One verbatim document with a span over each cluster case."""
    doc = next(iter(project.add_document(TEXT, title="emoji", verbatim=True).documents))
    for cluster, label in LABELS.items():
        start = TEXT.index(cluster)
        project.add_span(doc, "alice", label, start, start + len(cluster))
    return doc
