"""The lexicon suggester: every phrase a person marked, matched everywhere (phrase patterns)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.lexicon_names import private_lexicon
from annotator.core.model import NewSuggestion
from annotator.core.progress import Progress
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
# A lexicon hit repeats a phrase a person already marked with that label: full confidence.
LEXICON_SCORE = 1.0


CASE_SETTING = "lexicon_case_sensitive"
"""Project setting: match phrases with their exact case (default: any case)."""

EVERYONE_SETTING = "lexicon_learns_from_everyone"
"""Project setting: learn from every annotator's spans (default: the annotator's own and
gold's, so one annotator's choices are not suggested to another during double annotation)."""


class LexiconSuggester:
    """Phrase patterns (strings, so they are tokenised) matched on LOWER by a PhraseMatcher.

    Case is ignored unless `case_sensitive`; runs of whitespace between tokens (double spaces,
    single line breaks) are ignored unless `whitespace_tolerant` is off. A blank line (two or
    more line breaks) still separates: a phrase never matches across paragraphs. It matches
    what a span_ruler with the same phrase patterns finds (`pipeline()` builds one) without
    building Span objects: 10k synthetic articles took 1.1x that span_ruler's plain nlp.pipe.
    """

    def __init__(
        self,
        phrases: Mapping[str, Iterable[str]],
        *,
        case_sensitive: bool = False,
        whitespace_tolerant: bool = True,
        batch_size: int = BATCH_SIZE,
        lang: str = "en",
        name: str = LEXICON,
    ) -> None:
        self.name = name
        self.case_sensitive = case_sensitive
        self.whitespace_tolerant = whitespace_tolerant
        self.batch_size = batch_size
        self.lang = lang
        self.patterns = _patterns(phrases, case_sensitive)
        self.version = _version(self.patterns, case_sensitive, whitespace_tolerant, lang)
        self._matcher: tuple[Language, PhraseMatcher, dict[int, str]] | None = None

    @classmethod
    def from_project(
        cls, project: Any, annotator: str | None = None, **options: Any
    ) -> LexiconSuggester:
        """Phrases `annotator` and the gold layer marked (everyone's when None or when the
        project learns from everyone) plus stored term lists, for the project's span labels;
        one annotator's lexicon is named `lexicon:NAME` (its suggestions are theirs only)."""
        labels = span_labels(project)
        phrases: dict[str, set[str]] = {label: set() for label in labels}
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
        """Every phrase match in every text, one list per text, by position."""
        if not self.patterns:
            return [[] for _ in texts]
        nlp, matcher, labels = self.matcher()
        results: list[list[NewSuggestion]] = []
        for batch in batches_with_progress(texts, progress, self.batch_size):
            for text, doc in zip(batch, nlp.tokenizer.pipe(batch), strict=True):
                tolerant = self.whitespace_tolerant and _may_have_inline_space(text)
                target, index = _compact(doc) if tolerant else (doc, None)
                results.append(_matches(doc, matcher(target), labels, index))
        return results

    def add(self, phrases: Mapping[str, Iterable[str]]) -> int:
        """Add phrases (say, a span just accepted) without rebuilding; returns how many were new."""
        known = {
            (label, text if self.case_sensitive else text.lower()) for label, text in self.patterns
        }
        new = [
            (label, text)
            for label, text in _patterns(phrases, self.case_sensitive)
            if (label, text if self.case_sensitive else text.lower()) not in known
        ]
        self.patterns.extend(new)
        self.version = _version(
            self.patterns, self.case_sensitive, self.whitespace_tolerant, self.lang
        )
        if self._matcher is not None and new:
            self._add_to_matcher(*self._matcher, new)
        return len(new)

    def matcher(self) -> tuple[Language, PhraseMatcher, dict[int, str]]:
        """(blank pipeline, PhraseMatcher with every phrase, match key -> label), built once."""
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher

            from annotator.nlp.loading import shared_blank

            nlp = shared_blank(self.lang)
            matcher = PhraseMatcher(nlp.vocab, attr=self.attr)
            self._matcher = (nlp, matcher, {})
            self._add_to_matcher(nlp, matcher, self._matcher[2], self.patterns)
        return self._matcher

    @staticmethod
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

    def pipeline(self) -> Language:
        """The same lexicon as a spaCy pipeline (blank + span_ruler, spans in SPANS_KEY), for
        export and for benchmarks against plain nlp.pipe."""
        from annotator.nlp.loading import blank

        nlp = blank(self.lang)
        ruler = nlp.add_pipe(
            "span_ruler",
            config={"spans_key": SPANS_KEY, "phrase_matcher_attr": self.attr, "validate": False},
        )
        ruler.add_patterns([{"label": label, "pattern": text} for label, text in self.patterns])
        return nlp


def _patterns(phrases: Mapping[str, Iterable[str]], case_sensitive: bool) -> list[tuple[str, str]]:
    """Distinct (label, phrase) pairs, whitespace collapsed, duplicates by case merged."""
    seen: set[tuple[str, str]] = set()
    patterns: list[tuple[str, str]] = []
    for label in sorted(phrases):
        for text in sorted(phrases[label]):
            phrase = " ".join(text.split())
            key = (label, phrase if case_sensitive else phrase.lower())
            if phrase and key not in seen:
                seen.add(key)
                patterns.append((label, phrase))
    return patterns


def _version(
    patterns: Sequence[tuple[str, str]], case_sensitive: bool, whitespace_tolerant: bool, lang: str
) -> str:
    """A short hash of everything the matches depend on: the (label, phrase) pairs and options."""
    digest = hashlib.sha256(repr((case_sensitive, whitespace_tolerant, lang)).encode())
    compared = {(label, phrase if case_sensitive else phrase.lower()) for label, phrase in patterns}
    for label, phrase in sorted(compared):
        digest.update(f"\x00{label}\x01{phrase}".encode())
    return digest.hexdigest()[:16]


_ASCII_SPACES = ("  ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_OTHER_SPACES = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _may_have_inline_space(text: str) -> bool:
    """False only when no whitespace token can sit between two words (the common case), so
    _compact can be skipped: no double space, tab, lone line break or Unicode space."""
    if any(space in text for space in _ASCII_SPACES):
        return True
    if "\n" in text or "\r" in text:
        lines = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" in lines.replace("\n\n", ""):
            return True
    return not text.isascii() and _OTHER_SPACES.search(text) is not None


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


def _matches(
    doc: Doc, matches: list[tuple[int, int, int]], labels: dict[int, str], index: Any
) -> list[NewSuggestion]:
    """Matches on the (maybe compacted) doc as code-point offsets into `doc`'s text, sorted.

    Only the first and last token of each match are looked up: converting the whole doc's
    offsets (`to_array`) cost more than the matching itself on 3,000-character articles."""
    if not matches:
        return []
    tokens = index.tolist() if index is not None else None
    found = set()
    for key, start, end in matches:
        if tokens is not None:
            start, end = tokens[start], tokens[end - 1] + 1
        last = doc[end - 1]
        found.add((doc[start].idx, last.idx + len(last), labels[key]))
    return [NewSuggestion(s, e, label, LEXICON_SCORE) for s, e, label in sorted(found)]
