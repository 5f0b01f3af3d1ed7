"""Char offsets to tokens: strict, then trimmed, then expanded, never contracted."""

from __future__ import annotations

import pytest

from annotator.nlp.tokenise import DROPPED, EXPANDED, STRICT, TRIMMED, char_span_aligned

TEXT = "Azerbaïjan; élite JF-17C buyers 🚀\r\nBaykar  TB2."


@pytest.fixture(scope="module")
def doc():
    import spacy

    return spacy.blank("en")(TEXT)


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("start", "end", "kind", "text"),
    [
        (*at("Azerbaïjan"), STRICT, "Azerbaïjan"),
        (*at("zerbaïjan"), EXPANDED, "Azerbaïjan"),
        (*at("JF-17"), EXPANDED, "JF-17C"),
        (*at("Baykar "), TRIMMED, "Baykar"),
        (*at(" élite"), TRIMMED, "élite"),
        (*at("Azerbaïjan; é"), EXPANDED, "Azerbaïjan; élite"),
        (*at("🚀"), STRICT, "🚀"),
        (*at("\r\n"), DROPPED, None),
        (5, 5, DROPPED, None),
        (0, len(TEXT) + 1, DROPPED, None),
    ],
)
def test_alignment_policy(doc, start, end, kind, text):
    span, found = char_span_aligned(doc, start, end, "ACTOR")
    assert found == kind
    assert (span.text if span is not None else None) == text
    if span is not None:
        assert span.label_ == "ACTOR"
        # never contracted: the span covers at least the requested non-space characters
        assert span.start_char <= start + (len(TEXT[start:end]) - len(TEXT[start:end].lstrip()))
