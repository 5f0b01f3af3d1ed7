"""The open project as the UI sees it: who annotates, which document is open, the undo stack.

Every edit goes through `execute`, which applies a core command as one transaction
(`carried_out`), pushes it on the undo stack and announces the `Changes`, which carry the values
of the spans they touched: the open document (`core.open_document`) takes them first and reports
its rows to the span list, then one `changes_applied` signal reaches the other views. The open
document's relations and the selected relation travel the same way (`relations_changed`, naming
the relations a record added and removed, and `relation_selected`); relation types are cached
beside the labels.

While a step runs in a worker (Accept All, a bulk undo or redo: `begin_background`), the undo
stack waits for it: `execute` refuses other edits with a message until `end_background`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QUndoStack

from annotator.core import labelrules
from annotator.core.commands import Command, carried_out, is_bulk, with_span_values
from annotator.core.errors import AnnotatorError
from annotator.core.intervals import SpanIndex
from annotator.core.model import (
    Changes,
    Document,
    Label,
    Relation,
    RelationType,
    Span,
    Suggestion,
)
from annotator.core.open_document import OpenDocument, OpenDocumentListener, RelationChange
from annotator.core.project import Project
from annotator.ui.undo import CoreUndoCommand


class Workspace(QObject):
    """State shared by the main window's parts; holds no widgets."""

    changes_applied = Signal(object)  # Changes
    document_opened = Signal(object)  # Document | None
    span_selected = Signal(object)  # Span | None
    error_raised = Signal(str)
    noted = Signal(str)  # something to say in passing (the status bar shows it)
    labels_changed = Signal()
    relations_changed = Signal(object)  # RelationChange | None (any: read again)
    relation_selected = Signal(object)  # Relation | None
    relation_types_changed = Signal()
    background_ended = Signal(bool)  # the step the undo stack waited for ended (committed?)

    def __init__(self, project: Project, annotator: str, *, read_only: bool = False) -> None:
        super().__init__()
        self.project = project
        self.read_only = read_only
        self.undo_stack = QUndoStack(self)
        self.opened = OpenDocument(
            labelrules.normal_name(annotator),  # the form names are stored in
            self._pending_suggestions,
        )
        """The open document's spans, suggestions and selection, kept current by `announce`;
        the Qt models translate its reports."""
        self.opened.listeners.append(
            _SelectionRelay(self.span_selected, self.relations_changed, self.relation_selected)
        )
        self._labels: list[Label] = project.labels()
        self._relation_types: list[RelationType] = project.relation_types()
        self.background: str | None = None
        """The step running in a worker that the undo stack waits for (its name), if any."""
        self.in_background: Callable[[Command], bool] | None = None
        """Carries out a bulk command in a worker (ui/undo_steps.py); None: `execute` does."""

    @property
    def annotator(self) -> str:
        """Whose spans the window shows and edits (review mode switches to the gold layer)."""
        return self.opened.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.opened.annotator = name

    @property
    def document(self) -> Document | None:
        """The open document, if any."""
        return self.opened.document

    @property
    def layer(self) -> SpanIndex:
        """The annotator's spans in the open document, read once on open and kept current by
        `announce` (views copy it instead of reading the layer again)."""
        return self.opened.spans

    @property
    def selected_span(self) -> Span | None:
        """The current span (for relabel, delete, resize), if any."""
        return self.opened.selected

    @property
    def labels(self) -> list[Label]:
        """The project's labels in palette order (cached; refreshed on label changes)."""
        return self._labels

    def label(self, name: str) -> Label | None:
        """The label of that name, if any."""
        return next((lab for lab in self._labels if lab.name == name), None)

    @property
    def relation_types(self) -> list[RelationType]:
        """The project's relation types in order (cached; refreshed when one changes)."""
        return self._relation_types

    @property
    def relations(self) -> dict[int, Relation]:
        """The annotator's relations in the open document by id, kept current by `announce`."""
        return self.opened.relations

    @property
    def selected_relation(self) -> Relation | None:
        """The current relation (for Delete), if any."""
        return self.opened.selected_relation

    def select_relation(self, relation: Relation | None) -> None:
        """Make a relation the current one (the selected span is dropped), or clear it."""
        self.opened.select_relation(relation)

    def execute(self, command: Command) -> bool:
        """Apply a command, make it undoable and announce what changed; False on refusal. A
        bulk command goes to `in_background` when set (True: started; refusals come later)."""
        if self.refused_while_busy():
            return False
        if is_bulk(command) and self.in_background is not None:
            return self.in_background(command)
        try:
            changes = carried_out(self.project, command.apply)
        except AnnotatorError as exc:
            self.error_raised.emit(str(exc))
            return False
        self.push_applied(command, changes)
        return True

    def refused_while_busy(self) -> bool:
        """Whether no edit can start now (read-only, or a background step runs), said once: an
        error box for read-only, a note while a step runs (no box over its progress dialog)."""
        if self.read_only:
            self.error_raised.emit("This project is open read-only; changes are not possible.")
        elif self.background is not None:
            self.noted.emit(f"Wait until '{self.background}' ends; nothing was changed.")
        return self.read_only or self.background is not None

    def begin_background(self, name: str) -> None:
        """A step that ends on the undo stack runs in a worker: other edits wait for it."""
        self.background = name

    def end_background(self, committed: bool) -> None:
        """That step has ended: committed (and on the stack), or refused, failed or cancelled."""
        self.background = None
        self.background_ended.emit(committed)

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
            # a renamed label renames spans: read the layer again
            self.opened.replace_spans(self._read_layer(self.document))
            self.labels_changed.emit()
        else:
            self._update_layer(changes)
        if changes.relation_types:
            self._relation_types = self.project.relation_types()
            self.opened.replace_relations(self._read_relations(self.document))
            self.relation_types_changed.emit()
        self.changes_applied.emit(changes)

    def undo(self) -> bool:
        """Undo the last step; a refused undo stays on the stack, still the one to undo.
        Whether the step was undone."""
        return self._step(self.undo_stack.undo, self.undo_stack.redo, "undo")

    def redo(self) -> bool:
        """Redo the next step; a refused redo stays on the stack, still the one to redo.
        Whether the step was redone."""
        return self._step(self.undo_stack.redo, self.undo_stack.undo, "redo")

    def next_step(self, verb: str) -> CoreUndoCommand | None:
        """The step `undo()` (verb "undo") or `redo()` would run, if any."""
        stack = self.undo_stack
        command = stack.command(stack.index() - 1 if verb == "undo" else stack.index())
        return command if isinstance(command, CoreUndoCommand) else None

    def _step(self, move: Callable[[], None], back: Callable[[], None], verb: str) -> bool:
        command = self.next_step(verb)
        if command is None:
            return False
        applied = command.applied
        move()
        if command.applied == applied:  # refused: put the index back (the command does nothing)
            back()
            return False
        return True

    def open_document(self, document_id: int | None) -> None:
        """Show another document (None closes the current one)."""
        document = None if document_id is None else self.project.document(document_id)
        self.opened.open(document, self._read_layer(document), self._read_relations(document))
        self.document_opened.emit(document)

    def select_span(self, span: Span | None) -> None:
        """Make a span the current one (for relabel, delete, resize), or clear the choice."""
        self.opened.select(span)

    def _read_layer(self, document: Document | None) -> SpanIndex:
        if document is None:
            return SpanIndex()
        return self.project.span_layer(document.id, self.annotator)

    def _read_relations(self, document: Document | None) -> list[Relation]:
        if document is None:
            return []
        return self.project.relations(document.id, self.annotator)

    def _pending_suggestions(self, document_id: int) -> list[Suggestion]:
        return self.project.suggestions(document_id, annotator=self.annotator)

    def _update_layer(self, changes: Changes) -> None:
        """Apply a change to the open document from the span values it carries (reading only
        those it does not carry, e.g. from a background task)."""
        document = self.document
        if document is not None and document.id in changes.documents:
            try:
                changes = _with_relation_values(
                    self.project, with_span_values(self.project, changes)
                )
            except AnnotatorError as exc:  # e.g. the server went away after the change was stored
                self.error_raised.emit(str(exc))
                return
        self.opened.apply(changes)


def _with_relation_values(project: Project, changes: Changes) -> Changes:
    """`changes` with `relations` holding the values of every added relation (one read of those
    it does not carry, e.g. from an import run in the background)."""
    carried = {relation.id for relation in changes.relations}
    missing = [i for i in changes.relations_added if i not in carried]
    if not missing:
        return changes
    return replace(changes, relations=(*changes.relations, *project.relations_with_ids(missing)))


class _SelectionRelay(OpenDocumentListener):
    """Announces the open document's selections and relations as the workspace's signals."""

    def __init__(
        self, span: SignalInstance, relations: SignalInstance, relation: SignalInstance
    ) -> None:
        self._span, self._relations, self._relation = span, relations, relation

    def selection_changed(self, span: Span | None) -> None:
        self._span.emit(span)

    def relations_changed(self, change: RelationChange | None) -> None:
        self._relations.emit(change)

    def relation_selected(self, relation: Relation | None) -> None:
        self._relation.emit(relation)
