"""The token formats' tokenizer works on columns of the Doc: sentence starts by the sentencizer's
rule without running it (nlp.sentences.sentence_starts), ranges on token boundaries found by
bisection without a spaCy Span, and tokens merged where they split a grapheme cluster, found by
a scan of the code points (nlp.tokenise.whole_graphemes)."""

from __future__ import annotations

import pytest

from annotator.core.offsets import is_grapheme_boundary
from annotator.io.writers.tokenizer import TokenRange
from annotator.nlp.formats import tokenizer as tokenizer_module
from annotator.nlp.formats.tokenizer import SpacyTokenizer
from annotator.nlp.languages import tokenised
from annotator.nlp.loading import shared_blank
from annotator.nlp.sentences import sentence_starts, sentencizer
from annotator.nlp.tokenise import EXPANDED, char_span_aligned, whole_graphemes

TEXTS = [
    "",
    " ",
    "One. Two! Three? four",
    "Hi!!! There... ok?! 'Yes.' (No.) \"Quoted.\" Next",
    "Mr. Smith said so.\r\n\r\nA heading\nThe next line 🚁. Done",
    "Baykar sells the TB2 🚁 to Kyiv.\r\nThe 👩‍👩‍👧 family: 🇹🇷🇺🇦!",
    "Cafe\u0301 owners. Ne\u0301e\u0301 agrees\u2026 yes",
    "עברית. مرحبا؟ שלום!",
    "日本語の文です。次の文！ 中文。",
    "...",
    "\r\n",
    "x\u200d👩 a\u0301\u0302. \U0001f44d\U0001f3fd ok",
]
"""Sentence ends, quotes and brackets, CRLF, emoji (ZWJ, skin tones, flags), combining marks,
RTL and CJK."""


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_starts_are_the_sentencizers(text):
    from spacy.attrs import IS_PUNCT, SENT_START

    doc = tokenised(text, [], "en")
    columns = doc.to_array([IS_PUNCT, SENT_START])
    words = [token.text for token in doc]
    found = sentence_starts(words, (columns[:, 0] != 0).tolist(), columns[:, 1].tolist())
    expected = [bool(token.is_sent_start) for token in sentencizer()(tokenised(text, [], "en"))]
    assert found == expected


def test_a_start_already_set_is_kept():
    assert sentence_starts(["a", ".", "b", "c"], [False, True, False, False], [0, 0, -1, 1]) == [
        True,
        False,
        False,  # the rule would start a sentence here; the doc says it does not
        True,  # and here the doc says it does
    ]


def test_the_token_formats_never_run_the_sentencizer(monkeypatch):
    from spacy.pipeline import Sentencizer

    expected = [
        [bool(token.is_sent_start) for token in sentencizer()(tokenised(text, [], "en"))]
        for text in TEXTS
    ]

    def refused(self, doc):
        raise AssertionError("the sentencizer ran over a Doc's Token objects")

    monkeypatch.setattr(Sentencizer, "__call__", refused)
    texts = [(text, [], "en", n) for n, text in enumerate(TEXTS)]
    tokenized = list(SpacyTokenizer().tokenize(texts))
    assert [n for _, n in tokenized] == list(range(len(TEXTS)))
    assert [found.sentence_starts for found, _ in tokenized] == expected


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_never_split_a_grapheme_cluster(text):
    tokenizer = shared_blank("en").tokenizer
    starts = [token.idx for token in whole_graphemes(tokenizer(text), text)]
    kept = [token.idx for token in tokenizer(text) if is_grapheme_boundary(text, token.idx)]
    assert starts == kept  # only the tokens that started inside a cluster were merged


def reference_alignment(doc, text: str, start: int, end: int) -> TokenRange | None:
    """A range aligned as char_span_aligned aligns it (what every range went through)."""
    span, how = char_span_aligned(doc, start, end, text=text)
    if span is None:
        return None
    grown = span.end_char - span.start_char - len(text[start:end].strip())
    return TokenRange(span.start, span.end, how, grown if how == EXPANDED else 0)


@pytest.mark.parametrize("text", TEXTS)
def test_every_range_is_aligned_as_char_span_aligned_aligns_it(text):
    ranges = [
        (start, end) for start in range(-1, len(text) + 1) for end in range(-1, len(text) + 2)
    ]
    (tokenized, _), *_ = SpacyTokenizer().tokenize([(text, ranges, "en", None)])
    doc = tokenised(text, ranges, "en")
    assert tokenized.ranges == [reference_alignment(doc, text, *pair) for pair in ranges]


def test_ranges_on_token_boundaries_build_no_spacy_span(monkeypatch):
    text = "Baykar sells the TB2 🚁 to Kyiv.\r\nThe 👩‍👩‍👧 family."
    strict = [(0, 6), (17, 20), (0, 20), (21, 22), (text.index("👩"), text.index(" family"))]
    misaligned = [(1, 6), (17, 21)]
    asked = []

    def counted(doc, start, end, label=None, *, text=None):
        asked.append((start, end))
        return char_span_aligned(doc, start, end, label, text=text)

    monkeypatch.setattr(tokenizer_module, "char_span_aligned", counted)
    (tokenized, _), *_ = SpacyTokenizer().tokenize([(text, strict + misaligned, "en", None)])
    assert asked == misaligned
    assert [found.how for found in tokenized.ranges] == ["strict"] * 5 + ["expanded", "trimmed"]
