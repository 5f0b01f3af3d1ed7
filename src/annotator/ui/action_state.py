"""Which actions are enabled now, and the Undo / Redo texts, from the workspace, the article and
review mode: one `update` that every change of state calls."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from annotator.ui.actions import (
    ACTIONS,
    ALWAYS,
    DOCUMENT,
    REVIEW,
    SELECTED,
    SPAN,
    SUGGESTION,
    WRITABLE,
)
from annotator.ui.article_view import ArticleView
from annotator.ui.workspace import Workspace

_ENABLED_WHEN = {spec.id: spec.enabled_when for spec in ACTIONS if spec.enabled_when != ALWAYS}
WRITES_FILES = ("file.import", "file.import_folder", "file.merge")


class ActionState(QObject):
    """Keeps `actions` enabled as their specs say; `reviewing()` tells whether review is on."""

    def __init__(
        self,
        actions: Mapping[str, QAction],
        workspace: Workspace,
        article: ArticleView,
        reviewing: Callable[[], bool],
    ) -> None:
        super().__init__(workspace)
        self.actions = actions
        self.workspace = workspace
        self.article = article
        self._reviewing = reviewing
        for signal in (
            workspace.document_opened,
            workspace.changes_applied,
            workspace.span_selected,
            workspace.relation_selected,
            article.selectionChanged,
        ):
            signal.connect(self.update)
        stack = workspace.undo_stack  # its own signals carry what its slots need: it also
        # announces itself while being destroyed, when it can no longer be asked
        stack.canUndoChanged.connect(actions["edit.undo"].setEnabled)
        stack.canRedoChanged.connect(actions["edit.redo"].setEnabled)
        stack.undoTextChanged.connect(self._on_undo_stack_undo_text_changed)
        stack.redoTextChanged.connect(self._on_undo_stack_redo_text_changed)

    def update(self, *_args) -> None:
        """Enable each action as its spec's `enabled_when` says, for the state right now."""
        ws = self.workspace
        has_doc = ws.document is not None
        state = {
            DOCUMENT: has_doc,
            SPAN: ws.selected_span is not None and not ws.read_only,
            SELECTED: (ws.selected_span or ws.selected_relation) is not None and not ws.read_only,
            WRITABLE: has_doc and not ws.read_only,
            SUGGESTION: self.article.current_suggestion is not None and not ws.read_only,
            REVIEW: self._reviewing(),
        }
        for spec_id, action in self.actions.items():
            when = _ENABLED_WHEN.get(spec_id)
            if when is not None:
                action.setEnabled(state[when])
        self.actions["edit.undo"].setEnabled(ws.undo_stack.canUndo())
        self.actions["edit.redo"].setEnabled(ws.undo_stack.canRedo())
        for key in WRITES_FILES:
            self.actions[key].setEnabled(not ws.read_only)

    def _on_undo_stack_undo_text_changed(self, text: str) -> None:
        self.actions["edit.undo"].setText(f"&Undo {text}" if text else "&Undo")

    def _on_undo_stack_redo_text_changed(self, text: str) -> None:
        self.actions["edit.redo"].setText(f"&Redo {text}" if text else "&Redo")
