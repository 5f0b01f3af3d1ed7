"""Commands on one annotator's spans and document statuses (the first span also starts the
document: StartDocument, in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import (
    Changes,
    Relation,
    Span,
    SpanSource,
    Status,
)
from annotator.core.project import Project


@dataclass
class StartDocument:
    """ "The first span moves the document to in progress", as a step of the command that adds
    the span (same transaction, undone with it): a document the annotator has as todo goes in
    progress; revert puts it back to todo, redo in progress again."""

    document_id: int
    annotator: str
    started: bool | None = field(default=None, init=False)
    """None: not applied yet; False: the document was not todo, nothing to do."""

    def apply(self, project: Project) -> Changes:
        if self.started is None:
            changes = project.start_document(self.document_id, self.annotator)
            self.started = bool(changes.statuses)
            return changes
        if self.started:
            return project.replace_status(
                self.document_id, self.annotator, Status.TODO, Status.IN_PROGRESS
            )
        return Changes()

    def revert(self, project: Project) -> Changes:
        if not self.started:
            return Changes()
        return project.replace_status(
            self.document_id, self.annotator, Status.IN_PROGRESS, Status.TODO
        )


def started_along(start: StartDocument | None, project: Project, changes: Changes) -> Changes:
    """`changes` and those of applying `start`, if any."""
    return changes if start is None else changes | start.apply(project)


def unstarted_along(start: StartDocument | None, project: Project, changes: Changes) -> Changes:
    """`changes` and those of reverting `start`, if any."""
    return changes if start is None else changes | start.revert(project)


@dataclass
class AddSpanCommand:
    document_id: int
    annotator: str
    label: str
    start: int
    end: int
    source: SpanSource = SpanSource.MANUAL
    note: str = ""
    start_document: StartDocument | None = None
    """Set by the window: the first span of a todo document moves it to in progress."""
    span: Span | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add {self.label} span"

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            if self.span is not None:  # redo: the very same span comes back
                changes = project.restore_removed_spans([self.span])
            else:
                changes = project.add_span(
                    self.document_id,
                    self.annotator,
                    self.label,
                    self.start,
                    self.end,
                    source=self.source,
                    note=self.note,
                )
                (self.span,) = changes.spans
            return started_along(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        with project.transaction():
            changes = project.remove_unchanged_span(self.span)
            return unstarted_along(self.start_document, project, changes)


@dataclass
class RemoveSpanCommand:
    """Remove a span and its relations; undo brings both back, redo removes both again."""

    span_id: int
    span: Span | None = field(default=None, init=False)
    relations: tuple[Relation, ...] = field(default=(), init=False)

    @property
    def text(self) -> str:
        return f"Remove {self.span.label} span" if self.span else "Remove span"

    def apply(self, project: Project) -> Changes:
        if self.span is not None:  # redo: only the span as it was removed, with its relations
            changes = project.remove_unchanged_span(self.span, with_relations=True)
        else:
            changes = project.remove_span(self.span_id)
            (self.span,) = changes.spans_before
        self.relations = changes.relations_before  # the relations it took along, for undo
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        return project.restore_removed_spans_with_relations([self.span], self.relations)


@dataclass
class _EditSpanCommand:
    """Base of edits to some fields of one span (`_values`): revert writes back their values
    from before the edit, redo the edited ones, each only while the span still has the other."""

    span_id: int
    old: dict[str, Any] | None = field(default=None, init=False)

    def _values(self) -> dict[str, Any]:
        raise NotImplementedError

    def _edit(self, project: Project) -> Changes:
        raise NotImplementedError

    def apply(self, project: Project) -> Changes:
        if self.old is not None:
            return project.replace_span_values(self.span_id, self.old, self._values())
        changes = self._edit(project)
        (span,) = changes.spans_before
        self.old = {key: getattr(span, key) for key in self._values()}
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.old is not None, "revert before apply"
        return project.replace_span_values(self.span_id, self._values(), self.old)


@dataclass
class RelabelSpanCommand(_EditSpanCommand):
    label: str = ""

    @property
    def text(self) -> str:
        return f"Relabel span as {self.label}"

    def _values(self) -> dict[str, Any]:
        return {"label": self.label}

    def _edit(self, project: Project) -> Changes:
        return project.relabel_span(self.span_id, self.label)


@dataclass
class ResizeSpanCommand(_EditSpanCommand):
    start: int = 0
    end: int = 0

    @property
    def text(self) -> str:
        return "Resize span"

    def _values(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    def _edit(self, project: Project) -> Changes:
        return project.resize_span(self.span_id, self.start, self.end)


@dataclass
class SetStatusCommand:
    document_id: int
    annotator: str
    status: Status
    old: Status | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Mark document {Status(self.status).value.replace('_', ' ')}"

    def apply(self, project: Project) -> Changes:
        if self.old is not None:
            return project.replace_status(self.document_id, self.annotator, self.old, self.status)
        changes = project.set_status(self.document_id, self.annotator, self.status)
        self.old = changes.statuses[0].was
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.old is not None, "revert before apply"
        return project.replace_status(self.document_id, self.annotator, self.status, self.old)
