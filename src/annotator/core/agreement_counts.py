"""What agreement needs from one batch of documents, counted for every pair at once (numpy).

The batch's spans become distinct keys (label, start, end per document), each with the set of
annotators who marked it (a row of `member`). Exact matches are keys two annotators share.
Overlap matching works on groups: a label's keys in a document chained by overlaps; a group
whose keys all share a character matches min(first's, second's) keys, any other group is
matched by `overlap_matches`. Token labels: the texts' tokens are only counted
(core.agreement_tokens `TokenIndex`), each key covers a range of token numbers, and each
annotator labels a covered token with its covering key of the shortest extent (then the first
label); every other token is "O". The unit tuples (a label per annotator) give kappa per
document here and kappa, alpha and the confusion matrix over every document in core.agreement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import fsum

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement_batch import ANNOTATOR, DOCUMENT, END, LABEL, START, LayerBatch
from annotator.core.agreement_spans import overlap_matches
from annotator.core.agreement_tokens import OUTSIDE, TokenIndex, index_tokens

Array = NDArray[np.int64]
_WIDEST_CODE = 2**62
"""Unit codes stay below this (numbered afresh when one more column would pass it)."""


@dataclass(frozen=True, slots=True)
class BatchCounts:
    """One batch's share of the report; per label rows follow `labels`."""

    labels: list[str]
    marked: Array
    """(label, annotator): distinct spans."""
    shared: Array
    """(label, pair): distinct spans both annotators of the pair marked."""
    beyond: Array
    """(label, pair): overlap matches beyond the exact ones."""
    units: Counter[tuple[str, ...]]
    tokens: int
    overlap_f1: list[float]
    """Per document, the mean over pairs of the overlap F1 (1.0 for a pair without spans)."""
    kappa: list[float | None]
    """Per document, the mean over pairs of the token kappa (None without tokens)."""


@dataclass(frozen=True, slots=True)
class _Keys:
    """A batch's distinct keys, sorted by document, label, start and end."""

    document: Array
    label: Array
    start: Array
    end: Array
    member: NDArray[np.bool_]
    """(key, annotator): whether the annotator marked it."""


def count_batch(batch: LayerBatch, width: int, pairs: tuple[Array, Array]) -> BatchCounts:
    """The counts of a batch whose spans name annotators 0..width-1; `pairs`: the first and
    second annotator of each pair."""
    keys = _distinct_keys(batch.spans, width)
    first, second = pairs
    both = keys.member[:, first] & keys.member[:, second]
    documents, labels = len(batch.ids), len(batch.labels)
    marked = _sum_by(keys.label, keys.member, labels)
    found = _overlap_beyond(keys, both, pairs, batch.labels)
    beyond = _sum_by(keys.label[found.group_starts], found.beyond, labels)
    index = index_tokens(batch.texts)
    tokens = index.counts()
    covered, columns = _token_labels(keys, index, _categories(batch.labels))
    units = _units(columns, tokens.sum() - len(covered), [OUTSIDE, *batch.labels])
    token_document = np.searchsorted(index.firsts(), covered, "right") - 1
    kappas = _kappas(columns, token_document, tokens, pairs, labels + 1)
    per_document = _sum_by(keys.document, keys.member, documents)
    sizes = per_document[:, first] + per_document[:, second]
    matched = _sum_by(keys.document, both, documents)
    matched += _sum_by(keys.document[found.group_starts], found.beyond, documents)
    return BatchCounts(
        batch.labels,
        marked,
        _sum_by(keys.label, both, labels),
        beyond,
        units,
        int(tokens.sum()),
        _mean_f1s(matched, sizes),
        _mean_kappas(kappas, tokens),
    )


def _distinct_keys(spans: Array, width: int) -> _Keys:
    """The distinct keys of the span rows (an annotator's duplicates count once)."""
    order = np.lexsort(spans[:, [END, START, LABEL, DOCUMENT]].T)
    rows = spans[order]
    fields = rows[:, [DOCUMENT, LABEL, START, END]]
    new = np.ones(len(rows), np.bool_)
    new[1:] = (fields[1:] != fields[:-1]).any(axis=1)
    number = np.cumsum(new) - 1
    member = np.zeros((int(new.sum()), width), np.bool_)
    member[number, rows[:, ANNOTATOR]] = True
    document, label, start, end = fields[new].T
    return _Keys(document, label, start, end, member)


