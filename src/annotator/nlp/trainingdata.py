"""Training data from a project layer: documents, a split by document, and spaCy Docs."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from annotator.nlp.evaluation import Key
from annotator.nlp.tokenise import DROPPED, char_span_aligned

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPANS_KEY = "sc"
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True, slots=True)
class LayerDocument:
    """One document of the layer: its text and its spans (label, start, end)."""

    id: int
    text: str
    spans: tuple[Key, ...]


@dataclass(slots=True)
class DocStats:
    """What turning layer documents into spaCy Docs did: alignment, lengths, NER filtering."""

    alignment: Counter = field(default_factory=Counter)
    spans_per_label: Counter = field(default_factory=Counter)
    longest_tokens: int = 0
    ner_entities: int = 0
    ner_dropped: int = 0

    def add(self, other: DocStats) -> DocStats:
        """The sum of two tallies."""
        return DocStats(
            self.alignment + other.alignment,
            self.spans_per_label + other.spans_per_label,
            max(self.longest_tokens, other.longest_tokens),
            self.ner_entities + other.ner_entities,
            self.ner_dropped + other.ner_dropped,
        )


def collect_layer(project: Any, layer: str) -> list[LayerDocument]:
    """Documents whose layer has spans or is marked done (done with no spans = negatives)."""
    from annotator.core.layers import Layer

    documents = []
    with project.snapshot():  # one read transaction; a few statements per chunk of documents
        resolved = Layer(project, layer)
        done = set(project.document_ids(resolved.done_filter()))
        for read in resolved.read(project.document_ids()):
            spans = sorted({(s.label, s.start, s.end) for s in read.spans})
            if spans or read.document.id in done:
                documents.append(LayerDocument(read.document.id, read.document.text, tuple(spans)))
    return documents


def split_documents(
    documents: Sequence[LayerDocument], holdout: float, seed: int
) -> tuple[list[LayerDocument], list[LayerDocument]]:
    """(train, dev) by document, the same for the same ids and seed; both non-empty."""
    if not 0 < holdout < 1:
        raise ValueError("holdout must be between 0 and 1 (exclusive)")
    ordered = sorted(documents, key=lambda d: d.id)
    random.Random(seed).shuffle(ordered)
    n_dev = min(max(1, round(len(ordered) * holdout)), len(ordered) - 1)
    return ordered[n_dev:], ordered[:n_dev]


def paragraph_pieces(document: LayerDocument, max_words: int) -> list[LayerDocument]:
    """The document cut at blank lines no span crosses, into pieces of about max_words words
    (training memory grows with example length); short documents stay whole."""
    if len(document.text.split()) <= max_words:
        return [document]
    text = document.text
    inside = [False] * (len(text) + 1)  # True where a cut would split a span
    for _, start, end in document.spans:
        for i in range(start + 1, end):
            inside[i] = True
    cuts = [m.end() for m in _BLANK_LINE.finditer(text) if 0 < m.end() < len(text)]
    bounds = [0, *(c for c in cuts if not inside[c]), len(text)]
    pieces, first, words = [], 0, 0
    for a, b in pairwise(bounds):
        paragraph = len(text[a:b].split())
        if words and words + paragraph > max_words:
            pieces.append((first, a))
            first, words = a, 0
        words += paragraph
    pieces.append((first, len(text)))
    return [
        LayerDocument(
            document.id,
            document.text[a:b],
            tuple((label, s - a, e - a) for label, s, e in document.spans if a <= s and e <= b),
        )
        for a, b in pieces
    ]


def to_spacy_docs(
    nlp: Language, documents: Sequence[LayerDocument], *, ner: bool
) -> tuple[list[Doc], DocStats]:
    """Tokenised Docs with spans in doc.spans['sc'] (and, for NER, non-overlapping doc.ents)."""
    stats = DocStats()
    docs = []
    for document, doc in zip(documents, nlp.tokenizer.pipe(d.text for d in documents), strict=True):
        spans: dict[tuple[str, int, int], Span] = {}
        for label, start, end in document.spans:
            span, kind = char_span_aligned(doc, start, end, label, text=document.text)
            stats.alignment[kind] += 1
            if kind != DROPPED and span is not None:
                spans.setdefault((label, span.start, span.end), span)
        group = sorted(spans.values(), key=lambda s: (s.start, s.end, s.label_))
        doc.spans[SPANS_KEY] = group
        stats.spans_per_label.update(s.label_ for s in group)
        stats.longest_tokens = max([stats.longest_tokens, *(len(s) for s in group)])
        if ner:
            kept, dropped = _set_entities(doc, group)
            stats.ner_entities += kept
            stats.ner_dropped += dropped
        docs.append(doc)
    return docs, stats


def _set_entities(doc: Doc, spans: list[Span]) -> tuple[int, int]:
    """Spans that overlap no other become entities; overlap clusters are marked missing.

    Marking them missing (not outside) keeps NER from learning that those tokens are no
    entity. Returns (entities kept, spans dropped).
    """
    clusters: list[list[Span]] = []
    cluster_end = -1
    for span in spans:  # sorted by start
        if clusters and span.start < cluster_end:
            clusters[-1].append(span)
            cluster_end = max(cluster_end, span.end)
        else:
            clusters.append([span])
            cluster_end = span.end
    entities, missing, dropped = [], [], 0
    for cluster in clusters:
        if len(cluster) == 1:
            entities.append(cluster[0])
        else:
            dropped += len(cluster)
            missing.append(doc[cluster[0].start : max(s.end for s in cluster)])
    doc.set_ents(entities, missing=missing, default="outside")
    return len(entities), dropped
