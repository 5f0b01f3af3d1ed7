"""The open project as the UI sees it: who annotates, which document is open, the undo stack.

Every edit goes through `execute`, which applies a core command as one transaction
(`carried_out`), pushes it on the undo stack and announces the `Changes`, which carry the values
of the spans they touched, with one `changes_applied` signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core import labelrules
from annotator.core.commands import Command, carried_out, with_span_values
from annotator.core.errors import AnnotatorError
from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, Document, Label, Span
from annotator.core.project import Project
from annotator.ui.undo import CoreUndoCommand


class Workspace(QObject):
    """State shared by the main window's parts; holds no widgets."""

    changes_applied = Signal(object)  # Changes
    document_opened = Signal(object)  # Document | None
    span_selected = Signal(object)  # Span | None
    error_raised = Signal(str)
    labels_changed = Signal()

    def __init__(self, project: Project, annotator: str, *, read_only: bool = False) -> None:
        super().__init__()
        self.project = project
        self.annotator = labelrules.normal_name(annotator)  # the form names are stored in
        self.read_only = read_only
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        self.layer = SpanIndex()
        """The annotator's spans in the open document, read once on open and kept current by
        `announce` (views copy it instead of reading the layer again)."""
        self.selected_span: Span | None = None
        self._labels: list[Label] = project.labels()

    @property
    def labels(self) -> list[Label]:
        """The project's labels in palette order (cached; refreshed on label changes)."""
        return self._labels

    def label(self, name: str) -> Label | None:
        """The label of that name, if any."""
        return next((lab for lab in self._labels if lab.name == name), None)

    def execute(self, command: Command) -> bool:
        """Apply a command, make it undoable and announce what changed; False on refusal."""
        if self.read_only:
            self.error_raised.emit("This project is open read-only; changes are not possible.")
            return False
        try:
            changes = carried_out(self.project, command.apply)
        except AnnotatorError as exc:
            self.error_raised.emit(str(exc))
            return False
        self.push_applied(command, changes)
        return True

    def push_applied(self, command: Command, changes: Changes) -> None:
        """Make a command applied elsewhere (a background task) undoable and announce it."""
        self.undo_stack.push(
            CoreUndoCommand(self.project, command, self.announce, self.error_raised.emit)
        )
        self.announce(changes)

    def announce(self, changes: Changes) -> None:
        """Tell every view what changed (after a command, an undo, or a background task)."""
        if changes.labels:
            self._labels = self.project.labels()
            self._read_layer()  # a renamed label renames spans
        else:
            self._update_layer(changes)
        if changes.labels:
            self.labels_changed.emit()
        if self.selected_span is not None and self.selected_span.id in changes.spans_removed:
            self.select_span(None)
        self.changes_applied.emit(changes)

    def undo(self) -> None:
        """Undo the last step; a refused undo stays on the stack, still the one to undo."""
        self._step(self.undo_stack.undo, self.undo_stack.redo, self.undo_stack.index() - 1)

    def redo(self) -> None:
        """Redo the next step; a refused redo stays on the stack, still the one to redo."""
        self._step(self.undo_stack.redo, self.undo_stack.undo, self.undo_stack.index())

    def _step(self, move: Callable[[], None], back: Callable[[], None], index: int) -> None:
        command = self.undo_stack.command(index)
        if command is None:
            return
        applied = command.applied
        move()
        if command.applied == applied:  # refused: put the index back (the command does nothing)
            back()

    def open_document(self, document_id: int | None) -> None:
        """Show another document (None closes the current one)."""
        self.select_span(None)
        self.document = None if document_id is None else self.project.document(document_id)
        self._read_layer()
        self.document_opened.emit(self.document)

    def select_span(self, span: Span | None) -> None:
        """Make a span the current one (for relabel, delete, resize), or clear the choice."""
        self.selected_span = span
        self.span_selected.emit(span)

    def _read_layer(self) -> None:
        document = self.document
        if document is None:
            self.layer = SpanIndex()
        else:
            self.layer = self.project.span_layer(document.id, self.annotator)

    def _update_layer(self, changes: Changes) -> None:
        """Apply a change to `layer` from the span values it carries (reading only those it
        does not carry, e.g. from a background task)."""
        document = self.document
        if document is None or document.id not in changes.documents:
            return
        for span_id in changes.spans_removed:
            self.layer.remove(span_id)
        changed = tuple(dict.fromkeys(changes.spans_added + changes.spans_updated))
        if not changed:
            return
        try:
            fresh = with_span_values(self.project, changes).spans
        except AnnotatorError as exc:  # e.g. the server went away after the change was stored
            self.error_raised.emit(str(exc))
            return
        mine = {
            span.id: span
            for span in fresh
            if span.document_id == document.id and span.annotator == self.annotator
        }
        for span_id in changed:
            span = mine.get(span_id)
            if span is None:
                self.layer.remove(span_id)
            else:
                self.layer.add(span)