def _sum_by(groups: Array, values: NDArray[np.generic], count: int) -> Array:
    """Rows of `values` summed by their group number (0..count-1)."""
    total = np.zeros((count, *values.shape[1:]), np.int64)
    np.add.at(total, groups, values.astype(np.int64))
    return total


@dataclass(frozen=True, slots=True)
class _Overlap:
    group_starts: Array
    """The first key of each group."""
    beyond: Array
    """(group, pair): overlap matches beyond the exact ones."""


def _overlap_beyond(
    keys: _Keys, both: NDArray[np.bool_], pairs: tuple[Array, Array], labels: list[str]
) -> _Overlap:
    """The groups of keys chained by overlaps (a sweep by start within a document's label) and
    each pair's overlap matches in them beyond the exact ones."""
    if not len(keys.start):
        return _Overlap(np.zeros(0, np.int64), np.zeros((0, len(pairs[0])), np.int64))
    start, end = keys.start, keys.end
    new = np.ones(len(start), np.bool_)
    new[1:] = (keys.document[1:] != keys.document[:-1]) | (keys.label[1:] != keys.label[:-1])
    segment = np.cumsum(new) - 1
    active = _unmatched(keys.member, both, np.flatnonzero(new), pairs)
    low = min(start.min(), end.min())
    stride = max(start.max(), end.max()) - low + 2  # the runs of two labels never touch
    shift = segment * stride - low
    reach = np.maximum.accumulate(end + shift)
    new[1:] |= start[1:] + shift[1:] >= reach[:-1]
    starts = np.flatnonzero(new)
    active = active[segment[starts]]
    empty = np.add.reduceat(start >= end, starts) > 0
    clique = (np.maximum.reduceat(start, starts) < np.minimum.reduceat(end, starts)) & ~empty
    counts = np.add.reduceat(keys.member.astype(np.int64), starts, axis=0)
    exact = np.add.reduceat(both.astype(np.int64), starts, axis=0)
    firsts, seconds = counts[:, pairs[0]], counts[:, pairs[1]]
    found = np.minimum(firsts, seconds)
    hard = ~clique[:, None] & (firsts > 0) & (seconds > 0) & active
    hard &= (exact < found) | empty[:, None]  # no empty span: never fewer than the exact ones
    if hard.any():
        ends = np.append(starts[1:], len(start))
        for group, pair in zip(*np.nonzero(hard), strict=True):
            extents = range(starts[group], ends[group])
            sides = [
                [(labels[keys.label[k]], int(start[k]), int(end[k])) for k in extents if column[k]]
                for column in (keys.member[:, pairs[0][pair]], keys.member[:, pairs[1][pair]])
            ]
            found[group, pair] = overlap_matches(*sides)
    return _Overlap(starts, np.where(active, found - exact, 0))


def _unmatched(
    member: NDArray[np.bool_], both: NDArray[np.bool_], starts: Array, pairs: tuple[Array, Array]
) -> NDArray[np.bool_]:
    """(run of keys, pair): whether the pair's exact matches leave keys of both annotators
    unmatched (else its overlap matches are the exact ones, as `match_counts` counts)."""
    counts = np.add.reduceat(member.astype(np.int64), starts, axis=0)
    exact = np.add.reduceat(both.astype(np.int64), starts, axis=0)
    return exact < np.minimum(counts[:, pairs[0]], counts[:, pairs[1]])


def _categories(labels: list[str]) -> Array:
    """Label code + 1 -> the code a token labelled so counts as (0: "O"; a label named "O" is
    the same category, as token by token)."""
    categories = np.arange(len(labels) + 1, dtype=np.int64)
    if OUTSIDE in labels:
        categories[labels.index(OUTSIDE) + 1] = 0
    return categories


