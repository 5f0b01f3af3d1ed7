"""Inter-annotator agreement over the documents every chosen annotator has finished.

Pairwise span scores (core.agreement_spans) and relation scores per type
(core.agreement_relations), token kappa per pair and Krippendorff's alpha across all
(core.agreement_tokens), a token-level label confusion matrix and the documents with the lowest
agreement. `compute_agreement` is pure; `project_agreement` reads a project.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean
from typing import Any

from annotator.core.agreement_relations import relation_counts
from annotator.core.agreement_spans import (
    EXACT,
    OVERLAP,
    Key,
    MatchCounts,
    match_counts,
    round4,
)
from annotator.core.agreement_tokens import (
    OUTSIDE,
    AlphaTally,
    cohen_kappa,
    token_labels,
    tokenize,
)
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.relation_keys import RelationKey

ALL = "ALL"
"""The key of the micro total over every label."""
NONE = "none"
"""The confusion matrix's name for text one annotator marked and the other did not."""


@dataclass(frozen=True, slots=True)
class DocumentLayers:
    """One shared document: its text and each chosen annotator's spans and relations."""

    id: int
    title: str
    text: str
    layers: dict[str, list[Key]]
    relations: dict[str, list[RelationKey]] = field(default_factory=dict)


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


def compute_agreement(
    documents: Iterable[DocumentLayers],
    annotators: Sequence[str],
    progress: Progress | None = None,
    total: int = 0,
) -> AgreementReport:
    """Agreement of `annotators` over documents every one of them finished."""
    progress = progress or NullProgress()
    names = tuple(annotators)
    pairs = list(combinations(names, 2))
    spans: dict[tuple[tuple[str, str], str], dict[str, MatchCounts]] = {
        (p, m): {} for p in pairs for m in (EXACT, OVERLAP)
    }
    relations: dict[tuple[str, str], dict[str, MatchCounts]] = {p: {} for p in pairs}
    tokens: dict[tuple[str, str], Counter[tuple[str, str]]] = {p: Counter() for p in pairs}
    alpha, ranked, count, units = AlphaTally(), [], 0, 0
    for count, doc in enumerate(documents, start=1):
        check_cancelled(progress)
        words = tokenize(doc.text)
        marked: dict[str, set[int]] = {name: set() for name in names}
        columns = {
            name: token_labels(words, doc.layers.get(name, ()), marked[name]) for name in names
        }
        alpha.add([columns[name] for name in names], set().union(*marked.values()))
        units += len(words)
        f1s, kappas = [], []
        for a, b in pairs:
            counts = match_counts(doc.layers.get(a, ()), doc.layers.get(b, ()))
            _add(spans[(a, b), EXACT], counts[EXACT])
            _add(spans[(a, b), OVERLAP], counts[OVERLAP])
            f1s.append(sum(counts[OVERLAP].values(), MatchCounts()).f1)
            _add(
                relations[a, b], relation_counts(doc.relations.get(a, ()), doc.relations.get(b, ()))
            )
            doc_tokens = _token_pairs(columns[a], columns[b], marked[a] | marked[b])
            tokens[a, b].update(doc_tokens)
            kappas.append(cohen_kappa(doc_tokens))
        ranked.append(_document_agreement(doc, f1s, kappas))
        progress.report(count, total)
    ranked.sort(key=lambda d: (d.overlap_f1, 1.0 if d.kappa is None else d.kappa, d.id))
    return AgreementReport(
        annotators=names,
        documents=count,
        units=units,
        alpha=alpha.alpha,
        pairs=[
            PairAgreement(
                a,
                b,
                dict(sorted(spans[(a, b), EXACT].items())),
                dict(sorted(spans[(a, b), OVERLAP].items())),
                cohen_kappa(tokens[a, b]),
                units,
                dict(sorted(relations[a, b].items())),
            )
            for a, b in pairs
        ],
        confusion=_confusion(tokens.values()),
        ranked=ranked,
    )


def _token_pairs(first: list[str], second: list[str], marked: set[int]) -> Counter[tuple[str, str]]:
    """Counts of (first label, second label) per token; tokens outside `marked` are O/O."""
    pairs = Counter((first[i], second[i]) for i in marked)
    if len(first) > len(marked):
        pairs[OUTSIDE, OUTSIDE] += len(first) - len(marked)
    return pairs


def _add(total: dict[str, MatchCounts], counts: dict[str, MatchCounts]) -> None:
    for label, more in counts.items():
        total[label] = total.get(label, MatchCounts()) + more


def _document_agreement(
    doc: DocumentLayers, f1s: list[float | None], kappas: list[float | None]
) -> DocumentAgreement:
    defined = [k for k in kappas if k is not None]
    return DocumentAgreement(
        doc.id,
        doc.title,
        fmean(1.0 if f is None else f for f in f1s) if f1s else 1.0,
        fmean(defined) if defined else None,
        sum(len(spans) for spans in doc.layers.values()),
    )


def _confusion(pair_tokens: Iterable[Counter[tuple[str, str]]]) -> dict[tuple[str, str], int]:
    """Token label pairs of every annotator pair, counted in both orders, "O" named NONE."""
    matrix: Counter[tuple[str, str]] = Counter()
    for counts in pair_tokens:
        for (x, y), n in counts.items():
            x, y = (NONE if x == OUTSIDE else x), (NONE if y == OUTSIDE else y)
            matrix[x, y] += n
            matrix[y, x] += n
    return dict(sorted(matrix.items()))
