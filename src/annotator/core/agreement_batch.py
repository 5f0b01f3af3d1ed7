"""The documents agreement compares, as one document at a time (DocumentLayers) or as a batch
of documents in columns (LayerBatch: what the project read gives and the counting works on)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement_spans import Key
from annotator.core.relation_keys import RelationKey

DOCUMENT, ANNOTATOR, LABEL, START, END = range(5)
"""The columns of LayerBatch.spans."""


@dataclass(frozen=True, slots=True)
class DocumentLayers:
    """One shared document: its text and each chosen annotator's spans and relations."""

    id: int
    title: str
    text: str
    layers: dict[str, list[Key]]
    relations: dict[str, list[RelationKey]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LayerBatch:
    """Several shared documents in columns: a row per span (its document's place in the batch,
    its annotator's place among the chosen, its label's place in `labels`, start, end)."""

    ids: list[int]
    titles: list[str]
    texts: list[str]
    labels: list[str]
    """The labels the rows name, sorted."""
    spans: NDArray[np.int64]
    span_counts: list[int]
    """Spans per document, as its DocumentAgreement counts them."""
    relations: dict[int, dict[str, list[RelationKey]]] = field(default_factory=dict)
    """By document place: each chosen annotator's relations (documents with none left out)."""


def batch_of(documents: Sequence[DocumentLayers], annotators: Sequence[str]) -> LayerBatch:
    """These documents as one batch (the spans of `annotators` only)."""
    rows: list[tuple[int, int, str, int, int]] = []
    relations: dict[int, dict[str, list[RelationKey]]] = {}
    for place, doc in enumerate(documents):
        for column, name in enumerate(annotators):
            rows += ((place, column, label, s, e) for label, s, e in doc.layers.get(name, ()))
        if any(doc.relations.values()):
            relations[place] = doc.relations
    labels = sorted({label for _, _, label, _, _ in rows})
    code = {label: number for number, label in enumerate(labels)}
    spans = np.array([(d, a, code[label], s, e) for d, a, label, s, e in rows], np.int64)
    return LayerBatch(
        [doc.id for doc in documents],
        [doc.title for doc in documents],
        [doc.text for doc in documents],
        labels,
        spans.reshape(-1, 5),
        [sum(len(keys) for keys in doc.layers.values()) for doc in documents],
        relations,
    )


def documents_of(batch: LayerBatch, annotators: Sequence[str]) -> Iterator[DocumentLayers]:
    """The documents of a batch one by one, each annotator's spans by position."""
    order = np.lexsort(batch.spans[:, [END, START, DOCUMENT]].T)
    rows = batch.spans[order].tolist()
    at = 0
    for place, (doc_id, title, text) in enumerate(
        zip(batch.ids, batch.titles, batch.texts, strict=True)
    ):
        layers: dict[str, list[Key]] = {name: [] for name in annotators}
        while at < len(rows) and rows[at][DOCUMENT] == place:
            _, column, label, start, end = rows[at]
            layers[annotators[column]].append((batch.labels[label], start, end))
            at += 1
        relations = batch.relations.get(place, {name: [] for name in annotators})
        yield DocumentLayers(doc_id, title, text, layers, relations)
