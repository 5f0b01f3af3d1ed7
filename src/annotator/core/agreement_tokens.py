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

import codecs
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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
    """An ASCII character of the same TOKEN class as `char`: "a" (\\w), " " (\\s) or "!"."""
    return "a" if char.isalnum() or char == "_" else " " if char.isspace() else "!"


def _classes_of_non_ascii(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: a run of non-ASCII characters becomes their ASCII classes."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    if len(run) > 1:
        return "".join(map(_ascii_class, run)), error.end
    if run not in _SINGLES:
        _SINGLES[run] = _ascii_class(run)
    return _SINGLES[run], error.end


_SINGLES: dict[str, str] = {}
"""The class of each lone non-ASCII character seen (most runs: a dash, a quote, a letter)."""


_ERRORS = "annotator.agreement.token_classes"
codecs.register_error(_ERRORS, _classes_of_non_ascii)
_CLASSES = bytes.maketrans(
    bytes(range(128)), "".join(_ascii_class(chr(c)) for c in range(128)).replace("!", "p").encode()
)
"""ASCII byte -> b"a" (word), b" " (space) or b"p" (other)."""


def _token_starts(text: str) -> bytes:
    """One byte per character of `text`: b"s" where a token starts (each "other" character,
    the first of each run of word characters), b"a" inside a run of word characters, b" " for
    whitespace."""
    classes = b" " + text.encode("ascii", _ERRORS).translate(_CLASSES)
    return classes.replace(b" a", b" s").replace(b"pa", b"ps").translate(_STARTS)[1:]


_STARTS = bytes.maketrans(b"p", b"s")


def token_bounds(text: str, positions: Iterable[int]) -> tuple[int, dict[int, tuple[int, int]]]:
    """The number of tokens of `text`, and for each position p the number of tokens that end
    at or before p and the number that start before p: the token range of a span (start, end)
    is [bounds[start][0], bounds[end][1]). The same tokens as `tokenize`, only counted."""
    starts = _token_starts(text)
    bounds, started, previous = {}, 0, 0
    for position in sorted(set(positions)):
        at = max(position, 0)
        if at > previous:
            started += starts.count(b"s", previous, at)
            previous = at
        inside = starts[at : at + 1] == b"a"  # a word runs on across the position
        bounds[position] = (started - inside, started)
    return starts.count(b"s"), bounds


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
        """Add units given as how many there are of each tuple of labels (one per annotator)."""
        for unit, count in units.items():
            if len(unit) < 2:
                continue
            self.units += count
            for value in unit:
                self.values[value] += count
            if unit.count(unit[0]) != len(unit):
                self.disagreement += count * _disagreement(unit)

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
