"""What the lexicon learns from where people marked phrases (and where they rejected them).

The phrase lexicon says which label a phrase was given most often; this adds a small count
model of the words around a phrase, learned from the annotator's (and gold's) spans and the
suggestions they rejected, and uses it on the lexicon's matches only (never a pass over every
token of a text):

- **label in context**: a phrase given several labels ("Boston" a place and a team), or
  rejected somewhere, is suggested with the label its context favours — naive Bayes over the
  word and shape before and after it on its line and whether the line is in capitals (a
  dateline), with per-label word counts shared by all phrases — and not at all when "no
  label" (a rejection in a like context) wins;
- **extent**: a match is widened over a neighbouring capitalised word on its line when words
  like it (that word, else its shape: "Paul" is `Xx`, "P." is `X.`) were more often inside
  spans of the label, at that edge, than just outside them ("P. Simmons" where only
  "Simmons" is known, but not "President Simmons" once "President" was left outside);
- **names no phrase matched**: a name word that opened multi-word spans of a label in most
  of its occurrences ("Rania" in "Rania Brandt") proposes the name it opens, widened over
  the name words after it as above ("Rania Dumont");
- **later mentions**: the last word of a suggested multi-word span is suggested again where
  it recurs later in the text when, in marked documents, such words were more often marked
  alone with the label than not ("Simmons" after "Paul Simmons").

Each decision needs two examples in its favour and a majority, so nothing is guessed from
one mark.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.core.model import NewSuggestion

NO_LABEL = ""
"""The pseudo-label of a rejected suggestion that no span of the annotator covers."""
REACH = 40
"""Characters looked at on each side of a phrase for the neighbouring word."""
LINE_REACH = 200
"""Characters looked at on each side of a phrase for its line's case."""
WIDEN_AT_MOST = 3
"""Words a match is widened by on each side."""
MIN_EVIDENCE = 2
"""Examples a widening, an opening word or a later mention needs in its favour."""
WORD_EVIDENCE = 3
"""Examples of a word (at an edge of a label) before its own counts replace its shape's."""

_TOKEN = r"(?<!\w)(?:[^\W\d_]\.)+|\w+|[^\w\s]"
_LAST_WORD = re.compile(rf"({_TOKEN})[^\S\n\r]*$")
_NEXT_WORD = re.compile(rf"[^\S\n\r]*({_TOKEN})")
_WORDS = re.compile(_TOKEN)
_NAME_WORD = re.compile(r"(?<!\w)[^\W\d_a-z\xdf-\xf6\xf8-\xff][^\W_]+")
"""A word of two or more letters or digits that starts with a letter not in lower case (as
far as a character class can tell: other scripts' lower case is checked in Python)."""
_RUNS = re.compile(r"(.)\1{2,}")
_SENTENCE_ENDS = frozenset(".!?:;\"'")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")
_TRAILING = ",;:!?)]}\"'\u201d\u2019"

Place = tuple[int, int, str]
"""A span: start, end (code points) and label."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A word next to a phrase on its line: where it starts and ends, and its text."""

    start: int
    end: int
    text: str


def word_before(text: str, start: int) -> Neighbour | None:
    """The word (or punctuation mark) before `start` on its line."""
    low = max(0, start - REACH)
    piece = text[low:start]
    cut = max(piece.rfind("\n"), piece.rfind("\r")) + 1
    found = _LAST_WORD.search(piece, cut)
    if found is None:
        return None
    return Neighbour(low + found.start(1), low + found.end(1), found.group(1))


def word_after(text: str, end: int) -> Neighbour | None:
    """The word (or punctuation mark) after `end` on its line."""
    found = _NEXT_WORD.match(text, end, min(len(text), end + REACH))
    if found is None:
        return None
    return Neighbour(found.start(1), found.end(1), found.group(1))


def name_before(text: str, start: int) -> Neighbour | None:
    """The name word just before `start`, one space apart ("Paul" before "Simmons", "H."
    initials; not "Simmons." ending a sentence, nor "(Paul"); a few string calls."""
    if start < 2 or text[start - 1] != " " or text[start - 2].isspace():
        return None
    low = max(0, start - REACH)
    first = max(text.rfind(" ", low, start - 1), text.rfind("\n", low, start - 1)) + 1
    word = text[max(low, first) : start - 1]
    if not word[0].isupper():
        return None
    if "\t" in word or "\r" in word:
        word = word.split()[-1]
        if not _is_name_word(word):
            return None
    if not (word[-1].isalnum() or _INITIALS.fullmatch(word)):
        return None
    return Neighbour(start - 1 - len(word), start - 1, word)


