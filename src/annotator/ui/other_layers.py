"""Other annotators' layers, shown read-only under the article's text, toggled per annotator.

The open document's spans of every chosen annotator are read once when it opens and again when
a change reaches that document from outside this window's own edits (another process, a merge,
the live refresh), and handed to the article view, which underlines them (ui.overlay). Only the
workspace's own layer is ever edited. The choice is remembered per project.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QMenu

from annotator.core.errors import AnnotatorError
from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, Document
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
MAX_SHOWN = 4
"""More underline lanes than this would crowd the line's descent; the menu says so."""


class OtherLayers(QObject):
    """Which other annotators' layers are shown, and their spans in the open document."""

    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent or workspace)
        self.workspace = workspace
        self._key = f"other_layers/{workspace.project.location}"
        remembered = QSettings().value(self._key, [], type=list)
        self.shown: list[str] = [str(name) for name in remembered][:MAX_SHOWN]
        self.layers: list[tuple[str, SpanIndex]] = []
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
        self._read()

    def candidates(self) -> list[str]:
        """Annotators whose layer could be shown: everyone but the one editing."""
        own = self.workspace.annotator
        return [a.name for a in self.workspace.project.annotators() if a.name != own]

    def fill_menu(self, menu: QMenu) -> None:
        """View → Other Annotators' Layers: one tickable entry per other annotator."""
        menu.clear()
        names = self.candidates()
        if not names:
            menu.addAction("No other annotator in this project").setEnabled(False)
        for name in names:
            action = menu.addAction(name)  # a QAction's text is never rich text
            action.setCheckable(True)
            action.setChecked(name in self.shown)
            action.setEnabled(name in self.shown or len(self.shown) < MAX_SHOWN)
            action.toggled.connect(lambda on, who=name: self.set_shown(who, on))

    def set_shown(self, annotator: str, shown: bool) -> None:
        """Show or hide one annotator's layer (at most MAX_SHOWN at once)."""
        if shown and annotator not in self.shown and len(self.shown) < MAX_SHOWN:
            self.shown.append(annotator)
        elif not shown and annotator in self.shown:
            self.shown.remove(annotator)
        else:
            return
        QSettings().setValue(self._key, self.shown)
        self._read()

    def _read(self) -> None:
        document = self.workspace.document
        own = self.workspace.annotator
        names = [name for name in self.shown if name != own]
        try:
            self.layers = (
                [(name, self.workspace.project.span_layer(document.id, name)) for name in names]
                if document is not None
                else []
            )
        except AnnotatorError as exc:  # e.g. a server that went away
            log.warning("cannot read the other layers: %s", exc)
            self.layers = []
        self.changed.emit()

    def _on_workspace_document_opened(self, _document: Document | None) -> None:
        self._read()

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        document = self.workspace.document
        if not self.shown or document is None or document.id not in changes.documents:
            return
        own_edit = changes.spans_added or changes.spans_removed or changes.spans_updated
        if not own_edit or changes.labels:  # from outside (live refresh, merge) or a rename
            self._read()
