"""Undoable commands: each holds ids and values, and `revert` restores them (same ids).

A revert, and a redo (`apply` again), changes only what the command changed and only while it
still holds what the command, or its revert, left there; otherwise it raises ConflictError and
changes nothing (core.project.undo), so another writer's note, relabel or decision is never
overwritten. Composite commands are one transaction: undone all or not at all.

The UI wraps them in one generic QUndoCommand; the CLI applies them once. `text` names the
action for the Edit menu ("Undo Add ACTOR span").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from annotator.core.errors import NotFoundError
from annotator.core.model import (
    Changes,
    Label,
    Span,
    SpanSource,
    Status,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project
from annotator.core.project.rules import changed_since
from annotator.core.project.spans import span_values


def carried_out(project: Project, step: Callable[[Project], Changes]) -> Changes:
    """Run a command's apply or revert as exactly one transaction (all or nothing); its changes
    come back carrying the values of the spans it added or updated, read inside it."""
    with project.transaction():
        return with_span_values(project, step(project))


def with_span_values(project: Project, changes: Changes) -> Changes:
    """`changes` with `spans` holding every added or updated span still there: the values it
    carries, and one read of the others (and of any it also removed, e.g. within a macro)."""
    removed = set(changes.spans_removed)
    carried = {span.id: span for span in changes.spans if span.id not in removed}
    wanted = dict.fromkeys(changes.spans_added + changes.spans_updated)
    missing = [span_id for span_id in wanted if span_id not in carried]
    if not missing and len(carried) == len(changes.spans):
        return changes
    fresh = project.spans_with_ids(missing) if missing else []
    return replace(changes, spans=(*carried.values(), *fresh))


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


def _started(start: StartDocument | None, project: Project, changes: Changes) -> Changes:
    """`changes` and those of applying `start`, if any."""
    return changes if start is None else changes | start.apply(project)


def _unstarted(start: StartDocument | None, project: Project, changes: Changes) -> Changes:
    """`changes` and those of reverting `start`, if any."""
    return changes if start is None else changes | start.revert(project)


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
            return _started(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        with project.transaction():
            changes = project.remove_unchanged_span(self.span)
            return _unstarted(self.start_document, project, changes)


@dataclass
class RemoveSpanCommand:
    span_id: int
    span: Span | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Remove {self.span.label} span" if self.span else "Remove span"

    def apply(self, project: Project) -> Changes:
        if self.span is not None:  # redo: only the span as it was removed
            return project.remove_unchanged_span(self.span)
        changes = project.remove_span(self.span_id)
        (self.span,) = changes.spans_before
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.span is not None, "revert before apply"
        return project.restore_removed_spans([self.span])


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
            return _put_back(project, self.label)
        changes = project.add_label(self.name, self.color, self.hotkey, self.description)
        self.label = project.label(self.name)
        return changes

    def revert(self, project: Project) -> Changes:
        with project.transaction():
            if _label_or_none(project, self.name) != self.label:
                raise changed_since(f"label {self.name!r}")
            return project.remove_label(self.name)


@dataclass
class UpdateLabelCommand:
    """Rename, recolour, re-key or describe a label: `fields` uses Project.update_label's names."""

    name: str
    fields: dict[str, Any]
    old: dict[str, Any] | None = field(default=None, init=False)
    new: dict[str, Any] | None = field(default=None, init=False)
    """The fields as the first apply stored them (colours normalised)."""

    @property
    def text(self) -> str:
        if "new_name" in self.fields:
            return f"Rename label {self.name} to {self.fields['new_name']}"
        return f"Change label {self.name}"

    def apply(self, project: Project) -> Changes:
        if self.old is not None and self.new is not None:  # redo
            return self._replace(project, self.old, self.new)
        self.old = self._current(project.label(self.name))
        changes = project.update_label(self.name, **self.fields)
        self.new = self._current(project.label(self.fields.get("new_name", self.name)))
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.old is not None and self.new is not None, "revert before apply"
        return self._replace(project, self.new, self.old)

    def _current(self, label: Label | None) -> dict[str, Any] | None:
        if label is None:
            return None
        values = {
            "new_name": label.name,
            "color": label.color,
            "hotkey": label.hotkey,
            "description": label.description,
        }
        return {key: values[key] for key in self.fields}

    def _replace(self, project: Project, was: dict[str, Any], now: dict[str, Any]) -> Changes:
        name = was.get("new_name", self.name)
        with project.transaction():
            if self._current(_label_or_none(project, name)) != was:
                raise changed_since(f"label {name!r}")
            return project.update_label(name, **now)


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
        with project.transaction():
            label, spans = project.label(self.name), project.spans_with_label(self.name)
            now, then = (label, _records(spans)), (self.label, _records(self.spans))
            if self.label is not None and now != then:  # redo: only what the first apply removed
                raise changed_since(f"label {self.name!r} or its spans")
            self.label, self.spans = label, spans
            return project.remove_label(self.name, force=self.force)

    def revert(self, project: Project) -> Changes:
        assert self.label is not None, "revert before apply"
        with project.transaction():
            return _put_back(project, self.label) | project.restore_removed_spans(self.spans)


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
        with project.transaction():
            for command in self.commands:
                changes |= command.apply(project)
        return changes

    def revert(self, project: Project) -> Changes:
        changes = Changes()
        with project.transaction():
            for command in reversed(self.commands):
                changes |= command.revert(project)
        return changes


@dataclass
class AcceptSuggestionCommand:
    """Accept a suggestion as a span of the annotator; undo removes the span again."""

    suggestion_id: int
    annotator: str
    start_document: StartDocument | None = None
    suggestion: Suggestion | None = field(default=None, init=False)
    span: Span | None = field(default=None, init=False)
    """The span the accept added (None: the annotator had it already, or not applied yet)."""

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
                return _started(self.start_document, project, changes)
            self.suggestion = project.suggestion(self.suggestion_id, self.annotator)
            changes = project.accept_suggestion(self.suggestion_id, self.annotator)
            if changes.spans_added:
                (self.span,) = changes.spans
            return _started(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.suggestion is not None, "revert before apply"
        with project.transaction():
            changes = project.replace_suggestion_status(
                self.suggestion_id,
                self.annotator,
                SuggestionStatus.ACCEPTED,
                self.suggestion.status,
            )
            if self.span is not None:
                changes |= project.remove_unchanged_span(self.span)
            return _unstarted(self.start_document, project, changes)


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

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            if self.spans is not None:  # redo
                changes = project.reaccept_suggestions(
                    self.suggestion_ids, self.annotator, self.spans
                )
            else:
                changes, added = project.accept_suggestions(
                    self.suggestion_ids, self.annotator, self.progress
                )
                self.spans = project.spans_with_ids(added)
            changes = replace(changes, spans=tuple(self.spans))
            return _started(self.start_document, project, changes)

    def revert(self, project: Project) -> Changes:
        assert self.spans is not None, "revert before apply"
        with project.transaction():
            changes = project.unaccept_suggestions(self.suggestion_ids, self.annotator, self.spans)
            return _unstarted(self.start_document, project, changes)


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


def _put_back(project: Project, label: Label) -> Changes:
    """Add a removed label again exactly as it was (same id, position and values)."""
    return project.add_label(
        label.name,
        label.color,
        label.hotkey,
        label.description,
        label.kind,
        label_id=label.id,
        position=label.position,
    )


def _label_or_none(project: Project, name: str) -> Label | None:
    try:
        return project.label(name)
    except NotFoundError:
        return None


def _records(spans: list[Span]) -> list[dict[str, Any]]:
    return [{"id": span.id, **span_values(span)} for span in spans]
