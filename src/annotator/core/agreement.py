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
from functools import lru_cache
from itertools import combinations
from math import fsum
from typing import Any

from annotator.core.agreement_relations import relation_counts
from annotator.core.agreement_spans import (
    EXACT,
    OVERLAP,
    Key,
    MatchCounts,
    overlap_matches,
    round4,
)
from annotator.core.agreement_tokens import (
    OUTSIDE,
    AlphaTally,
    cohen_kappa,
    kappa,
    token_bounds,
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
    tally = _Tally(tuple(annotators))
    for count, doc in enumerate(documents, start=1):
        check_cancelled(progress)
        tally.add(doc)
        progress.report(count, total)
    return tally.report()


class _Tally:
    """What the report needs, gathered document by document.

    Each document is tokenised once for every pair, and only counted (core.agreement_tokens
    `token_bounds`): the span boundaries cut its tokens into segments, every annotator labels
    each segment, and a segment is one unit tuple (a label per annotator) weighing its tokens.
    Kappa, alpha and the confusion matrix come from those tuples; exact span counts from how
    many distinct spans each set of annotators shares, per label.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.pairs = tuple(combinations(range(len(names)), 2))
        self.shared: Counter[tuple[str, int]] = Counter()
        """(label, bit mask of the annotators who marked it) -> distinct spans."""
        self.beyond: list[Counter[str]] = [Counter() for _ in self.pairs]
        """Per pair, label -> overlap matches beyond the exact ones."""
        self.relations: list[dict[str, MatchCounts]] = [{} for _ in self.pairs]
        self.units: Counter[tuple[str, ...]] = Counter()
        self.ranked: list[DocumentAgreement] = []
        self.documents = self.tokens = 0

    def add(self, doc: DocumentLayers) -> None:
        """Count one document for every pair."""
        layers = [set(doc.layers.get(name, ())) for name in self.names]
        shared: dict[Key, int] = {}
        for index, keys in enumerate(layers):
            for key in keys:
                shared[key] = shared.get(key, 0) | 1 << index
        for (label, _, _), mask in shared.items():
            self.shared[label, mask] += 1
        units, tokens = _units(doc.text, shared, len(layers))
        self.documents += 1
        self.tokens += tokens
        self.units.update(units)
        f1s = self._overlap(layers, shared)
        kappas = _kappas(units, tokens, self.pairs, len(layers))
        if any(doc.relations.values()):
            for number, (i, j) in enumerate(self.pairs):
                first = doc.relations.get(self.names[i], ())
                second = doc.relations.get(self.names[j], ())
                _add(self.relations[number], relation_counts(first, second))
        self.ranked.append(_document_agreement(doc, f1s, kappas))

    def _overlap(self, layers: list[set[Key]], shared: dict[Key, int]) -> list[float | None]:
        """Add one document's overlap matches beyond the exact ones; its overlap F1 per pair.

        A pair's exact matches are its shared spans; when they fall short of the smaller
        layer, each label's spans are a bit set per annotator (`_label_sets`), and the
        matching is summed over groups of spans chained by overlaps: a group whose spans all
        share a character matches min(first's, second's); any other group is matched
        (`overlap_matches`) once per distinct pair of sets."""
        chosen: dict[str, tuple[list[Key], list[int]]] | None = None
        groups: dict[str, list[tuple[int, bool]]] = {}
        matchings: dict[tuple[str, int, int], int] = {}
        f1s = []
        for number, (i, j) in enumerate(self.pairs):
            first_keys, second_keys = layers[i], layers[j]
            matched = len(first_keys & second_keys)
            size = len(first_keys) + len(second_keys)
            if matched < len(first_keys) and matched < len(second_keys):
                chosen = chosen or _label_sets(shared, len(layers))
                for label, (keys, sets) in chosen.items():
                    first, second = sets[i], sets[j]
                    tp = (first & second).bit_count()
                    if tp >= first.bit_count() or tp >= second.bit_count():
                        continue
                    if label not in groups:
                        groups[label] = _overlap_groups(keys)
                    found = 0
                    for members, clique in groups[label]:
                        a, b = first & members, second & members
                        if clique or not a or not b:
                            found += min(a.bit_count(), b.bit_count())
                            continue
                        if (label, a, b) not in matchings:
                            pair = _subset(keys, a), _subset(keys, b)
                            matchings[label, a, b] = overlap_matches(*pair)
                        found += matchings[label, a, b]
                    self.beyond[number][label] += found - tp
                    matched += found - tp
            f1s.append(2 * matched / size if size else None)
        return f1s

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
        exact = self._exact(i, j)
        beyond = self.beyond[number]
        overlap = {
            label: MatchCounts(c.tp + beyond[label], c.fp - beyond[label], c.fn - beyond[label])
            for label, c in exact.items()
        }
        pair_kappa = cohen_kappa(tokens)
        relations = dict(sorted(self.relations[number].items()))
        return PairAgreement(
            self.names[i], self.names[j], exact, overlap, pair_kappa, self.tokens, relations
        )

    def _exact(self, i: int, j: int) -> dict[str, MatchCounts]:
        """Exact counts per label of annotators i (the reference) and j."""
        counts: dict[str, list[int]] = {}
        for (label, mask), spans in self.shared.items():
            if mask & (1 << i | 1 << j):
                tally = counts.setdefault(label, [0, 0, 0])
                tally[0] += spans if mask >> i & mask >> j & 1 else 0
                tally[1] += spans if mask >> j & 1 else 0
                tally[2] += spans if mask >> i & 1 else 0
        return {
            label: MatchCounts(tp, second - tp, first - tp)
            for label, (tp, second, first) in sorted(counts.items())
        }


def _units(text: str, shared: dict[Key, int], width: int) -> tuple[Counter[tuple[str, ...]], int]:
    """A document's unit tuples (a label per annotator) with their token counts, and its
    tokens. Each annotator paints its spans' tokens longest first, so that shorter spans (and,
    at equal length, earlier labels) win, as `token_labels` does token by token."""
    tokens, bounds = token_bounds(text, [offset for key in shared for offset in key[1:]])
    painted = []
    for key in sorted(shared, key=_paint_order, reverse=True):
        first, last = bounds[key[1]][0], bounds[key[2]][1]
        if first < last:
            painted.append((first, last, key[0], shared[key]))
    breaks = sorted({offset for first, last, _, _ in painted for offset in (first, last)})
    segment = {offset: number for number, offset in enumerate(breaks)}
    columns = [[OUTSIDE] * max(len(breaks) - 1, 0) for _ in range(width)]
    for first, last, label, mask in painted:
        begin, end = segment[first], segment[last]
        run = [label] * (end - begin)
        for index in range(width):
            if mask >> index & 1:
                columns[index][begin:end] = run
    units: Counter[tuple[str, ...]] = Counter()
    for number, unit in enumerate(zip(*columns, strict=True)):
        units[unit] += breaks[number + 1] - breaks[number]
    rest = tokens - (breaks[-1] - breaks[0] if breaks else 0)
    if rest:
        units[(OUTSIDE,) * width] += rest
    return units, tokens


def _paint_order(key: Key) -> tuple[int, str]:
    return key[2] - key[1], key[0]


def _kappas(
    units: Counter[tuple[str, ...]], tokens: int, pairs: tuple[tuple[int, int], ...], width: int
) -> list[float | None]:
    """Token kappa of each pair on one document, from its unit tuples."""
    counts: list[Counter[str]] = [Counter() for _ in range(width)]
    unequal = [0] * len(pairs)
    for unit, count in units.items():
        for index, label in enumerate(unit):
            counts[index][label] += count
        if unit.count(unit[0]) != width:
            for number in _differing(unit, pairs):
                unequal[number] += count
    return [
        kappa(tokens, tokens - unequal[number], counts[i], counts[j])
        for number, (i, j) in enumerate(pairs)
    ]


@lru_cache(maxsize=4096)
def _differing(unit: tuple[str, ...], pairs: Sequence[tuple[int, int]]) -> list[int]:
    """The numbers of the pairs whose two labels differ in `unit`."""
    return [number for number, (i, j) in enumerate(pairs) if unit[i] != unit[j]]


def _label_sets(shared: dict[Key, int], width: int) -> dict[str, tuple[list[Key], list[int]]]:
    """Per label: its distinct spans, and each annotator's as a bit set over them."""
    chosen: dict[str, tuple[list[Key], list[int]]] = {}
    for key, mask in shared.items():
        keys, sets = chosen.setdefault(key[0], ([], [0] * width))
        bit = 1 << len(keys)
        keys.append(key)
        for index in range(width):
            if mask >> index & 1:
                sets[index] |= bit
    return chosen


def _overlap_groups(keys: list[Key]) -> list[tuple[int, bool]]:
    """Runs of spans chained by overlaps (a sweep by start), as bit sets over `keys`, each
    with whether every two of its spans (each with itself too) share a character."""
    groups: list[tuple[int, bool]] = []
    members, reach, latest, earliest, empty = 0, -1, 0, 0, 0
    for number in sorted(range(len(keys)), key=lambda n: keys[n][1:]):
        _, start, end = keys[number]
        if start >= reach:
            if members:
                groups.append((members, empty == 0 and latest < earliest))
            members, latest, earliest, empty = 0, start, end, 0
        members |= 1 << number
        latest, earliest = max(latest, start), min(earliest, end)
        empty += start >= end
        reach = max(reach, end)
    if members:
        groups.append((members, empty == 0 and latest < earliest))
    return groups


def _subset(keys: list[Key], members: int) -> list[Key]:
    """The keys whose bits are set in `members`."""
    return [key for number, key in enumerate(keys) if members >> number & 1]


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
        fsum(1.0 if f is None else f for f in f1s) / len(f1s) if f1s else 1.0,
        fsum(defined) / len(defined) if defined else None,
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
