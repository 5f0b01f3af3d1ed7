"""Tokens and IOB2 tags for the token formats (CoNLL, Hugging Face): one tokenisation, one rule.

Tokens and sentence starts are those a document was imported with (CoNLL, DocBin, XMI), else
come from the Tokenizer the writer was registered with (spaCy's rules for the project's language,
CJK segmented so spans keep their extent, no token splitting a grapheme cluster, and the
sentencizer: annotator.nlp.formats); whitespace tokens are left out.
Sentences end at the tokenizer's sentence starts and at line breaks, but never inside a span.
The tokenizer aligns spans by the policy of docs/architecture.md (strict, trimmed, expanded;
never contracted); a span the tokens would widen by more than span_growth.MAX_GROWTH characters
is left out, with an error in the report naming it.
IOB2 holds one tag per token, so overlapping spans are reduced to a non-overlapping selection
with spacy.util.filter_spans' rule: longest (in tokens) first, then earliest; ties keep the
first span given. Every adjusted or dropped span is counted in the report.

A document longer than `PIECE` characters is tokenised in pieces (spaCy refuses a text over its
`max_length`, 1,000,000, and one Doc of a whole book is large): each piece ends after a line
break, else after whitespace, and never inside a span, so its tokens and tags are those of the
whole text (tokens never cross whitespace); only where a piece has to end at whitespace inside
a line does a sentence end there. A stretch with no such place (one span or token longer than
a piece) stays in one longer piece.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

from annotator.core.model import Span, Tokenisation
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.span_growth import MAX_GROWTH, growth_error
from annotator.io.writers.stored_tokens import stored_tokenized
from annotator.io.writers.tokenizer import TokenizedText, Tokenizer

OUTSIDE = "O"
TRIMMED = "trimmed of surrounding whitespace to fit tokens"
EXPANDED = "expanded to token boundaries (the span began or ended inside a token)"
UNALIGNABLE = "whitespace only or outside the text (no token to tag)"
DUPLICATE = "same tokens and label as another span (IOB2 holds it once)"
OVERLAPPING = "overlapping another span (IOB2 has one tag per token)"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
PIECE = 200_000
"""Characters tokenised at a time, at most (see the module docstring)."""

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


def tagged_documents(
    items: Iterable[ExportItem], report: ExportReport, tokenizer: Tokenizer
) -> Iterator[TaggedDocument]:
    """Tag each item as it streams by: with the tokens it was imported with when it has them
    (io.writers.stored_tokens), else tokenised (the tokenizer batches the texts, long ones in
    pieces)."""
    for stored, run in groupby(items, key=lambda item: item.tokens is not None):
        if not stored:
            yield from _tokenised(run, report, tokenizer)
            continue
        yield from (_with_stored(item, item.tokens, report) for item in run if item.tokens)


def _with_stored(item: ExportItem, tokens: Tokenisation, report: ExportReport) -> TaggedDocument:
    """The item tagged on the tokens it was imported with."""
    ranges = [(span.start, span.end) for span in item.spans]
    tokenized = stored_tokenized(item.document.text, tokens, ranges)
    spans = _token_spans(tokenized, item, item.spans, report)
    return TaggedDocument(item, _sentences(tokenized, spans))


def _tokenised(
    items: Iterable[ExportItem], report: ExportReport, tokenizer: Tokenizer
) -> Iterator[TaggedDocument]:
    """Tokenise and tag each item as it streams by."""
    pieces = (
        (text, [(span.start, span.end) for span in spans], item.language, (item, spans, last))
        for item in items
        for text, spans, last in _pieces(item)
    )
    sentences: list[Sentence] = []
    for tokenized, (item, spans, last) in tokenizer.tokenize(pieces):
        sentences += _sentences(tokenized, _token_spans(tokenized, item, spans, report))
        if last:
            yield TaggedDocument(item, sentences)
            sentences = []


def _pieces(item: ExportItem) -> Iterator[tuple[str, list[Span], bool]]:
    """(text, its spans with offsets into it, whether it is the last) for each piece."""
    text, spans = item.document.text, item.spans
    if len(text) <= PIECE:
        yield text, spans, True
        return
    cuts = [*_cuts(text, spans), len(text)]
    starts = [0, *cuts[:-1]]
    by_piece: list[list[Span]] = [[] for _ in cuts]
    for span in spans:  # a span outside the text goes to the last piece, which drops it
        n = min(bisect.bisect_right(cuts, span.start), len(cuts) - 1)
        by_piece[n].append(replace(span, start=span.start - starts[n], end=span.end - starts[n]))
    for n, (start, end) in enumerate(zip(starts, cuts, strict=True)):
        yield text[start:end], by_piece[n], n == len(cuts) - 1


def _cuts(text: str, spans: Sequence[Span]) -> list[int]:
    """Where the pieces of a long text end (see the module docstring), in order."""
    covered = _covered(spans)
    starts = [start for start, _ in covered]
    cuts: list[int] = []
    begin = 0
    while len(text) - begin > PIECE:
        cut = _cut(text, begin, begin + PIECE, covered, starts)
        if cut >= len(text):
            break
        cuts.append(cut)
        begin = cut
    return cuts


def _cut(
    text: str, begin: int, limit: int, covered: list[tuple[int, int]], starts: list[int]
) -> int:
    """The last place in (begin, limit] after a line break, else after a space or tab, outside
    every span; else the end of the span or token that fills the window."""
    for characters in (_LINE_BREAKS, " \t"):
        end = limit
        while end > begin:
            found = max(text.rfind(c, begin, end) for c in characters)
            if found < 0:
                break
            inside = _inside(found + 1, covered, starts)
            if inside is None:
                return found + 1
            end = inside[0]  # look again before the span that holds this place
    after = min((i for i in (text.find(c, limit) for c in " \t") if i >= 0), default=len(text))
    inside = _inside(after + 1, covered, starts)
    return inside[1] if inside else after + 1


def _covered(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """The spans' [start, end) ranges merged into disjoint ones, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((s.start, s.end) for s in spans if s.start < s.end):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(
    place: int, covered: list[tuple[int, int]], starts: list[int]
) -> tuple[int, int] | None:
    """The merged span range that `place` falls strictly inside, if any."""
    n = bisect.bisect_left(starts, place) - 1
    if n >= 0 and covered[n][0] < place < covered[n][1]:
        return covered[n]
    return None


