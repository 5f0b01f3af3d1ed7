"""Tokens and IOB2 tags for the token formats (CoNLL, Hugging Face): one tokenisation, one rule.

Tokens come from spaCy's blank English tokenizer (through annotator.nlp, imported lazily);
whitespace tokens are left out. Sentences end at spaCy's sentencizer boundaries and at line
breaks, but never inside a span. Spans are aligned by DESIGN.md's policy (strict, trimmed,
expanded; never contracted). IOB2 holds one tag per token, so overlapping spans are reduced to a
non-overlapping selection with spacy.util.filter_spans' rule: longest (in tokens) first, then
earliest; ties keep the first span given. Every adjusted or dropped span is counted in the report.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Span
from annotator.io.writers.base import ExportItem, ExportReport

OUTSIDE = "O"
TRIMMED = "trimmed of surrounding whitespace to fit tokens"
EXPANDED = "expanded to token boundaries (the span began or ended inside a token)"
UNALIGNABLE = "whitespace only or outside the text (no token to tag)"
DUPLICATE = "same tokens and label as another span (IOB2 holds it once)"
OVERLAPPING = "overlapping another span (IOB2 has one tag per token)"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")

Sentence = list[tuple[str, str]]
"""(token, IOB2 tag) pairs of one sentence."""


@dataclass(frozen=True, slots=True)
class TaggedDocument:
    """One exported document as sentences of (token, tag) pairs."""

    item: ExportItem
    sentences: list[Sentence]

    @property
    def tokens(self) -> list[str]:
        """Every token of the document, in order."""
        return [token for sentence in self.sentences for token, _ in sentence]

    @property
    def tags(self) -> list[str]:
        """Every token's IOB2 tag, in order."""
        return [tag for sentence in self.sentences for _, tag in sentence]


def tag_names(labels: Sequence[str]) -> list[str]:
    """The IOB2 tag set with stable ids: O = 0, then B-label and I-label per label in order."""
    return [OUTSIDE, *(f"{prefix}-{label}" for label in labels for prefix in ("B", "I"))]


def tagged_documents(items: Iterable[ExportItem], report: ExportReport) -> Iterator[TaggedDocument]:
    """Tokenise and tag each item as it streams by (spaCy batches the texts)."""
    nlp = _pipeline()
    pairs = ((item.document.text, item) for item in items)
    for doc, item in nlp.pipe(pairs, as_tuples=True, batch_size=256):
        yield TaggedDocument(item, _sentences(doc, _token_spans(doc, item.spans, report)))


@functools.cache
def _pipeline() -> Any:  # a spaCy Language (spaCy stays inside annotator.nlp)
    """spaCy's blank English tokenizer plus the rule-based sentencizer, built once."""
    from annotator.nlp.loading import blank

    nlp = blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


TokenSpan = tuple[int, int, str]
"""A span in tokens: (first token, end token, label)."""


def _token_spans(doc: Any, spans: Sequence[Span], report: ExportReport) -> list[TokenSpan]:
    """Aligned, de-duplicated, non-overlapping (first token, end token, label) triples."""
    from annotator.nlp import tokenise

    aligned: dict[TokenSpan, None] = {}
    text = doc.text  # Doc.text rebuilds the string on every access
    for span in spans:
        found, how = tokenise.char_span_aligned(doc, span.start, span.end, text=text)
        if found is None:
            report.dropped[UNALIGNABLE] += 1
            continue
        if how == tokenise.TRIMMED:
            report.adjusted[TRIMMED] += 1
        elif how == tokenise.EXPANDED:
            report.adjusted[EXPANDED] += 1
        key = (found.start, found.end, span.label)
        if key in aligned:
            report.dropped[DUPLICATE] += 1
        aligned[key] = None
    kept: list[TokenSpan] = []
    taken: set[int] = set()
    for start, end, label in sorted(aligned, key=lambda s: (s[1] - s[0], -s[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end, label))
            taken.update(range(start, end))
        else:
            report.dropped[OVERLAPPING] += 1
    return kept


def _sentences(doc: Any, spans: list[TokenSpan]) -> list[Sentence]:
    """Tokens with their tags, split into sentences (never inside a span), whitespace left out."""
    tags = [OUTSIDE] * len(doc)
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        tags[start + 1 : end] = [f"I-{label}"] * (end - start - 1)
    sentences: list[Sentence] = []
    current: Sentence = []
    boundary = False
    for token, tag in zip(doc, tags, strict=True):
        boundary = boundary or token.is_sent_start
        if token.is_space:
            boundary = boundary or not _LINE_BREAKS.isdisjoint(token.text)
            continue
        if boundary and current and not tag.startswith("I-"):
            sentences.append(current)
            current = []
        current.append((token.text, tag))
        boundary = False
    if current:
        sentences.append(current)
    return sentences
