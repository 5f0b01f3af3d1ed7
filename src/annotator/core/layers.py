"""Layers an export can take: gold, one annotator, all, the majority, or model suggestions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from annotator.core.errors import NotFoundError
from annotator.core.layer_names import ALL as ALL
from annotator.core.layer_names import GOLD as GOLD
from annotator.core.layer_names import MAJORITY as MAJORITY
from annotator.core.layer_names import SUGGESTIONS as SUGGESTIONS
from annotator.core.model import Span, SpanSource, Status
from annotator.core.project import DocumentFilter, Project


class Layer:
    """A named layer resolved against a project: which spans and which statuses it exports."""

    def __init__(self, project: Project, name: str) -> None:
        self.project = project
        self.name = name
        self.annotator = self._annotator_of(name)

    def _annotator_of(self, name: str) -> str | None:
        """The single annotator a layer stands for (None for all, majority, suggestions)."""
        if name in (ALL, MAJORITY, SUGGESTIONS):
            return None
        names = {a.name: a for a in self.project.annotators()}
        if name == GOLD:
            gold = [a.name for a in names.values() if a.is_gold]
            if not gold:
                raise NotFoundError(
                    "this project has no gold layer yet; adjudicate one, or export "
                    "--layer all, --layer majority or --layer <annotator>"
                )
            return gold[0]
        if name not in names:
            known = ", ".join(sorted(names)) or "none yet"
            raise NotFoundError(f"no annotator named {name!r} (annotators: {known})")
        return name

    def done_filter(self) -> DocumentFilter:
        """Documents this layer counts as finished."""
        return DocumentFilter(annotator=self.annotator, status=Status.DONE)

    def spans(self, document_id: int) -> list[Span]:
        """The layer's spans in one document, by position."""
        return self.spans_of_documents([document_id])[document_id]

    def spans_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Span]]:
        """The layer's spans in several documents (a few queries for the whole batch)."""
        if self.name == SUGGESTIONS:
            found = self.project.suggestions_of_documents(document_ids)
            return {
                doc_id: [
                    Span(s.id, doc_id, s.model, s.label, s.start, s.end, SpanSource.SUGGESTION)
                    for s in suggestions
                ]
                for doc_id, suggestions in found.items()
            }
        every = self.project.spans_of_documents(document_ids)
        if self.annotator is not None:
            return {
                doc_id: [s for s in spans if s.annotator == self.annotator]
                for doc_id, spans in every.items()
            }
        if self.name == MAJORITY:
            return {
                doc_id: _majority(
                    spans, len({s.annotator for s in spans} | set(self.project.states(doc_id)))
                )
                for doc_id, spans in every.items()
            }
        return every


def _majority(spans: list[Span], voters: int) -> list[Span]:
    """Spans (label and exact offsets) marked by more than half of the voters."""
    marked = {(s.annotator, s.label, s.start, s.end) for s in spans}
    votes = Counter((label, start, end) for _, label, start, end in marked)
    kept: dict[tuple[str, int, int], Span] = {}
    for span in spans:
        key = (span.label, span.start, span.end)
        if votes[key] * 2 > voters and key not in kept:
            kept[key] = replace(span, annotator=MAJORITY)
    return list(kept.values())
