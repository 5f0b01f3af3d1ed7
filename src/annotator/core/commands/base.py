"""What every undoable command is, running one as exactly one transaction, and a macro of several.

A revert, and a redo (`apply` again), changes only what the command changed and only while it
still holds what the command, or its revert, left there; otherwise it raises ConflictError and
changes nothing (core.project.undo), so another writer's note, relabel or decision is never
overwritten. The UI wraps commands in one generic QUndoCommand; the CLI applies them once. `text`
names the action for the Edit menu ("Undo Add ACTOR span").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from annotator.core.model import (
    Changes,
)
from annotator.core.project import Project

BULK_ROWS = 50
"""A step touching more rows than this is bulk: the app undoes and redoes it in a worker."""


def is_bulk(command: Command) -> bool:
    """Whether undoing or redoing `command` touches many rows (it says so with `bulk`): the app
    then runs the step in a worker instead of on the GUI thread."""
    return bool(getattr(command, "bulk", False))


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


class Command(Protocol):
    """Something the user did, that can be undone and redone."""

    @property
    def text(self) -> str: ...

    def apply(self, project: Project) -> Changes: ...

    def revert(self, project: Project) -> Changes: ...


@dataclass
class MacroCommand:
    """Several commands as one undo step (e.g. accept all suggestions)."""

    label: str
    commands: list[Command]

    @property
    def text(self) -> str:
        return self.label

    @property
    def bulk(self) -> bool:
        return len(self.commands) > BULK_ROWS or any(map(is_bulk, self.commands))

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
