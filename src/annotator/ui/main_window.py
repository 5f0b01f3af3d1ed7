"""The main window: composes the article view, the docks, the menus and the status bar.

It holds no business logic: every edit is a core command run through the Workspace, and views
refresh from the one `changes_applied` signal.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import (
    AcceptSuggestionCommand,
    AddSpanCommand,
    RejectSuggestionCommand,
    RelabelSpanCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
)
from annotator.core.model import Changes, Document, Span, Status
from annotator.core.project import DocumentFilter
from annotator.core.settings import Settings, save_settings
from annotator.core.storage.engine import is_url
from annotator.ui import dialogs
from annotator.ui.accept_all import AcceptAllController
from annotator.ui.actions import (
    ACTIONS,
    ALWAYS,
    DOCUMENT,
    REVIEW,
    SPAN,
    SUGGESTION,
    WRITABLE,
    build_actions,
)
from annotator.ui.article_view import ArticleView
from annotator.ui.error_dialog import show_error
from annotator.ui.idle_checkpoint import IdleCheckpoint
from annotator.ui.label_palette import LabelPalette
from annotator.ui.navigator import NavigatorPanel
from annotator.ui.plain import inform, plain_label, plain_tip
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.review_controller import ReviewController
from annotator.ui.span_list import SpanListPanel
from annotator.ui.suggestion_service import SuggestionService
from annotator.ui.theme import highlight_color, is_dark
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
SUGGEST_AFTER_SHOW_MS = 400
DEFAULT_SCREEN_SHARE = 0.8  # a first start covers this much of the screen
DOCK_WIDTHS = (180, 380)  # a side dock's default width: a fifth of the window, within these


class MainWindow(QMainWindow):
    """One open project: navigator | article | labels and spans."""

    def __init__(self, workspace: Workspace, settings: Settings, opener) -> None:
        super().__init__()
        self.workspace = workspace
        workspace.setParent(self)  # lives and dies with the window
        self.settings = settings
        self._opener = opener  # callable(path | None, new: bool) opening another project
        self.runner = TaskRunner(self)
        self.accept_all = AcceptAllController(workspace, self.runner, self)
        self.setObjectName("main_window")
        self._build_central()
        self._build_docks()
        self.actions_by_id = build_actions(self, self, self.article)
        self._build_recent_menu()
        self._build_label_shortcuts()
        self._build_status_bar()
        self._connect()
        self.review = ReviewController(self)  # after _connect: its slots run after ours
        self._suggesting = False  # set once the window is on screen: spaCy loads after that
        self.suggester = SuggestionService(workspace, self)
        self.suggester.failed.connect(self._on_suggester_failed)
        self.live = None  # on a server others write too: pick up their work periodically
        if workspace.project.path is None:
            from annotator.ui.live_refresh import LiveRefresh  # server projects only

            self.live = LiveRefresh(workspace, self.runner)
            self.live.start()
        self._importer = None  # built on first use: the readers load only when needed
        self._merger = None  # likewise, File → Merge Project's controller
        self._copier = None  # and File → Save a Copy's
        self._exporter = None  # and File → Export's, which outlives its dialog
        self.idle_checkpoint = IdleCheckpoint(workspace, self)  # the .db alone stays complete
        self.actions_by_id["view.snap"].setChecked(settings.snap_to_words)
        self.article.snap_to_words = settings.snap_to_words
        if settings.font_size:
            font = self.article.font()
            font.setPointSize(settings.font_size)
            self.article.setFont(font)
        self._update_title()
        self._update_enabled()
        self._restore_layout()
        self.navigator.next_document()

    # -- construction --------------------------------------------------------------------

    def _build_central(self) -> None:
        self.article = ArticleView(self)
        self.article.setObjectName("article_view")
        from annotator.ui.theme import text_font

        self.article.setFont(text_font())
        self.find_bar = QWidget(self)
        row = QHBoxLayout(self.find_bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.find_edit = QLineEdit(self.find_bar)
        self.find_edit.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_status = plain_label(parent=self.find_bar)
        close = QToolButton(self.find_bar)
        close.setText("✕")
        close.setToolTip("Close the find bar (Esc)")
        close.clicked.connect(self._close_find)
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_status)
        row.addWidget(close)
        self.find_bar.hide()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.article, 1)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("Esc"), self.find_edit, self._close_find)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.navigator = NavigatorPanel(self.workspace, self)
        self.palette_panel = LabelPalette(self.workspace, self)
        self.span_list = SpanListPanel(self.workspace, self)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.navigator_dock = self._dock("Documents", "documents_dock", self.navigator, left)
        self.labels_dock = self._dock("Labels", "labels_dock", self.palette_panel, right)
        self.spans_dock = self._dock("Spans", "spans_dock", self.span_list, right)

    def _build_recent_menu(self) -> None:
        """File → Open Recent, filled from the settings each time it opens."""
        owners = self.actions_by_id["file.open"].associatedObjects()
        file_menu = next(owner for owner in owners if isinstance(owner, QMenu))
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setObjectName("recent_menu")
        file_menu.insertMenu(self.actions_by_id["file.import"], self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        project = self.workspace.project
        current = str(project.path) if project.path else project.location
        paths = [p for p in self.settings.existing_recent() if p != current]
        for path in paths:
            target = path if is_url(path) else Path(path)  # a server URL, without its password
            action = self.recent_menu.addAction(path if is_url(path) else target.name)
            action.setToolTip(plain_tip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, t=target: self._opener(t, False))
        if not paths:
            self.recent_menu.addAction("No other recent projects").setEnabled(False)

    def _build_label_shortcuts(self) -> None:
        """Hotkeys 1-9 / a-z from the schema: label the selection, or relabel the chosen span."""
        for shortcut in getattr(self, "_label_shortcuts", []):
            shortcut.setParent(None)
            shortcut.deleteLater()
        self._label_shortcuts = []
        for label in self.workspace.labels:
            if label.hotkey:
                shortcut = QShortcut(QKeySequence(label.hotkey), self)
                shortcut.setObjectName(f"label_key_{label.name}")
                shortcut.activated.connect(lambda name=label.name: self.apply_label(name))
                self._label_shortcuts.append(shortcut)

    def _build_status_bar(self) -> None:
        self.annotator_status = plain_label(parent=self)
        self.progress_status = plain_label(parent=self)
        self.spans_status = plain_label(parent=self)
        bar = self.statusBar()
        bar.addPermanentWidget(self.spans_status)
        bar.addPermanentWidget(self.progress_status)
        bar.addPermanentWidget(self.annotator_status)

    def _connect(self) -> None:
        ws = self.workspace
        ws.changes_applied.connect(self._on_workspace_changes_applied)
        ws.document_opened.connect(self._on_workspace_document_opened)
        ws.span_selected.connect(self._on_workspace_span_selected)
        ws.error_raised.connect(self._on_workspace_error_raised)
        ws.labels_changed.connect(self._on_workspace_labels_changed)
        self.accept_all.accepted.connect(self._on_accept_all_accepted)
        self.accept_all.cancelled.connect(self._on_accept_all_cancelled)
        ws.undo_stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.navigator.document_activated.connect(ws.open_document)
        self.palette_panel.label_chosen.connect(self.apply_label)
        self.span_list.span_activated.connect(self.article.set_selected_span)
        self.article.span_clicked.connect(ws.select_span)
        self.article.suggestion_clicked.connect(self._set_current_suggestion)
        self.article.resize_requested.connect(self._on_article_resize_requested)
        self.article.selectionChanged.connect(self._update_enabled)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textChanged.connect(self._on_find_edit_text_changed)
        app = QApplication.instance()
        if app is not None and hasattr(app.styleHints(), "colorSchemeChanged"):
            app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- workspace signals ---------------------------------------------------------------

    def _tints(self):
        self.article.edge_colors = {lab.name: lab.color for lab in self.workspace.labels}
        dark = is_dark(QApplication.instance())
        return {lab.name: highlight_color(lab.color, dark) for lab in self.workspace.labels}

    def _on_color_scheme_changed(self, _scheme) -> None:
        self._refresh_tints()

    def _refresh_tints(self) -> None:
        self.article.set_tints(self._tints())

    def _on_workspace_document_opened(self, document: Document | None) -> None:
        self.article.show_document(document, self.workspace.layer.copy(), self._tints())
        self._show_suggestions()
        if document is not None and self.settings.auto_suggest and self._suggesting:
            self.suggester.suggest_document(document.id)
        if document is not None:
            self.navigator.show_document(document.id)
        self._update_title()
        self._update_status()
        self._update_enabled()

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        doc = self.workspace.document
        if doc is not None and doc.id in changes.documents:
            layer = self.workspace.layer  # already holds the change
            changed = set(changes.spans_added) | set(changes.spans_updated)
            current = {span.id: span for span in map(layer.get, changed) if span is not None}
            self.article.update_spans(
                current.values(), set(changes.spans_removed) | (changed - set(current))
            )
            selected = self.workspace.selected_span
            if selected is not None and selected.id in current:
                self.workspace.select_span(current[selected.id])
        if doc is not None and doc.id in changes.suggestions:
            self._show_suggestions()
        self._update_status()
        self._update_enabled()

    def _on_workspace_span_selected(self, span: Span | None) -> None:
        self.article.set_selected_span(span)
        if span is not None:
            self.statusBar().showMessage(
                f"{span.label} selected: press a label key to relabel, "
                "Delete to remove, Shift+←/→ to resize, Esc to deselect"
            )
        else:
            self.statusBar().clearMessage()
        self._update_enabled()

    def _on_workspace_error_raised(self, message: str) -> None:
        show_error(self, "Not possible", message)

    def _on_workspace_labels_changed(self) -> None:
        self._build_label_shortcuts()
        self._refresh_tints()

    def _on_undo_stack_index_changed(self, _index: int) -> None:
        stack = self.workspace.undo_stack
        undo, redo = self.actions_by_id["edit.undo"], self.actions_by_id["edit.redo"]
        undo.setText(f"&Undo {stack.undoText()}" if stack.canUndo() else "&Undo")
        redo.setText(f"&Redo {stack.redoText()}" if stack.canRedo() else "&Redo")
        self._update_enabled()

    def _on_article_resize_requested(self, span_id: int, start: int, end: int) -> None:
        self.workspace.execute(ResizeSpanCommand(span_id, start, end))

    def _on_importer_imported(self, _report) -> None:
        self.navigator.refresh()
        if self.workspace.document is None:
            self.navigator.next_document()
        self._update_status()

    # -- annotating ----------------------------------------------------------------------

    def apply_label(self, name: str) -> None:
        """A label key or click: label the text selection, else relabel the selected span."""
        doc = self.workspace.document
        if doc is None:
            return
        selection = self.article.selection_span()
        if selection is not None:
            command = AddSpanCommand(doc.id, self.workspace.annotator, name, *selection)
            if self.workspace.execute(command):
                self.article.clear_selection()
                self._mark_started(doc.id)
            return
        span = self.workspace.selected_span
        if span is not None and span.label != name:
            self.workspace.execute(RelabelSpanCommand(span.id, name))
            return
        if span is None and self.review.choose_label(name):  # a label choice in review mode
            return
        if span is None:
            self.statusBar().showMessage("Select some text first, then press a label key.", 4000)

    def _mark_started(self, document_id: int) -> None:
        """The first span in a todo document moves it to in progress (not undone separately)."""
        ws = self.workspace
        if ws.project.status(document_id, ws.annotator) is Status.TODO:
            ws.project.set_status(document_id, ws.annotator, Status.IN_PROGRESS)
            ws.changes_applied.emit(Changes(documents=frozenset({document_id})))

    def delete_span(self) -> None:
        span = self.workspace.selected_span
        if span is not None:
            self.workspace.execute(RemoveSpanCommand(span.id))

    def deselect_span(self) -> None:
        self.workspace.select_span(None)

    def undo(self) -> None:
        self.workspace.undo()

    def redo(self) -> None:
        self.workspace.redo()

    # -- suggestions ---------------------------------------------------------------------

    def _show_suggestions(self) -> None:
        doc = self.workspace.document
        project, annotator = self.workspace.project, self.workspace.annotator
        pending = project.suggestions(doc.id, annotator=annotator) if doc is not None else []
        self.article.show_suggestions(pending)
        self._update_enabled()

    def _set_current_suggestion(self, suggestion) -> None:
        self.article.set_current_suggestion(suggestion)
        if suggestion is not None:
            self.statusBar().showMessage(
                f"Suggested {suggestion.label} ({suggestion.model}, score {suggestion.score:.2f})"
                ": Enter accepts, Backspace rejects, Ctrl+. goes to the next one"
            )
        self._update_enabled()

    def accept_suggestion(self) -> None:
        current = self.article.current_suggestion
        if current is None:
            return
        following = self.article.neighbour_suggestion(+1)
        if self.workspace.execute(AcceptSuggestionCommand(current.id, self.workspace.annotator)):
            self._mark_started(current.document_id)
            self._set_current_suggestion(None if following is current else following)

    def reject_suggestion(self) -> None:
        current = self.article.current_suggestion
        if current is None:
            return
        following = self.article.neighbour_suggestion(+1)
        if self.workspace.execute(RejectSuggestionCommand(current.id, self.workspace.annotator)):
            self._set_current_suggestion(None if following is current else following)

    def next_suggestion(self) -> None:
        found = self.article.neighbour_suggestion(+1)
        if found is None:
            self.statusBar().showMessage("No suggestions in this document.", 3000)
        self._set_current_suggestion(found)
        self.article.setFocus()

    def previous_suggestion(self) -> None:
        self._set_current_suggestion(self.article.neighbour_suggestion(-1))
        self.article.setFocus()

    def accept_all_suggestions(self, min_score: float = 0.0) -> None:
        """Accept every pending suggestion of the document (scoring at least `min_score`) as
        one undo step, in the background with a progress dialog (AcceptAllController)."""
        doc = self.workspace.document
        if doc is None:
            return
        pending = self.workspace.project.suggestions(doc.id, annotator=self.workspace.annotator)
        chosen = [s for s in pending if s.score >= min_score]
        if not chosen:
            self.statusBar().showMessage("No pending suggestions to accept.", 3000)
            return
        self.accept_all.accept(doc.id, tuple(s.id for s in chosen))

    def _on_accept_all_accepted(self, document_id: int) -> None:
        self._mark_started(document_id)
        self._set_current_suggestion(None)

    def _on_accept_all_cancelled(self) -> None:
        self.statusBar().showMessage("Accept All cancelled; nothing was stored.", 5000)

    def suggest_document(self) -> None:
        doc = self.workspace.document
        if doc is not None:
            self.suggester.invalidate()
            self.suggester.suggest_document(doc.id, include_done=True)
            self.statusBar().showMessage("Computing suggestions…", 3000)

    def suggest_all(self) -> None:
        handle = self.suggester.suggest_all()
        if handle is None:
            self.statusBar().showMessage("Suggestions are still being computed; try again.", 4000)
            return
        TaskProgressDialog(handle, self, label="Suggesting for every document…")
        handle.succeeded.connect(self._on_suggest_all_succeeded)

    def _on_suggest_all_succeeded(self, result) -> None:
        _suggesters, report = result
        stored = sum(report.stored.values())
        what = "Stopped" if report.cancelled else "Done"
        inform(
            self,
            "Suggestions",
            f"{what}: {report.documents} of {report.total} documents, {stored} suggestions "
            f"from {', '.join(report.suggesters) or 'no suggester'}."
            + (
                f"\n{report.done_skipped} documents you marked done were left alone."
                if report.done_skipped
                else ""
            )
            + ("\nRun it again to resume." if report.cancelled else ""),
        )

    def _on_suggester_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Suggestions unavailable: {message}", 8000)

    def train_model(self) -> None:
        from annotator.ui.training_dialog import TrainingDialog

        dialog = TrainingDialog(self.workspace, self.runner, self)
        dialog.trained.connect(self._on_model_trained)
        dialog.exec()

    def _on_model_trained(self, _report) -> None:
        self.suggester.invalidate()
        if self.workspace.document is not None and self.settings.auto_suggest:
            self.suggester.suggest_document(self.workspace.document.id)

    def suggestion_settings(self) -> None:
        from annotator.ui.suggestion_settings import SuggestionSettingsDialog

        if SuggestionSettingsDialog(self.workspace, self).exec():
            self.suggester.invalidate()

    def suggestion_quality(self) -> None:
        from annotator.ui.quality_dialog import QualityDialog

        QualityDialog(self.workspace.project, self.workspace.annotator, self).exec()

    def show_agreement(self) -> None:
        from annotator.ui.agreement_dialog import AgreementDialog

        dialog = AgreementDialog(self.workspace, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.document_requested.connect(self.workspace.open_document)
        dialog.show()
        dialog.compute()  # in the background: the dashboard opens with its figures coming

    def accept_suggestions_above(self) -> None:
        score, ok = QInputDialog.getDouble(
            self, "Accept suggestions", "Accept every suggestion scoring at least:", 0.8, 0, 1, 2
        )
        if ok:
            self.accept_all_suggestions(score)

    # -- review mode (ui/review_controller.py) --------------------------------------------

    def start_review(self) -> None:
        self.review.start()

    def leave_review(self) -> None:
        self.review.leave()

    def review_accept(self) -> None:
        self.review.accept()

    def review_reject(self) -> None:
        self.review.reject()

    def review_accept_agreed(self) -> None:
        self.review.accept_agreed()

    def review_next(self) -> None:
        self.review.next(+1)

    def review_previous(self) -> None:
        self.review.next(-1)

    # -- document flow -------------------------------------------------------------------

    def next_document(self) -> None:
        self.navigator.next_document()

    def previous_document(self) -> None:
        self.navigator.previous_document()

    def next_unfinished(self) -> None:
        if self.navigator.next_unfinished() is None:
            self.statusBar().showMessage("Every document here is done or skipped. 🎉", 5000)

    def _set_status_and_move(self, status: Status) -> None:
        doc = self.workspace.document
        if doc is None:
            return
        if self.workspace.execute(SetStatusCommand(doc.id, self.workspace.annotator, status)):
            self.next_unfinished()

    def mark_done(self) -> None:
        self._set_status_and_move(Status.DONE)

    def skip_document(self) -> None:
        self._set_status_and_move(Status.SKIPPED)

    def reopen_document(self) -> None:
        doc = self.workspace.document
        if doc is not None:
            self.workspace.execute(
                SetStatusCommand(doc.id, self.workspace.annotator, Status.IN_PROGRESS)
            )

    # -- find and zoom -------------------------------------------------------------------

    def find(self) -> None:
        self.find_bar.show()
        cursor = self.article.textCursor()
        if cursor.hasSelection() and self.article.document_shown is not None:
            span = self.article.offsets.selection_to_span(
                cursor.selectionStart(), cursor.selectionEnd()
            )
            if span is not None:
                self.find_edit.setText(self.article.offsets.text[span[0] : span[1]])
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _find(self, *, backwards: bool) -> None:
        needle = self.find_edit.text()
        found = self.article.find_text(needle, backwards=backwards)
        count = self.article.hit_count
        self.find_status.setText("" if not needle else (f"{count} found" if found else "not found"))

    def _on_find_edit_text_changed(self, _text: str) -> None:
        self._find(backwards=False)

    def find_next(self) -> None:
        if not self.find_bar.isVisible():
            self.find()
        self._find(backwards=False)

    def find_previous(self) -> None:
        if not self.find_bar.isVisible():
            self.find()
        self._find(backwards=True)

    def _close_find(self) -> None:
        self.find_bar.hide()
        self.article.clear_find()
        self.article.setFocus()

    def zoom_in(self) -> None:
        self.article.zoomIn(1)
        self._remember_font_size()

    def zoom_out(self) -> None:
        self.article.zoomOut(1)
        self._remember_font_size()

    def zoom_reset(self) -> None:
        from annotator.ui.theme import text_font

        self.article.setFont(text_font())
        self._remember_font_size()

    def _remember_font_size(self) -> None:
        self.settings.font_size = self.article.font().pointSize()
        save_settings(self.settings)

    def toggle_snap(self, on: bool) -> None:
        self.article.snap_to_words = on
        self.settings.snap_to_words = on
        save_settings(self.settings)

    # -- files, people, help -------------------------------------------------------------

    def new_project(self) -> None:
        self._opener(None, True)

    def open_project(self) -> None:
        self._opener(None, False)

    def connect_to_server(self) -> None:
        from annotator.ui.server_dialog import connect_to_server

        connect_to_server(self, self.runner, self._opener, self.workspace.project.location)

    @property
    def importer(self):
        """File → Import's controller (its modules load on first use, not at start-up)."""
        if self._importer is None:
            from annotator.ui.import_controller import ImportController

            self._importer = ImportController(self.workspace, self.runner, self)
            self._importer.imported.connect(self._on_importer_imported)
        return self._importer

    def import_files(self) -> None:
        self.importer.import_files()

    def import_folder(self) -> None:
        self.importer.import_folder()

    @property
    def merger(self):
        """File → Merge Project's controller (built on first use)."""
        if self._merger is None:
            from annotator.ui.merge_controller import MergeController

            self._merger = MergeController(self.workspace, self.runner, self)
            self._merger.merged.connect(self._on_importer_imported)
        return self._merger

    def merge_project(self) -> None:
        self.merger.merge_project()

    def save_copy(self) -> None:
        if self._copier is None:
            from annotator.ui.copy_controller import CopyController

            self._copier = CopyController(self.workspace, self.runner, self)
            self._copier.copied.connect(
                lambda out: self.statusBar().showMessage(f"Saved a copy to {out}", 10_000)
            )
        self._copier.save_copy()

    @property
    def exporter(self):
        """File → Export's controller (built on first use; it reports after its dialog closed)."""
        if self._exporter is None:
            from annotator.ui.export_dialog import ExportController

            self._exporter = ExportController(
                self.workspace, self.runner, self, settings=QSettings()
            )
        return self._exporter

    def export(self) -> None:
        self.exporter.open_dialog()

    def change_annotator(self) -> None:
        name = dialogs.ask_annotator_name(self, self.workspace.annotator)
        if name and name != self.workspace.annotator:
            self.workspace.annotator = name
            self.settings.annotator_name = name
            save_settings(self.settings)
            self.workspace.undo_stack.clear()
            self.navigator.refresh()
            self.workspace.open_document(
                self.workspace.document.id if self.workspace.document else None
            )
            self._update_status()

    def show_shortcuts(self) -> None:
        dialogs.ShortcutSheet(self.workspace.labels, self).exec()

    def show_guidelines(self) -> None:
        self.labels_dock.show()
        self.labels_dock.raise_()

    def show_about(self) -> None:
        dialogs.show_about(self)

    # -- status, title, enabled state ----------------------------------------------------

    def _update_title(self) -> None:
        ws = self.workspace
        name = ws.project.path.stem if ws.project.path else ws.project.location
        parts = [name]
        if ws.document is not None:
            parts.insert(0, ws.document.title or f"Document {ws.document.id}")
        if ws.read_only:
            parts.append("read-only")
        self.setWindowTitle(" — ".join([*parts, "annotator"]))

    def _update_status(self) -> None:
        ws = self.workspace
        done = ws.project.count_documents(
            DocumentFilter(annotator=ws.annotator, status=Status.DONE)
        )
        total = ws.project.count_documents()
        self.annotator_status.setText(
            f"Annotator: {ws.annotator}" + (" (read-only)" if ws.read_only else "")
        )
        self.progress_status.setText(f"{done} / {total} done")
        if ws.document is None:
            self.spans_status.setText("")
        else:
            status = ws.project.status(ws.document.id, ws.annotator).value.replace("_", " ")
            self.spans_status.setText(f"{len(self.article.index)} spans · {status}")

    def _update_enabled(self, *_args) -> None:
        ws = self.workspace
        has_doc = ws.document is not None
        state = {
            DOCUMENT: has_doc,
            SPAN: ws.selected_span is not None and not ws.read_only,
            WRITABLE: has_doc and not ws.read_only,
            SUGGESTION: self.article.current_suggestion is not None and not ws.read_only,
            REVIEW: self.review.active,
        }
        for spec_id, action in self.actions_by_id.items():
            when = _ENABLED_WHEN.get(spec_id)
            if when is not None:
                action.setEnabled(state[when])
        self.actions_by_id["edit.undo"].setEnabled(ws.undo_stack.canUndo())
        self.actions_by_id["edit.redo"].setEnabled(ws.undo_stack.canRedo())
        for key in ("file.import", "file.import_folder", "file.merge"):
            self.actions_by_id[key].setEnabled(not ws.read_only)

    # -- layout and closing --------------------------------------------------------------

    def _restore_layout(self) -> None:
        stored = QSettings()
        geometry = stored.value("window/geometry")
        state = stored.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.place_default(self.screen().availableGeometry())
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.review.layout_restored()  # its dock keeps the restored place, stays hidden
        else:
            self.fit_docks()

    def place_default(self, available: QRect) -> None:
        """A first start: the window covers DEFAULT_SCREEN_SHARE of `available`, centred."""
        size = available.size() * DEFAULT_SCREEN_SHARE
        direction = Qt.LayoutDirection.LeftToRight
        center = Qt.AlignmentFlag.AlignCenter
        self.setGeometry(QStyle.alignedRect(direction, center, size, available))

    def fit_docks(self) -> None:
        """Size the docks for the window's current size: side docks a fifth of the width each
        (within DOCK_WIDTHS), Labels a third of the right column's height."""
        side = min(max(self.width() // 5, DOCK_WIDTHS[0]), DOCK_WIDTHS[1])
        self.resizeDocks(
            [self.navigator_dock, self.labels_dock], [side, side], Qt.Orientation.Horizontal
        )
        third = self.height() // 3
        self.resizeDocks(
            [self.labels_dock, self.spans_dock], [third, 2 * third], Qt.Orientation.Vertical
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._suggesting:
            QTimer.singleShot(SUGGEST_AFTER_SHOW_MS, self._start_suggesting)

    def _start_suggesting(self) -> None:
        """Background suggestions begin only after the first paint, so the window appears
        before spaCy is imported (the import then happens in a worker)."""
        self._suggesting = True
        doc = self.workspace.document
        if doc is not None and self.settings.auto_suggest:
            self.suggester.suggest_document(doc.id)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            stored = QSettings()
            stored.setValue("window/geometry", self.saveGeometry())
            stored.setValue("window/state", self.saveState())
            if self.live is not None:
                self.live.timer.stop()
            for runner in (self.runner, self.suggester.runner):
                runner.shut_down(10_000)
        except Exception:
            log.exception("closing")
        super().closeEvent(event)


_ENABLED_WHEN = {spec.id: spec.enabled_when for spec in ACTIONS if spec.enabled_when != ALWAYS}