TokenSpan = tuple[int, int, str]
"""A span in tokens: (first token, end token, label)."""


def _token_spans(
    tokenized: TokenizedText, item: ExportItem, spans: Sequence[Span], report: ExportReport
) -> list[TokenSpan]:
    """Aligned, de-duplicated, non-overlapping (first token, end token, label) triples;
    `tokenized.ranges` are the spans' ranges, in order (`spans` may be a piece's, shifted)."""
    aligned: dict[TokenSpan, None] = {}
    for span, found in zip(spans, tokenized.ranges, strict=True):
        if found is None:
            report.dropped[UNALIGNABLE] += 1
            continue
        if found.grown > MAX_GROWTH:
            report.errors.append(_growth_error(item, span, found.grown))
            continue
        if found.how == "trimmed":
            report.adjusted[TRIMMED] += 1
        elif found.how == "expanded":
            report.adjusted[EXPANDED] += 1
        key = (found.first, found.end, span.label)
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


def _growth_error(item: ExportItem, span: Span, grown: int) -> str:
    """The report's line for a span that would grow too much (named by its stored offsets)."""
    stored = next((s for s in item.spans if s.id == span.id), span)
    doc = item.document
    return growth_error(doc.id, doc.title, span.label, doc.text, stored.start, stored.end, grown)


def _sentences(tokenized: TokenizedText, spans: list[TokenSpan]) -> list[Sentence]:
    """Tokens with their tags, split into sentences (never inside a span), whitespace left out."""
    tags = [OUTSIDE] * len(tokenized.words)
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        tags[start + 1 : end] = [f"I-{label}"] * (end - start - 1)
    sentences: list[Sentence] = []
    current: Sentence = []
    boundary = False
    tokens = zip(tokenized.words, tokenized.spaces, tokenized.sentence_starts, tags, strict=True)
    for word, is_space, starts_sentence, tag in tokens:
        boundary = boundary or starts_sentence
        if is_space:
            boundary = boundary or not _LINE_BREAKS.isdisjoint(word)
            continue
        if boundary and current and not tag.startswith("I-"):
            sentences.append(current)
            current = []
        current.append((word, tag))
        boundary = False
    if current:
        sentences.append(current)
    return sentences
