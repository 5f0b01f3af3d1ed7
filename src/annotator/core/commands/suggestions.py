"""Commands that decide model suggestions: accept one (which resolves its competitors), accept
many (Accept All), reject one; an accepted suggestion becomes a span of the annotator and may
start the document."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from annotator.core.commands.base import BULK_ROWS
from annotator.core.commands.spans import StartDocument, started_along, unstarted_along
from annotator.core.model import (
    Changes,
    Span,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project


@dataclass
class AcceptSuggestionCommand:
    """Accept a suggestion as a span of the annotator, and resolve the pending suggestions it
    competes with (`competitors`) in the same step; undo removes the span again and makes
    them pending again."""

    suggestion_id: int
    annotator: str
    start_document: StartDocument | None = None
    suggestion: Suggestion | None = field(default=None, init=False)
    span: Span | None = field(default=None, init=False)
    """The span the accept added (None: the annotator had it already, or not applied yet)."""
    resolved: tuple[tuple[int, SuggestionStatus], ...] = field(default=(), init=False)
    """The competing suggestions the accept decided, with the decision (they were pending)."""

    @property
    def text(self) -> str:
        return f"Accept {self.suggestion.label} suggestion" if self.suggestion else "Accept"

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            if self.suggestion is not None:  # redo
                changes = project.replace_suggestion_status(
                    self.suggestion_id,
                    self.annotator,
                    self.suggestion.status,
                    SuggestionStatus.ACCEPTED,
                )
                if self.span is not None:
                    changes |= project.restore_removed_spans([self.span])
                for other, decision in self.resolved:
                    changes |= project.replace_suggestion_status(
                        other, self.annotator, SuggestionStatus.PENDING, decision
                    )
                return started_along(self.start_document, project, changes)
            self.suggestion = project.suggestion(self.suggestion_id, self.annotator)
            changes = project.accept_suggestion(self.suggestion_id, self.annotator)
            if changes.spans_added:
                (self.span,) = changes.spans
            self.resolved = tuple(competitors(project, self.suggestion, self.annotator))
            for other, decision in self.resolved:
                changes |= project.set_suggestion_status(other, decision, self.annotator)
            return started_along(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.suggestion is not None, "revert before apply"
        with project.transaction():
            changes = project.replace_suggestion_status(
                self.suggestion_id,
                self.annotator,
                SuggestionStatus.ACCEPTED,
                self.suggestion.status,
            )
            for other, decision in self.resolved:
                changes |= project.replace_suggestion_status(
                    other, self.annotator, decision, SuggestionStatus.PENDING
                )
            if self.span is not None:
                changes |= project.remove_unchanged_span(self.span)
            return unstarted_along(self.start_document, project, changes)


def competitors(
    project: Project, accepted: Suggestion, annotator: str
) -> list[tuple[int, SuggestionStatus]]:
    """The annotator's pending suggestions that accepting `accepted` decides, with the decision:
    those on the same extent (rejected; one with the same label too is the same proposal from
    another suggester: accepted) and those inside it from the same suggester (rejected)."""
    extent = (accepted.start, accepted.end)
    decided = []
    for other in project.suggestions(accepted.document_id, annotator=annotator, within=extent):
        if other.id == accepted.id:
            continue
        if (other.start, other.end) == extent:
            same = other.label == accepted.label
            decided.append(
                (other.id, SuggestionStatus.ACCEPTED if same else SuggestionStatus.REJECTED)
            )
        elif other.model == accepted.model:
            decided.append((other.id, SuggestionStatus.REJECTED))
    return decided


@dataclass
class AcceptSuggestionsCommand:
    """Accept many pending suggestions of the annotator as one step, by set operations
    (Project.accept_suggestions): apply, undo and redo each take a few statements per 500
    suggestions. `progress` (set by a background task) reports and cancels the first apply."""

    suggestion_ids: tuple[int, ...]
    annotator: str
    progress: Progress = field(default_factory=NullProgress, repr=False)
    start_document: StartDocument | None = None
    spans: list[Span] | None = field(default=None, init=False)
    """The spans the accept added (None: not applied yet)."""

    @property
    def text(self) -> str:
        count = len(self.suggestion_ids)
        return f"Accept {count:,} suggestion" + ("" if count == 1 else "s")

    @property
    def bulk(self) -> bool:
        return len(self.suggestion_ids) > BULK_ROWS

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            if self.spans is not None:  # redo
                changes = project.reaccept_suggestions(
                    self.suggestion_ids, self.annotator, self.spans
                )
            else:
                changes, self.spans = project.accept_suggestions(
                    self.suggestion_ids, self.annotator, self.progress
                )
            changes = replace(changes, spans=tuple(self.spans))
            return started_along(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.spans is not None, "revert before apply"
        with project.transaction():
            changes = project.unaccept_suggestions(self.suggestion_ids, self.annotator, self.spans)
            return unstarted_along(self.start_document, project, changes)


@dataclass
class RejectSuggestionCommand:
    """Dismiss a suggestion for the annotator; undo brings back the status it had for them."""

    suggestion_id: int
    annotator: str
    was: SuggestionStatus | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return "Reject suggestion"

    def apply(self, project: Project) -> Changes:
        if self.was is not None:  # redo
            return project.replace_suggestion_status(
                self.suggestion_id, self.annotator, self.was, SuggestionStatus.REJECTED
            )
        self.was = project.suggestion(self.suggestion_id, self.annotator).status
        return project.reject_suggestion(self.suggestion_id, self.annotator)

    def revert(self, project: Project) -> Changes:
        assert self.was is not None, "revert before apply"
        return project.replace_suggestion_status(
            self.suggestion_id, self.annotator, SuggestionStatus.REJECTED, self.was
        )
