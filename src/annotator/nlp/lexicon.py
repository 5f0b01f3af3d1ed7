"""The lexicon suggester: every phrase a person marked, matched everywhere (phrase patterns).

Where matches compete, one is suggested: a phrase gets the label people gave it most often
(its share of the phrase's marks is the score), and of overlapping matches the longest wins
(then the earliest), so no sub-phrase of a longer match is suggested ("Simmons" inside
"P. Simmons"). A match never runs over a line break that ends a sentence (nlp.sentences).
With a `LexiconContext` (nlp.lexicon_context, learned from the marked documents), the chosen
matches then take the label their context favours, widen over neighbouring name words, and
bring the later mentions of a name's last word.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.lexicon_names import private_lexicon
from annotator.core.model import NewSuggestion
from annotator.core.progress import Progress
from annotator.nlp.lexicon_context import LexiconContext
from annotator.nlp.sentences import SentenceEnds
from annotator.nlp.streaming import BATCH_SIZE, batches_with_progress
from annotator.nlp.suggesters import LEXICON
from annotator.nlp.termlists import load_term_list, span_labels, term_lists_for

if TYPE_CHECKING:
    import numpy
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

__all__ = ["EVERYONE_SETTING", "LEXICON_SCORE", "LexiconSuggester", "load_term_list"]

SPANS_KEY = "annotator_lexicon"
# A phrase only ever given one label: full confidence (else that label's share of its marks).
LEXICON_SCORE = 1.0
Phrases = Mapping[str, Iterable[str]]
"""Label -> the phrases given it; a Mapping phrase -> times given counts them (else each once
per mention)."""
Choice = tuple[str, float]
"""The label a phrase is suggested with, and its share of the phrase's marks."""
Extent = tuple[int, int]
"""A match's start and end token in the matched (maybe compacted) doc."""
_suggestion = functools.partial(tuple.__new__, NewSuggestion)
"""NewSuggestion from a (start, end, label, score) tuple, without the named tuple's own
`__new__` (a Python function: a third of the cost of a match's suggestion)."""


CASE_SETTING = "lexicon_case_sensitive"
"""Project setting: match phrases with their exact case (default: any case)."""

CONTEXT_DOCUMENTS = 200
"""The latest marked documents a project's lexicon learns contexts from."""

EVERYONE_SETTING = "lexicon_learns_from_everyone"
"""Project setting: learn from every annotator's spans (default: the annotator's own and
gold's, so one annotator's choices are not suggested to another during double annotation)."""


