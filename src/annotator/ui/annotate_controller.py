"""Annotating: label keys, add / relabel / delete / resize a span, a document's
status and moving on to the next one. Every edit is a core command run through the Workspace;
the article follows the workspace's signals (the document opened, the changes applied)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core import labelrules
from annotator.core.commands import (
    AddSpanCommand,
    RelabelSpanCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
    StartDocument,
)
from annotator.core.errors import NotFoundError
from annotator.core.model import Changes, Document, Span, Status
from annotator.ui.article_view import ArticleView
from annotator.ui.navigator import NavigatorPanel
from annotator.ui.reading_place import (
    remember_place,
    remembered_place,
    scroll_to_top,
    top_position,
)
from annotator.ui.status_bar import StatusBarController
from annotator.ui.theme import highlight_color, is_dark
from annotator.ui.workspace import Workspace

RELATE_CLASH_MS = 20_000
"""How long the status bar says that a label's key r gave way to Relate."""


class AnnotateController(QObject):
    """The keys and menu items that change the annotator's layer and the document's status.

    `choose_label_elsewhere(name)` is asked when a label key has neither a selection nor a span
    to act on (review mode takes it as a choice of label for its candidate); True if it did.
    """

    def __init__(
        self,
        workspace: Workspace,
        article: ArticleView,
        navigator: NavigatorPanel,
        status: StatusBarController,
        choose_label_elsewhere: Callable[[str], bool],
        shortcut_parent: QWidget,
    ) -> None:
        super().__init__(shortcut_parent)
        self.workspace = workspace
        self.article = article
        self.navigator = navigator
        self.status = status
        self._choose_label_elsewhere = choose_label_elsewhere
        self._shortcut_parent = shortcut_parent
        self._label_shortcuts: list[QShortcut] = []
        self._build_label_shortcuts()
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
        workspace.labels_changed.connect(self._on_workspace_labels_changed)
        workspace.span_selected.connect(self._on_workspace_span_selected)
        article.span_clicked.connect(workspace.select_span)
        article.resize_requested.connect(self.resize_span)
        navigator.document_activated.connect(workspace.open_document)
        app = QApplication.instance()
        if app is not None and hasattr(app.styleHints(), "colorSchemeChanged"):
            app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- the article follows the workspace -----------------------------------------------

    def _tints(self) -> dict[str, QColor]:
        self.article.edge_colors = {lab.name: lab.color for lab in self.workspace.labels}
        dark = is_dark(QApplication.instance())
        return {lab.name: highlight_color(lab.color, dark) for lab in self.workspace.labels}

    def _on_color_scheme_changed(self, _scheme) -> None:
        self.refresh_tints()

    def refresh_tints(self) -> None:
        """Label colours again, for the theme now in use."""
        self.article.set_tints(self._tints())

    def _on_workspace_labels_changed(self) -> None:
        self._build_label_shortcuts()
        self.article.set_tints(self._tints())

    def _on_workspace_document_opened(self, document: Document | None) -> None:
        self.article.show_document(document, self.workspace.layer.copy(), self._tints())
        if document is not None:
            self.navigator.show_document(document.id)

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        doc = self.workspace.document
        if doc is None or doc.id not in changes.documents:
            return
        layer = self.workspace.layer  # already holds the change
        changed = set(changes.spans_added) | set(changes.spans_updated)
        current = {span.id: span for span in map(layer.get, changed) if span is not None}
        self.article.update_spans(
            current.values(), set(changes.spans_removed) | (changed - set(current))
        )

    def _build_label_shortcuts(self) -> None:
        """Hotkeys 1-9 / a-z from the schema: label the selection, or relabel the chosen span.
        A label keyed r (a project older than the rule) gets no shortcut, R relates, and the
        status bar says so."""
        for shortcut in self._label_shortcuts:
            shortcut.setParent(None)
            shortcut.deleteLater()
        self._label_shortcuts = []
        for label in self.workspace.labels:
            if label.hotkey == labelrules.RELATE_KEY:
                self.status.note(
                    f"Label {label.name}'s key r is the Relate key: R relates; give "
                    f"{label.name} another key (Edit → Labels…).",
                    RELATE_CLASH_MS,
                )
            elif label.hotkey:
                shortcut = QShortcut(QKeySequence(label.hotkey), self._shortcut_parent)
                shortcut.setObjectName(f"label_key_{label.name}")
                shortcut.activated.connect(lambda name=label.name: self.apply_label(name))
                self._label_shortcuts.append(shortcut)

    # -- spans ---------------------------------------------------------------------------

    def apply_label(self, name: str) -> None:
        """A label key or click: label the text selection, else relabel the selected span."""
        doc = self.workspace.document
        if doc is None:
            return
        selection = self.article.selection_span()
        if selection is not None:
            annotator = self.workspace.annotator
            start = StartDocument(doc.id, annotator)  # the first span: in progress, undone with it
            command = AddSpanCommand(doc.id, annotator, name, *selection, start_document=start)
            if self.workspace.execute(command):
                self.article.clear_selection()
            return
        span = self.workspace.selected_span
        if span is not None and span.label != name:
            self.workspace.execute(RelabelSpanCommand(span.id, name))
            return
        if span is None and self._choose_label_elsewhere(name):
            return
        if span is None:
            self.status.note("Select some text first, then press a label key.")

    def delete_span(self) -> None:
        """Remove the selected span."""
        span = self.workspace.selected_span
        if span is not None:
            self.workspace.execute(RemoveSpanCommand(span.id))

    def deselect_span(self) -> None:
        """Esc: no span is the current one."""
        self.workspace.select_span(None)

    def resize_span(self, span_id: int, start: int, end: int) -> None:
        """Shift+←/→ or dragging an edge: the span's new extent."""
        self.workspace.execute(ResizeSpanCommand(span_id, start, end))

    def _on_workspace_span_selected(self, span: Span | None) -> None:
        self.article.set_selected_span(span)
        if span is None:
            self.status.clear_hint()
            return
        self.status.hint(
            f"{span.label} selected: press a label key to relabel, "
            "Delete to remove, Shift+←/→ to resize, Esc to deselect"
        )

    # -- documents -----------------------------------------------------------------------

    def open_remembered_place(self) -> bool:
        """Reopen the document and scroll position this project was left at; False if none."""
        place = remembered_place(self.workspace.project.location)
        if place is None:
            return False
        try:
            self.workspace.open_document(place[0])
        except NotFoundError:  # removed since, or another project's file at that path
            return False
        QTimer.singleShot(0, lambda: scroll_to_top(self.article, place[1]))  # once laid out
        return True

    def remember_place(self) -> None:
        """Keep the open document and the text at the top of the article for next time."""
        doc = self.workspace.document
        position = top_position(self.article) if doc is not None else 0
        remember_place(self.workspace.project.location, doc and doc.id, position)

    def next_document(self) -> None:
        """Open the next document of the list."""
        self.navigator.next_document()

    def previous_document(self) -> None:
        """Open the previous document of the list."""
        self.navigator.previous_document()

    def next_unfinished(self) -> None:
        """Open the next document that is neither done nor skipped."""
        if self.navigator.next_unfinished() is None:
            self.status.note("Every document here is done or skipped. 🎉", 5000)

    def mark_done(self) -> None:
        """Mark the document done and move on."""
        self._set_status_and_move(Status.DONE)

    def skip_document(self) -> None:
        """Mark the document skipped and move on."""
        self._set_status_and_move(Status.SKIPPED)

    def reopen_document(self) -> None:
        """Mark the document in progress again."""
        doc = self.workspace.document
        if doc is not None:
            self.workspace.execute(
                SetStatusCommand(doc.id, self.workspace.annotator, Status.IN_PROGRESS)
            )

    def _set_status_and_move(self, status: Status) -> None:
        doc = self.workspace.document
        if doc is None:
            return
        if self.workspace.execute(SetStatusCommand(doc.id, self.workspace.annotator, status)):
            self.next_unfinished()
