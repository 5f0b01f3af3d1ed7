"""Token-level agreement: regex tokens, a label per token, Cohen's kappa, Krippendorff's alpha.

Tokens are runs of word characters or single other non-space characters (`TOKEN`), so the
figures need no spaCy. A token takes the label of a span that shares a character with it,
"O" when no span does. When several spans of one annotator cover a token with different
labels, the shortest span wins (the most specific mark); among equally long ones, the label
first in alphabetical order. Every token of every shared document is a unit, "O" included.

Undefined cases: with no units, kappa and alpha are None. When every value falls into one
category (e.g. identical layers with no spans), chance agreement is total and both formulas
divide by zero; the agreement is then perfect, and we report 1.0 (scikit-learn gives nan).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement_spans import Key

TOKEN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"
"""The label of a token no span covers."""


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of one text as parallel lists of [start, end) code-point offsets."""

    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


def tokenize(text: str) -> Tokens:
    """The tokens of a text (see TOKEN)."""
    flat = [offset for m in TOKEN.finditer(text) for offset in m.span()]
    return Tokens(flat[0::2], flat[1::2])


def _ascii_class(char: str) -> str:
    """An ASCII character of the same TOKEN class as `char`: "a" (\\w), " " (\\s) or "p"."""
    return "a" if char.isalnum() or char == "_" else " " if char.isspace() else "p"


class _NonAsciiClasses(dict[int, int]):
    """str.translate table: a non-ASCII code point -> the code of its ASCII class, worked out
    the first time it is seen."""

    def __missing__(self, code: int) -> int:
        self[code] = ord(_ascii_class(chr(code)))
        return self[code]


_NON_ASCII = _NonAsciiClasses()
_HIGH = ord("h")
_UTF8_CLASSES = "".join(_ascii_class(chr(c)) for c in range(128)).encode() + bytes([_HIGH]) * 128
"""UTF-8 byte -> its class for an ASCII character, "h" for the first byte of any other."""
_CONTINUATION = bytes(range(0x80, 0xC0))
"""The UTF-8 bytes that continue a character (deleted: one class byte per code point)."""
_WORD, _OTHER = ord("a"), ord("p")


def _classes(text: str) -> bytes:
    """One byte per code point of `text`: its TOKEN class (see `_ascii_class`)."""
    raw = text.encode("utf-8", "surrogatepass").translate(_UTF8_CLASSES, _CONTINUATION)
    high = np.flatnonzero(np.frombuffer(raw, np.uint8) == _HIGH)
    if not high.size:
        return raw
    classes = np.frombuffer(raw, np.uint8).copy()
    others = "".join(map(text.__getitem__, high.tolist())).translate(_NON_ASCII)
    classes[high] = np.frombuffer(others.encode("ascii"), np.uint8)
    return classes.tobytes()


