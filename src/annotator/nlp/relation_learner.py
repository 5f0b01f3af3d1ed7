"""Relation suggestions learned from the relations people made (no spaCy needed).

A candidate is a pair of spans in one sentence whose labels a relation type allows (a directed
type in either order of text, a symmetric one once). Its features are the words between the two
spans, the two words on either side of the pair, which of the two comes first and the number of
words between them. A naive Bayes model per type, counted from the relations people made
(positives) and from the candidate pairs of the same sentences they left unrelated or rejected
(negatives), scores a candidate with the probability that a person would relate it; candidates
whose type has no positive example are not proposed.

Sentences end at `.`, `!`, `?` (and their CJK forms) followed by a space, and at a line break;
a pair never spans two sentences.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from annotator.core.model import RelationType

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)
_AROUND = 2
"""Words on each side of the pair that count as its context."""
_SMOOTHING = 1.0


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A span as the learner sees it: its id, extent and label."""

    id: int
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pair of spans a relation type allows, head and tail as the type would store them."""

    type: str
    head: SpanRef
    tail: SpanRef


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed relation: its type, head and tail span ids, and its probability."""

    type: str
    head: int
    tail: int
    score: float


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """The [start, end) of each sentence of `text`, in order, covering it."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            bounds.append((start, match.start() if match.start() > start else match.end()))
            start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def candidates(
    text: str, spans: Sequence[SpanRef], types: Sequence[RelationType]
) -> Iterator[Candidate]:
    """Every pair of different spans of one sentence that a type allows, in text order."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.id))
    for group in _by_sentence(sentence_bounds(text), ordered):
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if _overlap(first, second):
                    continue
                for kind in types:
                    if kind.allows(first.label, second.label):
                        yield Candidate(kind.name, first, second)
                    if kind.directed and kind.allows(second.label, first.label):
                        yield Candidate(kind.name, second, first)


def features(text: str, candidate: Candidate) -> frozenset[str]:
    """The words between and around the pair, its order and how far apart its spans are."""
    first, second = sorted((candidate.head, candidate.tail), key=lambda s: s.start)
    between = _words(text[first.end : second.start])
    before = _words(text[: first.start])[-_AROUND:]
    after = _words(text[second.end :][:200])[:_AROUND]
    head_first = candidate.head is first
    return frozenset(
        [f"between:{w}" for w in between]
        + [f"before:{w}" for w in before]
        + [f"after:{w}" for w in after]
        + [f"order:{'head-first' if head_first else 'tail-first'}", f"gap:{_gap(len(between))}"]
    )


@dataclass
class _TypeCounts:
    positives: int = 0
    negatives: int = 0
    in_positives: Counter[str] = field(default_factory=Counter)
    in_negatives: Counter[str] = field(default_factory=Counter)


class RelationLearner:
    """Learns per relation type which contexts people relate, and proposes new relations."""

    def __init__(self, types: Sequence[RelationType]) -> None:
        self.types = list(types)
        self._counts: dict[str, _TypeCounts] = {t.name: _TypeCounts() for t in self.types}

    @property
    def examples(self) -> int:
        """How many relations it learned from."""
        return sum(c.positives for c in self._counts.values())

    def learn(
        self,
        text: str,
        spans: Sequence[SpanRef],
        related: Iterable[tuple[str, int, int]],
        *,
        rejected: Iterable[tuple[str, int, int]] = (),
    ) -> None:
        """Count one document: `related` are (type, head id, tail id) people made; every other
        candidate of the sentences holding one of its types' relations is a negative, as is
        every rejected proposal."""
        made = {_key(t, h, tail) for t, h, tail in related}
        refused = {_key(t, h, tail) for t, h, tail in rejected}
        found = list(candidates(text, spans, self.types))
        starts = [start for start, _ in sentence_bounds(text)]

        def place(c: Candidate) -> tuple[str, int]:
            return c.type, bisect_right(starts, c.head.start)

        busy = {place(c) for c in found if _key_of(c) in made | refused}
        for candidate in found:
            key, counts = _key_of(candidate), self._counts[candidate.type]
            if key in made:
                counts.positives += 1
                counts.in_positives.update(features(text, candidate))
            elif key in refused or place(candidate) in busy:
                counts.negatives += 1
                counts.in_negatives.update(features(text, candidate))

    def propose(
        self,
        text: str,
        spans: Sequence[SpanRef],
        *,
        existing: Iterable[tuple[str, int, int]] = (),
        threshold: float = 0.5,
    ) -> list[Proposal]:
        """Candidates not related yet whose probability reaches `threshold`, best first."""
        known = {_key(t, h, tail) for t, h, tail in existing}
        proposals = []
        for candidate in candidates(text, spans, self.types):
            if _key_of(candidate) in known:
                continue
            score = self.score(text, candidate)
            if score >= threshold:
                proposals.append(
                    Proposal(candidate.type, candidate.head.id, candidate.tail.id, score)
                )
        return sorted(proposals, key=lambda p: -p.score)

    def score(self, text: str, candidate: Candidate) -> float:
        """The probability that a person relates the pair with its type (0 without examples)."""
        counts = self._counts[candidate.type]
        if counts.positives == 0:
            return 0.0
        log_odds = math.log((counts.positives + _SMOOTHING) / (counts.negatives + _SMOOTHING))
        for feature in features(text, candidate):
            seen_pos = counts.in_positives[feature] + _SMOOTHING
            seen_neg = counts.in_negatives[feature] + _SMOOTHING
            log_odds += math.log(
                (seen_pos / (counts.positives + 2 * _SMOOTHING))
                / (seen_neg / (counts.negatives + 2 * _SMOOTHING))
            )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


def _by_sentence(
    bounds: Sequence[tuple[int, int]], ordered: Sequence[SpanRef]
) -> Iterator[list[SpanRef]]:
    group: list[SpanRef] = []
    index = 0
    for span in ordered:
        while index < len(bounds) - 1 and span.start >= bounds[index][1]:
            if group:
                yield group
            group, index = [], index + 1
        if span.end <= bounds[index][1]:
            group.append(span)
    if group:
        yield group


def _overlap(a: SpanRef, b: SpanRef) -> bool:
    return a.start < b.end and b.start < a.end


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _gap(words: int) -> str:
    return "0" if words == 0 else "1-3" if words <= 3 else "4-8" if words <= 8 else "9+"


def _key(kind: str, head: int, tail: int) -> tuple[str, int, int]:
    return (kind, head, tail)


def _key_of(candidate: Candidate) -> tuple[str, int, int]:
    return (candidate.type, candidate.head.id, candidate.tail.id)