def name_after(text: str, end: int) -> Neighbour | None:
    """The name word just after `end`, one space apart, without the punctuation or
    possessive after it ("Simmons" of "Simmons's," but "P." kept whole)."""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return None
    word = text[end + 1 : end + 1 + REACH].split(None, 1)[0].rstrip(_TRAILING)
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    if word.endswith(".") and not _INITIALS.fullmatch(word):
        word = word.rstrip(".")
    if not word or not (word[-1].isalnum() or word[-1] == "."):
        return None
    return Neighbour(end + 1, end + 1 + len(word), word)


@functools.lru_cache(maxsize=4096)
def shape(word: str) -> str:
    """The word's shape: upper case X, lower case x, digits d, runs cut to two ("Xxx", "X.")."""
    classes = "".join(
        "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in word
    )
    return _RUNS.sub(r"\1\1", classes)


def line_in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the line holding text[start:end] has letters and none in lower case."""
    low = max(0, start - LINE_REACH)
    line_start = max(text.rfind("\n", low, start), text.rfind("\r", low, start)) + 1
    line_end = text.find("\n", end, end + LINE_REACH)
    if line_end < 0:
        line_end = min(len(text), end + LINE_REACH)
    return text[max(low, line_start) : line_end].isupper()


def context_features(
    text: str, start: int, end: int, around: tuple[Neighbour | None, Neighbour | None] | None = None
) -> list[str]:
    """The context of text[start:end]: the words before and after it on its line (lower
    case) and their shapes ("^"/"$" at the line's ends), and the line's case; `around`: the
    words before and after it when already found."""
    before, after = around or (word_before(text, start), word_after(text, end))
    return [
        "p:" + (before.text.lower() if before else "^"),
        "ps:" + (shape(before.text) if before else "^"),
        "n:" + (after.text.lower() if after else "$"),
        "ns:" + (shape(after.text) if after else "$"),
        "caps" if line_in_capitals(text, start, end) else "cased",
    ]


def phrase_key(phrase: str) -> str:
    """A phrase as compared: lower case, runs of whitespace as one space."""
    return " ".join(phrase.lower().split())


def _is_name_word(word: str) -> bool:
    return word[:1].isupper()


@dataclass
class LexiconContext:
    """Counts learned from marked documents (see the module); `revise` applies them to the
    lexicon's chosen matches in one text."""

    phrases: dict[str, Counter[str]] = field(default_factory=dict)
    """Phrase key -> label (or NO_LABEL) -> examples."""
    features: dict[str, Counter[str]] = field(default_factory=dict)
    """Label -> context feature -> examples."""
    examples: Counter[str] = field(default_factory=Counter)
    """Label -> examples."""
    edges: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    """(label, side "<" or ">", "w:word" or "s:shape") -> [inside the span, just outside]."""
    mentions: Counter[tuple[str, bool]] = field(default_factory=Counter)
    """(label, marked alone) -> later occurrences of a multi-word span's last word."""
    openers: dict[str, Counter[str]] = field(default_factory=dict)
    """Name word (as written) -> label of the multi-word span it opened (NO_LABEL: an
    occurrence that opened none) -> occurrences in marked documents."""
    _opening: dict[str, tuple[str, float]] | None = field(default=None, init=False, repr=False)
    _ambiguous: bool | None = field(default=None, init=False, repr=False)
    _mention_shares: dict[str, float] | None = field(default=None, init=False, repr=False)

    def learn(self, text: str, spans: Iterable[Place], rejected: Iterable[Place] = ()) -> None:
        """Count one document: the spans people marked in it, and the suggestions they
        rejected (those no marked span overlaps count as "no label" there). A document
        counted before with the same spans and rejections is not counted again but its
        counts added (`learned`: a lexicon is rebuilt after every few marks)."""
        self.add(learned(text, tuple(sorted(set(spans))), tuple(sorted(set(rejected)))))

    def add(self, other: LexiconContext) -> None:
        """Add another's counts to these."""
        for key, tally in other.phrases.items():
            self.phrases.setdefault(key, Counter()).update(tally)
        for label, seen in other.features.items():
            self.features.setdefault(label, Counter()).update(seen)
        self.examples.update(other.examples)
        for edge, (inside, outside) in other.edges.items():
            counts = self.edges.setdefault(edge, [0, 0])
            counts[0] += inside
            counts[1] += outside
        self.mentions.update(other.mentions)
        for word, tally in other.openers.items():
            self.openers.setdefault(word, Counter()).update(tally)
        self._opening = self._ambiguous = self._mention_shares = None

    def _learn(self, text: str, marked: Sequence[Place], rejected: Iterable[Place]) -> None:
        for start, end, label in marked:
            around = (word_before(text, start), word_after(text, end))
            self._count(text, start, end, label, around)
            self._count_edges(text, start, end, label)
        self._count_mentions(text, marked)
        self._count_openers(text, marked)
        for start, end, _ in rejected:
            if not any(s < end and start < e for s, e, _ in marked):
                self._count(text, start, end, NO_LABEL)

    def revise(self, text: str, found: Sequence[NewSuggestion]) -> list[NewSuggestion]:
        """The lexicon's matches in `text` (no overlaps) with the label their context favours
        (dropped where "no label" wins), widened over neighbouring name words, with the names
        their opening words bring and the later mentions of multi-word ones; sorted, still
        without overlaps."""
        if not self.examples:
            return list(found)
        chosen = list(found)
        if self.ambiguous():
            chosen = [s for s in (self._labelled(text, s) for s in found) if s is not None]
        beside = _beside_capitals(text, chosen)
        if not (beside or self.opening() or self.mention_shares()):
            return chosen  # nothing to widen or add (most documents)
        taken = [(s.start, s.end) for s in chosen]
        widened = list(chosen)
        for i in beside:
            widened[i] = self._widened(text, chosen[i], taken)
        more = self._opened_names(text, taken)
        more += self._later_mentions(text, widened + more)
        if not more and len(taken) == len(chosen):
            return widened  # as found, so still sorted
        return sorted(widened + more, key=lambda s: (s.start, s.end, s.label))

    def _count(
        self,
        text: str,
        start: int,
        end: int,
        label: str,
        around: tuple[Neighbour | None, Neighbour | None] | None = None,
    ) -> None:
        self.phrases.setdefault(phrase_key(text[start:end]), Counter())[label] += 1
        features = context_features(text, start, end, around)
        self.features.setdefault(label, Counter()).update(features)
        self.examples[label] += 1

    def _count_edges(
        self,
        text: str,
        start: int,
        end: int,
        label: str,
    ) -> None:
        """Inside: each word of a multi-word span but the last at the left edge ("H." in
        "Tomas H. Vasquez" is inside, left of "Vasquez"), each but the first at the right;
        outside: the name words just before and after it (`name_before`, `name_after`)."""
        words = text[start:end].split()
        opening = len(words) > 1 and opens_sentence(text, start)
        for i, word in enumerate(words[:-1]):
            self._edge(label, "<", _edge_keys(word, opening and i == 0), inside=True)
        for word in words[1:]:
            self._edge(label, ">", _edge_keys(word), inside=True)
        before, after = name_before(text, start), name_after(text, end)
        if before is not None:
            keys = _edge_keys(before.text, opens_sentence(text, before.start))
            self._edge(label, "<", keys, inside=False)
        if after is not None:
            self._edge(label, ">", _edge_keys(after.text), inside=False)

    def _edge(self, label: str, side: str, keys: tuple[str, ...], *, inside: bool) -> None:
        for key in keys:
            self.edges.setdefault((label, side, key), [0, 0])[0 if inside else 1] += 1

    def _count_mentions(self, text: str, marked: Sequence[Place]) -> None:
        """For each multi-word span, its last word's later occurrences: marked alone with its
        label, or not (one inside a longer marked span is a repeat of a name, not counted)."""
        exact = set(marked)
        for start, end, label in marked:
            last = _last_name_word(text, start, end)
            if last is None:
                continue
            for s, e in _occurrences(text, last, end):
                if (s, e, label) in exact:
                    self.mentions[(label, True)] += 1
                elif not any(ms <= s and e <= me and (ms, me) != (s, e) for ms, me, _ in marked):
                    self.mentions[(label, False)] += 1

    def _count_openers(self, text: str, marked: Sequence[Place]) -> None:
        """Each name word's occurrences: opening a multi-word span (with its label) or not."""
        opened = {s: label for s, e, label in marked if len(text[s:e].split()) > 1}
        for found in _NAME_WORD.finditer(text):
            word = found.group()
            if word[0].isupper():
                label = opened.get(found.start(), NO_LABEL)
                self.openers.setdefault(word, Counter())[label] += 1

    def ambiguous(self) -> bool:
        """Whether any phrase was given two labels (or one and rejected)."""
        if self._ambiguous is None:
            self._ambiguous = any(len(tally) > 1 for tally in self.phrases.values())
        return self._ambiguous

    def opening(self) -> dict[str, tuple[str, float]]:
        """Name words that opened multi-word spans of one label in most of their occurrences
        (at least MIN_EVIDENCE times), with that label and share."""
        if self._opening is None:
            self._opening = {}
            for word, tally in self.openers.items():
                label, times = max(tally.items(), key=lambda item: (item[1], item[0]))
                if label != NO_LABEL and times >= MIN_EVIDENCE and 2 * times > tally.total():
                    self._opening[word] = (label, times / tally.total())
        return self._opening

    def _opened_names(self, text: str, taken: list[tuple[int, int]]) -> list[NewSuggestion]:
        """Names no phrase matched that open with a word which mostly opened names of a label
        ("Rania Dumont" once "Rania" opened names), widened over the name words after it as
        the edge counts allow; a word nothing follows is left out. One scan of the text for
        its name words (a C loop), a set intersection, then only the hits are looked at."""
        opening = self.opening()
        hits = opening.keys() & set(_NAME_WORD.findall(text)) if opening else set()
        found = []
        for word in sorted(hits):
            label, share = opening[word]
            for start, end in _occurrences(text, word, 0):
                if any(s < end and start < e for s, e in taken):
                    continue
                name = self._widened(text, NewSuggestion(start, end, label, share), taken)
                if name.end > end:
                    found.append(name)
        return found

    def _labelled(self, text: str, suggestion: NewSuggestion) -> NewSuggestion | None:
        """The suggestion with the label its context favours among those its phrase was
        given (None when "no label" wins); as it is for a phrase only ever given one."""
        tally = self.phrases.get(phrase_key(text[suggestion.start : suggestion.end]))
        if tally is None or len(tally) < 2:
            return suggestion
        features = context_features(text, suggestion.start, suggestion.end)
        scores = {label: self._log_odds(label, n, features) for label, n in tally.items()}
        best = max(scores, key=lambda label: (scores[label], label))
        if best == NO_LABEL:
            return None
        top = scores[best]
        share = 1 / sum(math.exp(score - top) for score in scores.values())
        return NewSuggestion(suggestion.start, suggestion.end, best, share)

    def _log_odds(self, label: str, times: int, features: Sequence[str]) -> float:
        """Naive Bayes: the phrase's count of `label` and each feature's rate in its
        examples, smoothed."""
        seen = self.features.get(label, Counter())
        total = self.examples[label] + 1
        return math.log(times + 0.5) + sum(math.log((seen[f] + 0.5) / total) for f in features)

    def _widened(
        self, text: str, suggestion: NewSuggestion, taken: list[tuple[int, int]]
    ) -> NewSuggestion:
        """The suggestion over the name words next to it (up to WIDEN_AT_MOST each side) that
        the edge counts put inside spans of its label; never onto another suggestion."""
        start, end = suggestion.start, suggestion.end
        for _ in range(WIDEN_AT_MOST):
            word = name_before(text, start)
            if word is None or not self._inside(text, suggestion.label, "<", taken, word):
                break
            start = word.start
        for _ in range(WIDEN_AT_MOST):
            word = name_after(text, end)
            if word is None or not self._inside(text, suggestion.label, ">", taken, word):
                break
            end = word.end
        if (start, end) == (suggestion.start, suggestion.end):
            return suggestion
        taken.append((start, end))
        return NewSuggestion(start, end, suggestion.label, suggestion.score)

    def _inside(
        self, text: str, label: str, side: str, taken: list[tuple[int, int]], at: Neighbour
    ) -> bool:
        if any(s < at.end and at.start < e for s, e in taken):
            return False
        opening = side == "<" and opens_sentence(text, at.start)
        by_word, by_shape = _edge_keys(at.text, opening)
        counts = self.edges.get((label, side, by_word))
        if counts is None or sum(counts) < WORD_EVIDENCE:
            # a capital opening a sentence says nothing by its shape ("Later Vestel"): only the
            # word itself, seen inside names often enough, may be taken in there
            counts = [0, 0] if opening else self.edges.get((label, side, by_shape), [0, 0])
        inside, outside = counts
        return inside >= MIN_EVIDENCE and inside > outside

    def mention_shares(self) -> dict[str, float]:
        """Labels whose multi-word spans' last words, where they recurred, were marked alone
        more often than not (at least MIN_EVIDENCE times), with the share marked (smoothed)."""
        if self._mention_shares is None:
            self._mention_shares = {}
            for (label, marked), alone in self.mentions.items():
                others = self.mentions[(label, False)]
                if marked and alone >= MIN_EVIDENCE and alone > others:
                    self._mention_shares[label] = (alone + 0.5) / (alone + others + 1)
        return self._mention_shares

    def _later_mentions(self, text: str, found: Sequence[NewSuggestion]) -> list[NewSuggestion]:
        """The last words of multi-word suggestions where they recur later, alone, for the
        labels in `mention_shares`."""
        shares = self.mention_shares()
        if not shares:
            return []
        taken = [(s.start, s.end) for s in found]
        more: list[NewSuggestion] = []
        for suggestion in found:
            share = shares.get(suggestion.label)
            if share is None:
                continue
            last = _last_name_word(text, suggestion.start, suggestion.end)
            if last is None:
                continue
            for s, e in _occurrences(text, last, suggestion.end):
                if not any(ts < e and s < te for ts, te in taken):
                    taken.append((s, e))
                    more.append(NewSuggestion(s, e, suggestion.label, share))
        return more


_LEARNED: OrderedDict[tuple[int, int, tuple[Place, ...], tuple[Place, ...]], LexiconContext]
_LEARNED = OrderedDict()
_LEARNED_LOCK = threading.Lock()
LEARNED_KEPT = 1024
"""Documents whose counts are kept (by their text's hash, not the text: a text may be long)."""


def learned(text: str, marked: tuple[Place, ...], rejected: tuple[Place, ...]) -> LexiconContext:
    """The counts of one document (see `LexiconContext.learn`), kept for the latest
    LEARNED_KEPT documents learned from."""
    key = (hash(text), len(text), marked, rejected)
    with _LEARNED_LOCK:
        one = _LEARNED.get(key)
        if one is not None:
            _LEARNED.move_to_end(key)
            return one
    one = LexiconContext()
    one._learn(text, marked, rejected)
    with _LEARNED_LOCK:
        _LEARNED[key] = one
        if len(_LEARNED) > LEARNED_KEPT:
            _LEARNED.popitem(last=False)
    return one


def _beside_capitals(text: str, found: Sequence[NewSuggestion]) -> list[int]:
    """A quick test before `name_before` and `name_after`: the positions in `found` of the
    suggestions with a word starting with a capital letter one space before or after (most
    have none; a few string calls each)."""
    beside = []
    for i, (start, end, _, _) in enumerate(found):
        if text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
            beside.append(i)
        elif start > 1 and text[start - 1] == " ":
            low = start - REACH if start > REACH else 0
            first = max(text.rfind(" ", low, start - 1), text.rfind("\n", low, start - 1)) + 1
            if text[first if first > low else low].isupper():
                beside.append(i)
    return beside


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence: first on its line, or after . ! ? :"""
    before = word_before(text, start)
    return before is None or before.text in _SENTENCE_ENDS


def _edge_keys(word: str, opening: bool = False) -> tuple[str, ...]:
    """A name word's keys in the edge counts: the word, and its shape (marked "^" when it
    opens a sentence: a capital there says less); none for other words."""
    if not _is_name_word(word):
        return ()
    return "w:" + word.lower(), ("s:^" if opening else "s:") + shape(word)


def _last_name_word(text: str, start: int, end: int) -> str | None:
    """The last word of a multi-word span when it is a name word of two letters or more."""
    words = _WORDS.findall(text, start, end)
    last = words[-1] if len(words) > 1 else ""
    return last if len(last) > 1 and last.isalpha() and _is_name_word(last) else None


def _occurrences(text: str, word: str, after: int) -> list[tuple[int, int]]:
    """Where `word` occurs as a whole word (same case) from `after` on (str.find: a regex
    with a look-behind scans every position)."""
    found = []
    at = text.find(word, after)
    while at >= 0:
        end = at + len(word)
        joined = (at > 0 and _word_char(text[at - 1])) or (
            end < len(text) and _word_char(text[end])
        )
        if not joined:
            found.append((at, end))
        at = text.find(word, end)
    return found


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