@dataclass(frozen=True, slots=True)
class TokenIndex:
    """The tokens of several texts (see TOKEN), numbered across them in order: only counted,
    never cut out. The texts are joined by a newline (never a token, never inside one)."""

    begins: NDArray[np.int64]
    """Where each text begins in the joined texts."""
    lengths: NDArray[np.int64]
    inside: NDArray[np.bool_]
    """Per code point of the joined texts (and a newline after the last): whether a word
    token runs on across it (it and the one before are word characters)."""
    starts: NDArray[np.int64]
    """Where each token starts in the joined texts."""

    def firsts(self) -> NDArray[np.int64]:
        """The number of each text's first token."""
        return np.searchsorted(self.starts, self.begins).astype(np.int64)

    def counts(self) -> NDArray[np.int64]:
        """The number of tokens of each text."""
        ends = np.searchsorted(self.starts, self.begins + self.lengths)
        return (ends - self.firsts()).astype(np.int64)

    def bounds(
        self, texts: NDArray[np.int64], positions: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """For each position p of text t: the numbers of the tokens that end at or before p
        and of those that start before p, counted from the first text's first token (a span
        (start, end) covers the tokens [ended(start), started(end)))."""
        at = self.begins[texts] + np.clip(positions, 0, self.lengths[texts])
        started = np.searchsorted(self.starts, at).astype(np.int64)
        return started - self.inside[at], started


def index_tokens(texts: Sequence[str]) -> TokenIndex:
    """The TokenIndex of these texts."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    begins = np.cumsum(lengths + 1) - lengths - 1
    classes = np.frombuffer(_classes("\n".join(texts)) + b" ", np.uint8)
    word = classes == _WORD
    inside = word.copy()
    inside[0] = False
    inside[1:] &= word[:-1]
    starts = (classes == _OTHER) | (word & ~inside)  # each other character, each word's first
    return TokenIndex(begins, lengths, inside, np.flatnonzero(starts))


def token_bounds(text: str, positions: Iterable[int]) -> tuple[int, dict[int, tuple[int, int]]]:
    """The number of tokens of `text`, and for each position p the number of tokens that end
    at or before p and the number that start before p (see `TokenIndex.bounds`): the same
    tokens as `tokenize`, only counted."""
    index = index_tokens([text])
    wanted = sorted(set(positions))
    at = np.array(wanted, np.int64)
    ended, started = index.bounds(np.zeros(len(at), np.int64), at)
    found = zip(wanted, ended.tolist(), started.tolist(), strict=True)
    return int(index.counts()[0]), {p: (e, s) for p, e, s in found}


def token_labels(tokens: Tokens, spans: Iterable[Key], marked: set[int] | None = None) -> list[str]:
    """One label per token (see the module docstring); adds covered token indexes to `marked`."""
    labels = [OUTSIDE] * len(tokens)
    # Paint the longest first so shorter spans (and, at equal length, earlier labels) win.
    order = sorted(spans, key=lambda k: (k[2] - k[1], k[0]), reverse=True)
    for label, start, end in order:
        first, last = bisect_right(tokens.ends, start), bisect_left(tokens.starts, end)
        if first < last:
            labels[first:last] = [label] * (last - first)
            if marked is not None:
                marked.update(range(first, last))
    return labels


def cohen_kappa(pairs: Counter[tuple[str, str]]) -> float | None:
    """Cohen's kappa from counts of (first label, second label) per unit."""
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    agree = 0
    for (x, y), count in pairs.items():
        first[x] += count
        second[y] += count
        if x == y:
            agree += count
    return kappa(sum(pairs.values()), agree, first, second)


def kappa(n: int, agree: int, first: Mapping[str, int], second: Mapping[str, int]) -> float | None:
    """Cohen's kappa of `n` units, `agree` of them with equal labels, from each side's count
    per label."""
    if not n:
        return None
    observed = agree / n
    chance = sum(count * second.get(label, 0) for label, count in first.items()) / (n * n)
    if chance >= 1.0:
        return 1.0
    return (observed - chance) / (1.0 - chance)


class AlphaTally:
    """Krippendorff's alpha (nominal) accumulated unit by unit, each coded by every annotator."""

    def __init__(self) -> None:
        self.units = 0
        self.values: Counter[str] = Counter()
        self.disagreement = 0.0
        """Sum over units of the ordered pairs of unequal values / (values in the unit - 1)."""

    def add(
        self, columns: Sequence[Sequence[str]], candidates: Iterable[int] | None = None
    ) -> None:
        """Add units given as one label sequence per annotator (all of the same length).

        `candidates`: the only unit indexes where values may differ (all, when None).
        """
        m = len(columns)
        if m < 2 or not columns[0]:
            return
        self.units += len(columns[0])
        for column in columns:
            self.values.update(column)
        units: Iterable[tuple[str, ...]] = zip(*columns, strict=True)
        if candidates is not None:
            units = (tuple(column[i] for column in columns) for i in candidates)
        for unit in units:
            if unit.count(unit[0]) != m:
                self.disagreement += _disagreement(unit)

    def add_units(self, units: Mapping[tuple[str, ...], int]) -> None:
        """Add units given as how many there are of each tuple of labels (one per annotator).
        The disagreement is summed exactly per unit width, then divided once: the same
        whatever order the tuples come in."""
        unequal: Counter[int] = Counter()
        for unit, count in units.items():
            m = len(unit)
            if m < 2:
                continue
            self.units += count
            for value in unit:
                self.values[value] += count
            if unit.count(unit[0]) != m:
                unequal[m] += count * (m * m - sum(c * c for c in Counter(unit).values()))
        self.disagreement += sum(pairs / (m - 1) for m, pairs in unequal.items())

    @property
    def alpha(self) -> float | None:
        """1 - observed / expected disagreement; None without units, 1.0 with one category."""
        n = sum(self.values.values())
        if n < 2:
            return None
        expected = (n * n - sum(c * c for c in self.values.values())) / (n - 1)
        if expected == 0:
            return 1.0
        return 1.0 - self.disagreement / expected


def _disagreement(unit: tuple[str, ...]) -> float:
    """Ordered pairs of unequal values in one unit / (values in the unit - 1)."""
    m = len(unit)
    return (m * m - sum(c * c for c in Counter(unit).values())) / (m - 1)
