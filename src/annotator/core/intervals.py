"""An interval index over one document's spans: range queries, elementary segments and lanes.

Feeds the article view's highlighter: for a block of text it yields the pieces between span
boundaries with the labels covering each, so overlaps can be striped. Pure Python, no Qt.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.model import Span


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
    """Spans sorted by start; overlap queries look back by the longest span's length."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._spans: dict[int, Span] = {}
        self._keys: list[tuple[int, int, int]] = []
        self._max_length = 0
        for span in spans:
            self._spans[span.id] = span
        self._rebuild()

    def _rebuild(self) -> None:
        self._keys = sorted((s.start, s.end, s.id) for s in self._spans.values())
        self._max_length = max((s.end - s.start for s in self._spans.values()), default=0)

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self):
        return (self._spans[key[2]] for key in self._keys)

    def get(self, span_id: int) -> Span | None:
        """The span with that id, if indexed."""
        return self._spans.get(span_id)

    def add(self, span: Span) -> None:
        """Index a span (replacing one with the same id)."""
        if span.id in self._spans:
            self.remove(span.id)
        self._spans[span.id] = span
        bisect.insort(self._keys, (span.start, span.end, span.id))
        self._max_length = max(self._max_length, span.end - span.start)

    def remove(self, span_id: int) -> Span | None:
        """Drop a span; returns it (or None when it was not indexed)."""
        span = self._spans.pop(span_id, None)
        if span is not None:
            i = bisect.bisect_left(self._keys, (span.start, span.end, span.id))
            del self._keys[i]
        return span

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans that share at least one character with [start, end), by start."""
        lo = bisect.bisect_left(self._keys, (start - self._max_length,))
        hi = bisect.bisect_left(self._keys, (end,))
        return [self._spans[k[2]] for k in self._keys[lo:hi] if k[1] > start]

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