def _token_labels(keys: _Keys, index: TokenIndex, categories: Array) -> tuple[Array, Array]:
    """The numbers of the tokens some key covers, and each annotator's label category there
    (a row per annotator): its covering key of the shortest extent, then the first label."""
    first, _ = index.bounds(keys.document, keys.start)
    _, last = index.bounds(keys.document, keys.end)
    painted = np.flatnonzero(first < last)
    sizes = last[painted] - first[painted]
    key = np.repeat(painted, sizes)
    offsets = np.arange(len(key)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    token = np.repeat(first[painted], sizes) + offsets
    priority = np.empty(len(first), np.int64)
    priority[np.lexsort((keys.label, keys.end - keys.start))] = np.arange(len(first))
    order = np.lexsort((priority[key], token))
    key, token = key[order], token[order]
    covered, slot = np.unique(token, return_inverse=True)
    columns = np.zeros((keys.member.shape[1], len(covered)), np.int64)
    for annotator, column in enumerate(columns):
        mine = keys.member[key, annotator]
        slots, winners = slot[mine], key[mine]
        best = np.ones(len(slots), np.bool_)
        best[1:] = slots[1:] != slots[:-1]
        column[slots[best]] = categories[keys.label[winners[best]] + 1]
    return covered, columns


def _units(columns: Array, outside: int, names: list[str]) -> Counter[tuple[str, ...]]:
    """How many tokens have each unit tuple (a label per annotator): the covered tokens'
    (`columns`, category codes into `names`) and `outside` tokens no key covers."""
    units: Counter[tuple[str, ...]] = Counter()
    if columns.shape[1]:
        _, at, counts = np.unique(
            _unit_codes(columns, len(names)), return_index=True, return_counts=True
        )
        for unit, count in zip(columns[:, at].T.tolist(), counts.tolist(), strict=True):
            units[tuple(names[code] for code in unit)] += count
    if outside:
        units[(OUTSIDE,) * len(columns)] += int(outside)
    return units


def _unit_codes(columns: Array, radix: int) -> Array:
    """One number per token for its unit tuple (equal tuples, equal numbers)."""
    code = np.zeros(columns.shape[1], np.int64)
    top = 1
    for column in columns:
        if top * radix >= _WIDEST_CODE:
            code = np.unique(code, return_inverse=True)[1].astype(np.int64)
            top = int(code.max()) + 1
        code = code * radix + column
        top *= radix
    return code


def _kappas(
    columns: Array, token_document: Array, tokens: Array, pairs: tuple[Array, Array], radix: int
) -> NDArray[np.float64]:
    """(document, pair): token kappa (nan without tokens), as `kappa` computes it."""
    documents = len(tokens)
    uncovered = tokens - np.bincount(token_document, minlength=documents)
    counts = []
    for column in columns:
        found = np.bincount(token_document * radix + column, minlength=documents * radix)
        found = found.reshape(documents, radix)
        found[:, 0] += uncovered
        counts.append(found)
    kappas = np.empty((documents, len(pairs[0])), np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        for number, (i, j) in enumerate(zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)):
            unequal = np.bincount(token_document[columns[i] != columns[j]], minlength=documents)
            observed = (tokens - unequal) / tokens
            chance = (counts[i] * counts[j]).sum(axis=1) / (tokens * tokens)
            kappas[:, number] = np.where(chance >= 1.0, 1.0, (observed - chance) / (1.0 - chance))
    return kappas


def _mean_kappas(kappas: NDArray[np.float64], tokens: Array) -> list[float | None]:
    """Per document, the mean kappa over pairs; None without tokens (or pairs)."""
    pairs = kappas.shape[1]
    rows = zip(kappas.tolist(), tokens.tolist(), strict=True)
    return [fsum(row) / pairs if count and pairs else None for row, count in rows]


def _mean_f1s(matched: Array, sizes: Array) -> list[float]:
    """Per document, the mean over pairs of 2 matched / spans (1.0 where a pair has none)."""
    pairs = matched.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1s = np.where(sizes > 0, 2 * matched / sizes, 1.0)
    return [fsum(row) / pairs if pairs else 1.0 for row in f1s.tolist()]
