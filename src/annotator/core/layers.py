"""Layers an export can take: gold, one annotator, all, the majority, or model suggestions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from annotator.core.errors import NotFoundError
from annotator.core.model import Span, SpanSource, Status
from annotator.core.project import DocumentFilter, Project

ALL = "all"
GOLD = "gold"
MAJORITY = "majority"
SUGGESTIONS = "suggestions"


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
        if self.name == SUGGESTIONS:
            return [
                Span(s.id, s.document_id, s.model, s.label, s.start, s.end, SpanSource.SUGGESTION)
                for s in self.project.suggestions(document_id)
            ]
        spans = self.project.spans(document_id, self.annotator)
        if self.name == MAJORITY:
            voters = {s.annotator for s in spans} | set(self.project.states(document_id))
            return _majority(spans, len(voters))
        return spans


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
