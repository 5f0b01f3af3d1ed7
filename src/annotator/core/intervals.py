"""An interval index over one document's spans: range queries, elementary segments and lanes.

Feeds the article view's highlighter: for a block of text it yields the pieces between span
boundaries with the labels covering each, so overlaps can be striped. It is also the span
list's row order: row n is the n-th span by (start, end, id). A document's spans may be loaded
as plain rows (`from_rows`) and become `Span` objects only when asked for, so a layer of
200,000 spans is indexed without building 200,000 objects. Pure Python, no Qt.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter, sub
from typing import Any

from annotator.core.model import Span

Row = tuple[Any, ...]
"""A span not built yet: (id, start, end, *whatever its maker needs)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece [start, end) of text covered by the same spans throughout."""

    start: int
    end: int
    spans: tuple[Span, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The distinct labels covering the piece, in a stable order."""
        return tuple(dict.fromkeys(sorted(s.label for s in self.spans)))


class SpanIndex:
    """Spans sorted by (start, end, id); overlap queries look back by the longest span's length."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._spans: dict[int, Span] = {span.id: span for span in spans}
        self._rows: dict[int, Row] = {}
        self._make: Callable[[Row], Span] = _unbuildable
        self._keys = sorted((s.start, s.end, s.id) for s in self._spans.values())
        self._max_length = max((end - start for start, end, _ in self._keys), default=0)

    @classmethod
    def from_rows(cls, rows: Iterable[Row], make: Callable[[Row], Span]) -> SpanIndex:
        """Index spans given as rows `(id, start, end, ...)`; `make(row)` builds a row's Span
        the first time it is asked for (rows sorted by start, end, id index fastest)."""
        index = cls()
        index._rows = dict(zip(map(itemgetter(0), rows), rows, strict=True))
        index._make = make
        rows = index._rows.values()
        index._keys = sorted(map(itemgetter(1, 2, 0), rows))  # all in C: no per-row bytecode
        index._max_length = max(
            map(sub, map(itemgetter(2), rows), map(itemgetter(1), rows)), default=0
        )
        return index

    def copy(self) -> SpanIndex:
        """An independent index of the same spans (rows not built yet stay unbuilt)."""
        twin = SpanIndex()
        twin._spans, twin._rows = dict(self._spans), dict(self._rows)
        twin._make, twin._keys, twin._max_length = self._make, list(self._keys), self._max_length
        return twin

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[Span]:
        return (self._built(key[2]) for key in self._keys)

    def __getitem__(self, row: int) -> Span:
        """The span at that position in (start, end, id) order."""
        return self._built(self._keys[row][2])

    def get(self, span_id: int) -> Span | None:
        """The span with that id, if indexed."""
        if span_id in self._spans or span_id in self._rows:
            return self._built(span_id)
        return None

    def same_order(self, other: SpanIndex) -> bool:
        """Whether both index the same span ids at the same places."""
        return self._keys == other._keys

    def position(self, span_id: int) -> int | None:
        """Where the span with that id stands in (start, end, id) order, if indexed."""
        key = self._key(span_id)
        return None if key is None else bisect.bisect_left(self._keys, key)

    def insertion_point(self, span: Span) -> int:
        """The position `add(span)` would give a span not indexed yet."""
        return bisect.bisect_left(self._keys, (span.start, span.end, span.id))

    def add(self, span: Span) -> None:
        """Index a span (replacing one with the same id)."""
        self.remove(span.id)
        self._spans[span.id] = span
        bisect.insort(self._keys, (span.start, span.end, span.id))
        self._max_length = max(self._max_length, span.end - span.start)

    def remove(self, span_id: int) -> Span | None:
        """Drop a span; returns it (or None when it was not indexed)."""
        key = self._key(span_id)
        if key is None:
            return None
        span = self._built(span_id)
        del self._spans[span_id]
        del self._keys[bisect.bisect_left(self._keys, key)]
        return span

    def update(self, removed: Iterable[int], spans: Iterable[Span]) -> list[Span]:
        """Drop the spans with the `removed` ids and index `spans` (replacing any with the same
        id) with one sort, where `remove` and `add` shift the order once per span (thousands
        at once: Accept All and its undo). Returns the spans dropped or replaced."""
        spans = list(spans)
        gone = set(removed).union(span.id for span in spans)
        old = [self._built(span_id) for span_id in gone if self._key(span_id) is not None]
        for span in old:
            del self._spans[span.id]
        keys = [key for key in self._keys if key[2] not in gone] if old else self._keys
        for span in spans:
            self._spans[span.id] = span
        keys += [(span.start, span.end, span.id) for span in spans]
        keys.sort()
        self._keys = keys
        self._max_length = max(self._max_length, *(span.end - span.start for span in spans), 0)
        return old

    def _key(self, span_id: int) -> tuple[int, int, int] | None:
        span = self._spans.get(span_id)
        if span is not None:
            return span.start, span.end, span.id
        row = self._rows.get(span_id)
        return None if row is None else (row[1], row[2], row[0])

    def _built(self, span_id: int) -> Span:
        span = self._spans.get(span_id)
        if span is None:
            span = self._spans[span_id] = self._make(self._rows.pop(span_id))
        return span

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans that share at least one character with [start, end), by start."""
        lo = bisect.bisect_left(self._keys, (start - self._max_length,))
        hi = bisect.bisect_left(self._keys, (end,))
        return [self._built(k[2]) for k in self._keys[lo:hi] if k[1] > start]

    def at(self, position: int) -> list[Span]:
        """Spans covering the character at `position`, innermost (shortest) first."""
        found = self.overlapping(position, position + 1)
        return sorted(found, key=lambda s: (s.end - s.start, s.start, s.id))

    def segments(self, start: int, end: int) -> list[Segment]:
        """The covered pieces of [start, end), each with the spans over it, in order (a sweep
        over span boundaries: cost grows with pieces times spans active at once)."""
        spans = self.overlapping(start, end)  # by start
        cuts = {start, end}
        for span in spans:
            cuts.update(p for p in (span.start, span.end) if start < p < end)
        pieces: list[Segment] = []
        active: list[Span] = []
        waiting = 0
        for a, b in itertools.pairwise(sorted(cuts)):
            while waiting < len(spans) and spans[waiting].start <= a:
                active.append(spans[waiting])
                waiting += 1
            active = [s for s in active if s.end > a]
            if active:
                pieces.append(Segment(a, b, tuple(active)))
        return pieces

    def lanes(self) -> dict[int, int]:
        """A lane per span so that spans in one lane never overlap (greedy, by start)."""
        lane_ends: list[int] = []
        lanes: dict[int, int] = {}
        for span in self:
            for lane, last_end in enumerate(lane_ends):
                if last_end <= span.start:
                    lane_ends[lane] = span.end
                    lanes[span.id] = lane
                    break
            else:
                lanes[span.id] = len(lane_ends)
                lane_ends.append(span.end)
        return lanes


def _unbuildable(row: Row) -> Span:
    raise AssertionError(f"a SpanIndex without rows was asked to build {row!r}")
