"""The suggester interface, and running several suggesters in a configured order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from annotator.core.model import NewSuggestion
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.nlp.streaming import OffsetProgress

LEXICON = "lexicon"
PROJECT_MODEL = "project-model"
PIPELINE = "pipeline"
DEFAULT_ORDER: tuple[str, ...] = (LEXICON, PROJECT_MODEL, PIPELINE)
ORDER_SETTING = "suggester_order"


@runtime_checkable
class Suggester(Protocol):
    """Proposes labelled spans for texts; `name` is stored as Suggestion.model."""

    name: str
    version: str
    """What it suggests from, recorded with each document's run: a document suggested from
    another version is out of date and suggested again ("": the name says it all)."""

    def available(self) -> bool:
        """Whether suggest() can run (cheap: no model is loaded to answer)."""
        ...

    def unavailable_reason(self) -> str:
        """Why it cannot run and how to fix that ("" when available)."""
        ...

    def suggest(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> list[list[NewSuggestion]]:
        """One list per text, code-point offsets into that text; raises Cancelled on cancel."""
        ...


def kind_of(name: str) -> str:
    """The suggester kind of a stored model name: 'pipeline:en_core_web_sm' -> 'pipeline'."""
    return name.partition(":")[0]


def ordered(suggesters: Iterable[Suggester], order: Sequence[str] = DEFAULT_ORDER) -> list:
    """Suggesters sorted by the position of their kind (or full name) in `order`; others last."""
    rank = {key: i for i, key in enumerate(order)}

    def position(s: Suggester) -> int:
        return rank.get(s.name, rank.get(kind_of(s.name), len(rank)))

    return sorted(suggesters, key=position)


def merge(
    per_suggester: Sequence[tuple[str, list[list[NewSuggestion]]]], n_texts: int
) -> list[list[tuple[str, NewSuggestion]]]:
    """Merge results per text in the given order: identical label+offsets, first one wins."""
    merged: list[list[tuple[str, NewSuggestion]]] = [[] for _ in range(n_texts)]
    for i in range(n_texts):
        seen: set[tuple[str, int, int]] = set()
        for name, results in per_suggester:
            for item in results[i]:
                key = (item.label, item.start, item.end)
                if key not in seen:
                    seen.add(key)
                    merged[i].append((name, item))
        merged[i].sort(key=lambda pair: (pair[1].start, pair[1].end, pair[1].label))
    return merged


def combine(
    suggesters: Sequence[Suggester], texts: Sequence[str], progress: Progress | None = None
) -> list[list[tuple[str, NewSuggestion]]]:
    """Run suggesters in the order given (see `ordered`) and merge; (name, suggestion) pairs."""
    progress = progress or NullProgress()
    total = len(suggesters) * len(texts)
    results = []
    for i, suggester in enumerate(suggesters):
        check_cancelled(progress)
        part = OffsetProgress(progress, i * len(texts), total)
        results.append((suggester.name, suggester.suggest(texts, part)))
    progress.report(total, total)
    return merge(results, len(texts))
