"""Inter-annotator agreement over the documents every chosen annotator has finished.

Pairwise span scores (core.agreement_spans) and relation scores per type
(core.agreement_relations), token kappa per pair and Krippendorff's alpha across all
(core.agreement_tokens), a token-level label confusion matrix and the documents with the lowest
agreement, counted a batch of documents at a time (core.agreement_counts). `compute_agreement`
(documents) and `batch_agreement` (batches) are pure; `project_agreement` reads a project.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from annotator.core.agreement_batch import DocumentLayers, LayerBatch, batch_of
from annotator.core.agreement_counts import count_batch
from annotator.core.agreement_relations import relation_counts
from annotator.core.agreement_spans import EXACT, OVERLAP, MatchCounts, round4
from annotator.core.agreement_tokens import OUTSIDE, AlphaTally, cohen_kappa
from annotator.core.progress import NullProgress, Progress, check_cancelled

__all__ = ["DocumentLayers"]  # defined with the batches; tests and callers import it here

ALL = "ALL"
"""The key of the micro total over every label."""
NONE = "none"
"""The confusion matrix's name for text one annotator marked and the other did not."""


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement of two annotators; the first is the reference for precision and recall."""

    first: str
    second: str
    exact: dict[str, MatchCounts]
    overlap: dict[str, MatchCounts]
    kappa: float | None
    units: int
    relations: dict[str, MatchCounts] = field(default_factory=dict)
    """Exact relation counts (type and both ends) per relation type."""

    @property
    def relations_total(self) -> MatchCounts:
        """Relation counts over every type (micro)."""
        return sum(self.relations.values(), MatchCounts())

    @property
    def exact_total(self) -> MatchCounts:
        """Exact-match counts over every label (micro)."""
        return sum(self.exact.values(), MatchCounts())

    @property
    def overlap_total(self) -> MatchCounts:
        """Overlap-match counts over every label (micro)."""
        return sum(self.overlap.values(), MatchCounts())


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    """How well the annotators agree on one document (means over pairs)."""

    id: int
    title: str
    overlap_f1: float
    """Mean pairwise overlap F1; a pair where neither marked anything counts as 1.0."""
    kappa: float | None
    """Mean pairwise token kappa; None for a document without tokens."""
    spans: int


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Everything the CLI and the dashboard show."""

    annotators: tuple[str, ...]
    documents: int
    units: int
    """Tokens per annotator: the units of kappa and alpha."""
    alpha: float | None
    pairs: list[PairAgreement] = field(default_factory=list)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    """(label, label) -> tokens x ordered annotator pairs; symmetric; NONE for "O"."""
    ranked: list[DocumentAgreement] = field(default_factory=list)
    """Every shared document, lowest agreement first."""

    @property
    def labels(self) -> list[str]:
        """Every label that occurs in a pair's spans, sorted."""
        return sorted({label for p in self.pairs for label in (*p.exact, *p.overlap)})

    def by_label(self, mode: str) -> dict[str, MatchCounts]:
        """Counts per label summed over every pair (exact or overlap)."""
        total: dict[str, MatchCounts] = {}
        for pair in self.pairs:
            _add(total, getattr(pair, mode))
        return dict(sorted(total.items()))

    def relation_rows(self) -> list[tuple[str, MatchCounts]]:
        """(relation type, exact counts) summed over every pair, then the micro total as ALL;
        empty when no compared layer holds a relation."""
        total: dict[str, MatchCounts] = {}
        for pair in self.pairs:
            _add(total, pair.relations)
        if not total:
            return []
        rows = sorted(total.items())
        return [*rows, (ALL, sum(total.values(), MatchCounts()))]

    def label_rows(self) -> list[tuple[str, MatchCounts, MatchCounts]]:
        """(label, exact, overlap) summed over every pair, then the micro total as ALL."""
        exact, overlap = self.by_label(EXACT), self.by_label(OVERLAP)
        rows = [(label, exact.get(label, MatchCounts()), overlap[label]) for label in overlap]
        totals = sum(exact.values(), MatchCounts()), sum(overlap.values(), MatchCounts())
        return [*rows, (ALL, *totals)]

    def to_dict(self, lowest: int = 10) -> dict[str, Any]:
        """JSON-ready: figures rounded to 4 places, null where undefined, `lowest` documents."""
        return {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "units": self.units,
            "alpha": round4(self.alpha),
            "pairs": [
                {
                    "first": p.first,
                    "second": p.second,
                    "kappa": round4(p.kappa),
                    "units": p.units,
                    EXACT: _by_label(p.exact),
                    OVERLAP: _by_label(p.overlap),
                    "relations": _by_label(p.relations),
                }
                for p in self.pairs
            ],
            "labels": {mode: _by_label(self.by_label(mode)) for mode in (EXACT, OVERLAP)},
            "relations": {name: c.to_dict() for name, c in self.relation_rows()},
            "confusion": [
                {"first": x, "second": y, "count": n} for (x, y), n in self.confusion.items()
            ],
            "lowest": [
                {
                    "id": d.id,
                    "title": d.title,
                    "overlap_f1": round4(d.overlap_f1),
                    "kappa": round4(d.kappa),
                    "spans": d.spans,
                }
                for d in self.ranked[:lowest]
            ],
        }


def _by_label(counts: dict[str, MatchCounts]) -> dict[str, Any]:
    """Counts per label and their micro total under ALL."""
    out = {label: c.to_dict() for label, c in counts.items()}
    out[ALL] = sum(counts.values(), MatchCounts()).to_dict()
    return out