class LexiconSuggester:
    """Phrase patterns (strings, so they are tokenised) matched on LOWER by a PhraseMatcher.

    Case is ignored unless `case_sensitive`; runs of whitespace between tokens (double spaces,
    single line breaks) are ignored unless `whitespace_tolerant` is off. A blank line (two or
    more line breaks) still separates: a phrase never matches across paragraphs, nor across a
    line break that ends a sentence. `phrases` may count how often each phrase was given each
    label (see `Phrases`): the most frequent label wins. Matching finds what a span_ruler with
    the same phrase patterns finds (`pipeline()` builds one) without building Span objects:
    10k synthetic articles took 1.1x that span_ruler's plain nlp.pipe.
    """

    def __init__(
        self,
        phrases: Phrases,
        *,
        case_sensitive: bool = False,
        whitespace_tolerant: bool = True,
        batch_size: int = BATCH_SIZE,
        lang: str = "en",
        name: str = LEXICON,
        context: LexiconContext | None = None,
    ) -> None:
        self.name = name
        self.context = context
        """What was learned about where phrases are entities (None: phrases alone)."""
        self.case_sensitive = case_sensitive
        self.whitespace_tolerant = whitespace_tolerant
        self.batch_size = batch_size
        self.lang = lang
        self.patterns: list[tuple[str, str]] = []
        """Distinct (label, phrase) pairs, in the spelling first seen."""
        self.counts: Counter[tuple[str, str]] = Counter()
        """How often each (label, phrase as compared) was given."""
        self._spelling: dict[tuple[str, str], str] = {}
        self._tally(phrases)
        self.version = self._version()
        self._matcher: tuple[Language, PhraseMatcher, dict[int, str]] | None = None
        self._choices: dict[tuple[str, ...], Counter[str]] = {}

    @classmethod
    def from_project(
        cls, project: Any, annotator: str | None = None, **options: Any
    ) -> LexiconSuggester:
        """Phrases `annotator` and the gold layer marked, counted (everyone's when None or when
        the project learns from everyone), plus stored term lists, for the project's span
        labels, with the contexts learned from the latest marked documents; one annotator's
        lexicon is named `lexicon:NAME` (its suggestions are theirs only)."""
        labels = span_labels(project)
        phrases: dict[str, Counter[str]] = {label: Counter() for label in labels}
        learner = None if project.get_setting(EVERYONE_SETTING, False) else annotator
        if learner is not None:
            options.setdefault("name", private_lexicon(learner))
        for label, texts in project.human_phrases(learner).items():
            if label in phrases:
                phrases[label].update(texts)
        for label, terms in term_lists_for(project).items():
            if label in phrases:
                phrases[label].update(terms)
        options.setdefault("case_sensitive", bool(project.get_setting(CASE_SETTING, False)))
        if "context" not in options:
            context = LexiconContext()
            for marked in project.marked_documents(learner, CONTEXT_DOCUMENTS):
                context.learn(marked.text, marked.spans, marked.rejected)
            options["context"] = context
        return cls(phrases, **options)

    @property
    def attr(self) -> str:
        """The token attribute phrases are compared on."""
        return "ORTH" if self.case_sensitive else "LOWER"

    def available(self) -> bool:
        """Whether there is at least one phrase to look for."""
        return bool(self.patterns)

    def unavailable_reason(self) -> str:
        """Why nothing can be suggested yet, and what to do."""
        if self.available():
            return ""
        return (
            "the lexicon is empty: mark a span (it is then suggested everywhere else) "
            "or load a term list for a label"
        )

    def suggest(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> list[list[NewSuggestion]]:
        """The chosen phrase matches in every text (see the module), one list per text."""
        if not self.patterns:
            return [[] for _ in texts]
        nlp, matcher, labels = self.matcher()
        results: list[list[NewSuggestion]] = []
        for batch in batches_with_progress(texts, progress, self.batch_size):
            for text, doc in zip(batch, nlp.tokenizer.pipe(batch), strict=True):
                tolerant = self.whitespace_tolerant and _may_have_inline_space(text)
                target, index = _compact(doc) if tolerant else (doc, None)
                found = matcher(target)
                chosen = self._chosen(doc, text, target, found, labels, index)
                results.append(self.context.revise(text, chosen) if self.context else chosen)
        return results

    def add(self, phrases: Phrases) -> int:
        """Add phrases (say, a span just accepted) without rebuilding; returns how many
        (label, phrase) pairs were new."""
        known = len(self.patterns)
        given = self._tally(phrases)
        new = self.patterns[known:]
        self.version = self._version()
        if self._matcher is not None:
            nlp, matcher, labels = self._matcher
            if new:
                _add_to_matcher(nlp, matcher, labels, new)
            self._count_choices(nlp, given)
        return len(new)

    def matcher(self) -> tuple[Language, PhraseMatcher, dict[int, str]]:
        """(blank pipeline, PhraseMatcher with every phrase, match key -> label), built once."""
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            from annotator.nlp.loading import shared_blank

            nlp = shared_blank(self.lang)
            matcher = PhraseMatcher(nlp.vocab, attr=self.attr)
            self._matcher = (nlp, matcher, {})
            _add_to_matcher(nlp, matcher, self._matcher[2], self.patterns)
            self._count_choices(nlp, self.counts)
        return self._matcher

    def choices(self) -> dict[str, Choice]:
        """Each phrase (as compared) with the label it is suggested with and that label's
        share of its marks."""
        by_phrase: dict[str, Counter[str]] = {}
        for (label, phrase), n in self.counts.items():
            by_phrase.setdefault(phrase, Counter())[label] += n
        return {phrase: _choice(tally) for phrase, tally in by_phrase.items()}

    def pipeline(self) -> Language:
        """The same lexicon as a spaCy pipeline (blank + span_ruler, spans in SPANS_KEY: each
        phrase with its most frequent label, overlaps resolved longest first), for export and
        for benchmarks against plain nlp.pipe."""
        from annotator.nlp.loading import blank

        nlp = blank(self.lang)
        config = {
            "spans_key": SPANS_KEY,
            "phrase_matcher_attr": self.attr,
            "validate": False,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
        }
        ruler = nlp.add_pipe("span_ruler", config=config)
        chosen = self.choices()
        ruler.add_patterns(
            [
                {"label": label, "pattern": text}
                for label, text in self.patterns
                if chosen[self._compared(text)][0] == label
            ]
        )
        return nlp

    def _compared(self, phrase: str) -> str:
        return phrase if self.case_sensitive else phrase.lower()

    def _tally(self, phrases: Phrases) -> Counter[tuple[str, str]]:
        """Count `phrases` in (whitespace collapsed, duplicates by case merged) and append
        the pairs not seen before to `patterns`; returns what was counted."""
        given: Counter[tuple[str, str]] = Counter()
        for label in sorted(phrases):
            texts = phrases[label]
            times = texts if isinstance(texts, Mapping) else Counter(texts)
            for text in sorted(times):
                phrase = " ".join(text.split())
                if not phrase or times[text] <= 0:
                    continue
                key = (label, self._compared(phrase))
                if key not in self.counts:
                    self.patterns.append((label, phrase))
                    self._spelling[key] = phrase
                given[key] += times[text]
                self.counts[key] += times[text]
        return given

    def _count_choices(self, nlp: Language, given: Mapping[tuple[str, str], int]) -> None:
        """Add `given` counts to the label tallies of the phrases' token sequences (what the
        matcher compares: phrases spelt apart only by spaces around punctuation are one)."""
        pairs = list(given.items())
        spelt = (self._spelling[key] for key, _ in pairs)
        for ((label, _), n), doc in zip(pairs, nlp.tokenizer.pipe(spelt), strict=True):
            self._choices.setdefault(self._tokens_key(doc), Counter())[label] += n

    def _tokens_key(self, tokens: Any) -> tuple[str, ...]:
        if self.case_sensitive:
            return tuple(t.text for t in tokens)
        return tuple(t.lower_ for t in tokens)

    def _chosen(
        self,
        doc: Doc,
        text: str,
        target: Doc,
        matches: list[tuple[int, int, int]],
        labels: dict[int, str],
        index: Any,
    ) -> list[NewSuggestion]:
        """The matches on the (maybe compacted) `target` worth suggesting, as code-point
        offsets into `doc`'s text, sorted: none over a sentence-ending line break, the longest
        of overlapping ones (then the earliest), each with its phrase's most frequent label.

        Competition runs on plain (start, end) token tuples, and a label is worked out only for
        the extents kept; only the first and last token of those are looked up: converting the
        whole doc's offsets (`to_array`) cost more than the matching itself on 3,000-character
        articles."""
        if not matches:
            return []
        key_at = {(start, end): key for key, start, end in reversed(matches)}  # first key wins
        extents = sorted(key_at)
        tokens = None if index is None else index.tolist()
        if tokens is not None:
            extents = _within_sentences(extents, tokens, SentenceEnds(doc, text))
        # an extent matched under several labels (rare): its phrase's tally decides
        several = _repeated(matches) if len(key_at) < len(matches) else set()
        found = []
        for extent in _longest_first(extents):
            start, end = extent
            label, share = labels[key_at[extent]], LEXICON_SCORE
            if several and extent in several:
                tally = self._choices.get(self._tokens_key(target[start:end]))
                if tally:
                    label, share = _choice(tally)
            if tokens is not None:
                start, end = tokens[start], tokens[end - 1] + 1
            ending = doc[end - 1]
            found.append(_suggestion((doc[start].idx, ending.idx + len(ending), label, share)))
        return found

    def _version(self) -> str:
        """A short hash of everything the matches depend on: each phrase's chosen label (not
        its share: one more mark of a phrase changes no match) and the options."""
        options = (self.case_sensitive, self.whitespace_tolerant, self.lang)
        digest = hashlib.sha256(repr(options).encode())
        for phrase, (label, _) in sorted(self.choices().items()):
            digest.update(f"\x00{label}\x01{phrase}".encode())
        return digest.hexdigest()[:16]


def _within_sentences(extents: list[Extent], tokens: list[int], ends: SentenceEnds) -> list[Extent]:
    """The extents (tokens of the compacted doc; `tokens` maps them to the text's) that skip
    no line break ending a sentence."""
    kept = []
    for start, end in extents:
        first, last = tokens[start], tokens[end - 1]
        if last - first > end - start - 1 and ends.crossed(first, last):
            continue  # over whitespace the compacted doc left out, a sentence end among it
        kept.append((start, end))
    return kept


def _longest_first(extents: list[Extent]) -> list[Extent]:
    """Sorted extents without overlaps, in order: the longest of overlapping ones wins, then
    the earliest (spacy.util.filter_spans' rule); all of them, at the cost of one pass, when
    none overlap (the common case)."""
    reach = 0
    for start, end in extents:
        if start < reach:
            break
        reach = end
    else:
        return extents
    taken: set[int] = set()
    kept = []
    for start, end in sorted(extents, key=lambda e: (e[0] - e[1], e[0])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            kept.append((start, end))
    return sorted(kept)


def _repeated(matches: list[tuple[int, int, int]]) -> set[tuple[int, int]]:
    """The (start, end) extents matched more than once (under several labels)."""
    counts = Counter((start, end) for _, start, end in matches)
    return {extent for extent, n in counts.items() if n > 1}


def _choice(tally: Counter[str]) -> Choice:
    """The most frequent label (the first by name on a tie) and its share."""
    label = min(tally, key=lambda name: (-tally[name], name))
    return label, tally[label] / sum(tally.values())


def _add_to_matcher(
    nlp: Language,
    matcher: PhraseMatcher,
    labels: dict[int, str],
    patterns: Sequence[tuple[str, str]],
) -> None:
    """Tokenise phrases and add them to the matcher, one call per label."""
    by_label: dict[str, list[str]] = {}
    for label, text in patterns:
        by_label.setdefault(label, []).append(text)
    for label, texts in by_label.items():
        matcher.add(label, list(nlp.tokenizer.pipe(texts)))
        labels[nlp.vocab.strings[label]] = label


_ASCII_SPACES = ("  ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_OTHER_SPACES = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _may_have_inline_space(text: str) -> bool:
    """False only when no whitespace token can sit between two words (the common case), so
    _compact can be skipped: no double space, tab, lone line break or Unicode space. Counts
    and `isprintable` (no control or separator character) answer for most texts in plain C
    passes; the character search runs only on the rest."""
    if "  " in text:
        return True
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") != 2 * text.count("\n\n"):  # a run of line breaks of odd length
        return True
    if text.replace("\n", "").isprintable():
        return False
    return any(space in text for space in _ASCII_SPACES) or _OTHER_SPACES.search(text) is not None


def _compact(doc: Doc) -> tuple[Doc, numpy.ndarray | None]:
    """The doc without in-line whitespace tokens (double spaces, single line breaks), and the
    index map; the doc itself when it has none (paragraph breaks stay: they separate)."""
    import numpy
    from spacy.attrs import IS_SPACE
    from spacy.tokens import Doc

    spaces = numpy.flatnonzero(doc.to_array(IS_SPACE))
    inline = [int(i) for i in spaces if _line_breaks(doc[int(i)].text) < 2]
    if not inline:
        return doc, None
    keep = numpy.delete(numpy.arange(len(doc)), inline)
    words = [doc[int(i)].text for i in keep]
    return Doc(doc.vocab, words=words), keep


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")
