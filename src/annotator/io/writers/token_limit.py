"""A tagged document cut into records of at most N tokens (the HF export's `--max-tokens`).

Records end at sentence boundaries: sentences are packed in order while they fit. A sentence
longer than N is cut at token boundaries, never inside a span where a cut outside one fits;
only a span longer than N tokens is cut (its next part starts with B-, and the report says so).
Each record knows its character offset in the document and its tokens' offsets from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.io.writers.base import ExportReport
from annotator.io.writers.iob import Sentence, TaggedDocument

LONG_SENTENCE = "sentence(s) longer than the token limit cut at token boundaries"
CUT_SPAN = "span(s) longer than the token limit cut across records (each part starts with B-)"


@dataclass(frozen=True, slots=True)
class Record:
    """Part of a document: its tokens and tags, where its first token starts in the document's
    text, and each token's start relative to that."""

    offset: int
    tokens: list[str]
    tags: list[str]
    token_offsets: list[int]


def limited_records(tagged: TaggedDocument, max_tokens: int, report: ExportReport) -> list[Record]:
    """The document as records of at most `max_tokens` tokens, in order (one empty record for
    a document without tokens); cut sentences and spans are counted in `report.notes`."""
    pieces: list[Sentence] = []
    for sentence in tagged.sentences:
        if len(sentence) > max_tokens:
            report.notes[LONG_SENTENCE] += 1
            pieces += _cut(sentence, max_tokens, report)
        else:
            pieces.append(sentence)
    groups: list[Sentence] = [[]]
    for piece in pieces:
        if groups[-1] and len(groups[-1]) + len(piece) > max_tokens:
            groups.append([])
        groups[-1] += piece
    starts = token_starts(tagged.item.document.text, tagged.tokens)
    records, first = [], 0
    for group in groups:
        offset = starts[first] if group else 0
        tokens, tags = [token for token, _ in group], [tag for _, tag in group]
        offsets = [start - offset for start in starts[first : first + len(group)]]
        records.append(Record(offset, tokens, tags, offsets))
        first += len(group)
    return records


def _cut(sentence: Sentence, max_tokens: int, report: ExportReport) -> list[Sentence]:
    """A long sentence in parts of at most `max_tokens`, each cut before a token that does not
    continue a span when there is one; else the span is cut and its next part starts with B-."""
    parts: list[Sentence] = []
    rest = sentence
    while len(rest) > max_tokens:
        cut = next((c for c in range(max_tokens, 0, -1) if not rest[c][1].startswith("I-")), 0)
        if not cut:
            cut = max_tokens
            token, tag = rest[cut]
            rest = [*rest[:cut], (token, "B-" + tag[2:]), *rest[cut + 1 :]]
            report.notes[CUT_SPAN] += 1
        parts.append(rest[:cut])
        rest = rest[cut:]
    return [*parts, rest]


def token_starts(text: str, tokens: Sequence[str]) -> list[int]:
    """Each token's start in `text`: tokens are the text's own pieces in order, with only
    whitespace between them, so each is found at the first place after the one before."""
    starts: list[int] = []
    position = 0
    for token in tokens:
        position = text.index(token, position)
        starts.append(position)
        position += len(token)
    return starts
