"""Undoable commands: each holds ids and values, and `revert` restores exactly (same ids).

The UI wraps them in one generic QUndoCommand; the CLI applies them once. `text` names the
action for the Edit menu ("Undo Add ACTOR span").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from annotator.core.model import (
    Changes,
    Label,
    Span,
    SpanSource,
    Status,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.project import Project


class Command(Protocol):
    """Something the user did, that can be undone and redone."""

    @property
    def text(self) -> str: ...

    def apply(self, project: Project) -> Changes: ...

    def revert(self, project: Project) -> Changes: ...


@dataclass
class AddSpanCommand:
    document_id: int
    annotator: str
    label: str
    start: int
    end: int
    source: SpanSource = SpanSource.MANUAL
    note: str = ""
    span: Span | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add {self.label} span"

    def apply(self, project: Project) -> Changes:
        if self.span is not None:  # redo: the very same span comes back
            return project.restore_spans([self.span])
        changes = project.add_span(
            self.document_id,
            self.annotator,
            self.label,
            self.start,
            self.end,
            source=self.source,
            note=self.note,
        )
        self.span = project.span(changes.spans_added[0])
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        return project.remove_span(self.span.id)


@dataclass
class RemoveSpanCommand:
    span_id: int
    span: Span | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Remove {self.span.label} span" if self.span else "Remove span"

    def apply(self, project: Project) -> Changes:
        self.span = project.span(self.span_id)
        return project.remove_span(self.span_id)

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        return project.restore_spans([self.span])


@dataclass
class _EditSpanCommand:
    """Base of edits to one span: revert writes back the snapshot taken before the edit."""

    span_id: int
    old: Span | None = field(default=None, init=False)

    def apply(self, project: Project) -> Changes:
        self.old = project.span(self.span_id)
        return self._edit(project)

    def _edit(self, project: Project) -> Changes:
        raise NotImplementedError

    def revert(self, project: Project) -> Changes:
        assert self.old is not None, "revert before apply"
        return project.restore_span_values(self.old)


@dataclass
class RelabelSpanCommand(_EditSpanCommand):
    label: str = ""

    @property
    def text(self) -> str:
        return f"Relabel span as {self.label}"

    def _edit(self, project: Project) -> Changes:
        return project.relabel_span(self.span_id, self.label)


@dataclass
class ResizeSpanCommand(_EditSpanCommand):
    start: int = 0
    end: int = 0

    @property
    def text(self) -> str:
        return "Resize span"

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
        self.old = project.status(self.document_id, self.annotator)
        return project.set_status(self.document_id, self.annotator, self.status)

    def revert(self, project: Project) -> Changes:
        assert self.old is not None, "revert before apply"
        return project.set_status(self.document_id, self.annotator, self.old)


@dataclass
class AddLabelCommand:
    name: str
    color: str | None = None
    hotkey: str | None = None
    description: str = ""
    label: Label | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add label {self.name}"

    def apply(self, project: Project) -> Changes:
        if self.label is not None:
            lab = self.label
            return project.add_label(
                lab.name,
                lab.color,
                lab.hotkey,
                lab.description,
                lab.kind,
                label_id=lab.id,
                position=lab.position,
            )
        changes = project.add_label(self.name, self.color, self.hotkey, self.description)
        self.label = project.label(self.name)
        return changes

    def revert(self, project: Project) -> Changes:
        return project.remove_label(self.name)


@dataclass
class UpdateLabelCommand:
    """Rename, recolour, re-key or describe a label: `fields` uses Project.update_label's names."""

    name: str
    fields: dict[str, Any]
    old: dict[str, Any] = field(default_factory=dict, init=False)

    @property
    def text(self) -> str:
        if "new_name" in self.fields:
            return f"Rename label {self.name} to {self.fields['new_name']}"
        return f"Change label {self.name}"

    def apply(self, project: Project) -> Changes:
        label = project.label(self.name)
        current = {
            "new_name": label.name,
            "color": label.color,
            "hotkey": label.hotkey,
            "description": label.description,
        }
        self.old = {key: current[key] for key in self.fields}
        return project.update_label(self.name, **self.fields)

    def revert(self, project: Project) -> Changes:
        return project.update_label(self.fields.get("new_name", self.name), **self.old)


@dataclass
class RemoveLabelCommand:
    name: str
    force: bool = False
    label: Label | None = field(default=None, init=False)
    spans: list[Span] = field(default_factory=list, init=False)

    @property
    def text(self) -> str:
        return f"Remove label {self.name}"

    def apply(self, project: Project) -> Changes:
        self.label = project.label(self.name)
        self.spans = project.spans_with_label(self.name)
        return project.remove_label(self.name, force=self.force)

    def revert(self, project: Project) -> Changes:
        assert self.label is not None, "revert before apply"
        lab = self.label
        changes = project.add_label(
            lab.name,
            lab.color,
            lab.hotkey,
            lab.description,
            lab.kind,
            label_id=lab.id,
            position=lab.position,
        )
        return changes | project.restore_spans(self.spans)


@dataclass
class MacroCommand:
    """Several commands as one undo step (e.g. accept all suggestions)."""

    label: str
    commands: list[Command]

    @property
    def text(self) -> str:
        return self.label

    def apply(self, project: Project) -> Changes:
        changes = Changes()
        for command in self.commands:
            changes |= command.apply(project)
        return changes

    def revert(self, project: Project) -> Changes:
        changes = Changes()
        for command in reversed(self.commands):
            changes |= command.revert(project)
        return changes


@dataclass
class AcceptSuggestionCommand:
    """Accept a suggestion as a span of the annotator; undo removes the span again."""

    suggestion_id: int
    annotator: str
    suggestion: Suggestion | None = field(default=None, init=False)
    span_id: int | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Accept {self.suggestion.label} suggestion" if self.suggestion else "Accept"

    def apply(self, project: Project) -> Changes:
        self.suggestion = project.suggestion(self.suggestion_id)
        changes = project.accept_suggestion(
            self.suggestion_id, self.annotator, span_id=self.span_id
        )
        if changes.spans_added:
            self.span_id = changes.spans_added[0]
        return changes

    def revert(self, project: Project) -> Changes:
        changes = project.set_suggestion_status(
            self.suggestion_id, SuggestionStatus.PENDING, self.annotator
        )
        if self.span_id is not None:
            changes |= project.remove_span(self.span_id)
        return changes


@dataclass
class RejectSuggestionCommand:
    """Dismiss a suggestion for the annotator; undo brings it back as pending for them."""

    suggestion_id: int
    annotator: str

    @property
    def text(self) -> str:
        return "Reject suggestion"

    def apply(self, project: Project) -> Changes:
        return project.reject_suggestion(self.suggestion_id, self.annotator)

    def revert(self, project: Project) -> Changes:
        return project.set_suggestion_status(
            self.suggestion_id, SuggestionStatus.PENDING, self.annotator
        )