BATCH = 500
"""Documents counted together (compute_agreement)."""


def compute_agreement(
    documents: Iterable[DocumentLayers],
    annotators: Sequence[str],
    progress: Progress | None = None,
    total: int = 0,
) -> AgreementReport:
    """Agreement of `annotators` over documents every one of them finished (progress counts
    the documents as they come; they are counted BATCH at a time)."""
    progress = progress or NullProgress()
    tally = _Tally(tuple(annotators))
    waiting: list[DocumentLayers] = []
    for count, doc in enumerate(documents, start=1):
        check_cancelled(progress)
        waiting.append(doc)
        if len(waiting) == BATCH:
            tally.add(batch_of(waiting, annotators))
            waiting = []
        progress.report(count, total)
    if waiting:
        tally.add(batch_of(waiting, annotators))
    return tally.report()


def batch_agreement(
    batches: Iterable[LayerBatch],
    annotators: Sequence[str],
    progress: Progress | None = None,
    total: int = 0,
) -> AgreementReport:
    """Agreement of `annotators` over batches of documents every one of them finished (their
    spans name the annotators by place in `annotators`); progress after each batch."""
    progress = progress or NullProgress()
    tally = _Tally(tuple(annotators))
    for batch in batches:
        check_cancelled(progress)
        tally.add(batch)
        progress.report(tally.documents, total)
    return tally.report()


class _Tally:
    """What the report needs, gathered batch by batch (core.agreement_counts)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.pairs = tuple(combinations(range(len(names)), 2))
        self.columns = (
            np.array([i for i, _ in self.pairs], np.int64),
            np.array([j for _, j in self.pairs], np.int64),
        )
        self.marked: dict[str, list[int]] = {}
        """Label -> distinct spans per annotator."""
        self.shared: dict[str, list[int]] = {}
        """Label -> distinct spans both annotators of each pair marked."""
        self.beyond: dict[str, list[int]] = {}
        """Label -> overlap matches beyond the exact ones, per pair."""
        self.relations: list[dict[str, MatchCounts]] = [{} for _ in self.pairs]
        self.units: Counter[tuple[str, ...]] = Counter()
        self.ranked: list[DocumentAgreement] = []
        self.documents = self.tokens = 0

    def add(self, batch: LayerBatch) -> None:
        """Count one batch for every pair."""
        counts = count_batch(batch, len(self.names), self.columns)
        for by_label, rows in (
            (self.marked, counts.marked),
            (self.shared, counts.shared),
            (self.beyond, counts.beyond),
        ):
            for label, row in zip(counts.labels, rows.tolist(), strict=True):
                total = by_label.setdefault(label, [0] * len(row))
                by_label[label] = [a + b for a, b in zip(total, row, strict=True)]
        self.units.update(counts.units)
        self.documents += len(batch.ids)
        self.tokens += counts.tokens
        for relations in batch.relations.values():
            for number, (i, j) in enumerate(self.pairs):
                first = relations.get(self.names[i], ())
                second = relations.get(self.names[j], ())
                _add(self.relations[number], relation_counts(first, second))
        self.ranked += map(
            DocumentAgreement,
            batch.ids,
            batch.titles,
            counts.overlap_f1,
            counts.kappa,
            batch.span_counts,
        )

    def report(self) -> AgreementReport:
        """The report over every document added."""
        self.ranked.sort(key=lambda d: (d.overlap_f1, 1.0 if d.kappa is None else d.kappa, d.id))
        tokens: list[Counter[tuple[str, str]]] = [Counter() for _ in self.pairs]
        for unit, count in self.units.items():
            for number, (i, j) in enumerate(self.pairs):
                tokens[number][unit[i], unit[j]] += count
        alpha = AlphaTally()
        alpha.add_units(self.units)
        return AgreementReport(
            annotators=self.names,
            documents=self.documents,
            units=self.tokens,
            alpha=alpha.alpha,
            pairs=[self._pair(number, tokens[number]) for number in range(len(self.pairs))],
            confusion=_confusion(tokens),
            ranked=self.ranked,
        )

    def _pair(self, number: int, tokens: Counter[tuple[str, str]]) -> PairAgreement:
        """The agreement of pair `number`, given its token label pairs."""
        i, j = self.pairs[number]
        exact = {}
        for label in sorted(self.marked):
            first, second = self.marked[label][i], self.marked[label][j]
            tp = self.shared[label][number]
            if first or second:
                exact[label] = MatchCounts(tp, second - tp, first - tp)
        overlap = {
            label: MatchCounts(
                c.tp + self.beyond[label][number],
                c.fp - self.beyond[label][number],
                c.fn - self.beyond[label][number],
            )
            for label, c in exact.items()
        }
        relations = dict(sorted(self.relations[number].items()))
        return PairAgreement(
            self.names[i],
            self.names[j],
            exact,
            overlap,
            cohen_kappa(tokens),
            self.tokens,
            relations,
        )


def _add(total: dict[str, MatchCounts], counts: dict[str, MatchCounts]) -> None:
    for label, more in counts.items():
        total[label] = total.get(label, MatchCounts()) + more


def _confusion(pair_tokens: Iterable[Counter[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """Token label pairs of every annotator pair, counted in both orders, "O" named NONE."""
    matrix: Counter[tuple[str, str]] = Counter()
    for counts in pair_tokens:
        for (x, y), n in counts.items():
            x, y = (NONE if x == OUTSIDE else x), (NONE if y == OUTSIDE else y)
            matrix[x, y] += n
            matrix[y, x] += n
    return dict(sorted(matrix.items()))
