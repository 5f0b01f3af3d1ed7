"""The main window: composition only. It builds the article, the docks, the controllers and the
menus, wires them together and restores / saves the layout.

The controllers act (annotate_controller, relation_controller, suggestion_controller,
review_controller, find_bar, view_controller, project_controller); they talk through the
Workspace and signals, never back into the window. Every action of the menus resolves to a
controller's method (ui/actions.py); the status bar has one controller (status_bar) that every
mode shares.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QVBoxLayout, QWidget

from annotator.core.model import Document
from annotator.core.settings import Settings
from annotator.ui.accept_all import AcceptAllController
from annotator.ui.action_state import ActionState
from annotator.ui.actions import build_actions
from annotator.ui.annotate_controller import AnnotateController
from annotator.ui.article_view import ArticleView
from annotator.ui.error_dialog import show_error
from annotator.ui.find_bar import FindBar
from annotator.ui.first_use import FirstUseBanner
from annotator.ui.focus_return import FocusReturn
from annotator.ui.guard import qt_override
from annotator.ui.idle_checkpoint import IdleCheckpoint
from annotator.ui.label_palette import LabelPalette
from annotator.ui.live_refresh import LiveRefresh
from annotator.ui.navigator import NavigatorPanel
from annotator.ui.other_layers import OtherLayers
from annotator.ui.project_controller import ProjectController
from annotator.ui.relation_controller import RelationController
from annotator.ui.relation_list import RelationListPanel, offer_dock
from annotator.ui.relation_suggestions import RelationSuggestionPanel
from annotator.ui.review_controller import ReviewController
from annotator.ui.span_list import SpanListPanel
from annotator.ui.status_bar import MessageBar, StatusBarController
from annotator.ui.suggestion_controller import SuggestionController
from annotator.ui.suggestion_service import SuggestionService
from annotator.ui.undo_steps import UndoSteps
from annotator.ui.view_controller import ViewController
from annotator.ui.window_layout import fit_docks, give_way, place_default
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

REVIEW_DOCK_HEIGHTS = (200, 600)  # Labels above the Review dock when review mode first starts


class MainWindow(QMainWindow):
    """One open project: navigator | article | labels and spans."""

    def __init__(self, workspace: Workspace, settings: Settings, opener) -> None:
        super().__init__()
        self.workspace = workspace
        workspace.setParent(self)  # lives and dies with the window
        self.settings = settings
        self.setObjectName("main_window")
        self.runner = TaskRunner(self)
        self._build_central()
        self._build_docks()
        self._build_controllers(opener)
        self.actions_by_id = build_actions(self, self._controllers(), self.article)
        self._build_menus()
        self._build_review_dock()
        self.action_state = ActionState(
            self.actions_by_id, workspace, self.article, lambda: self.review.active
        )
        self._connect()
        self.live = LiveRefresh(workspace, self.runner)  # others' work: a server, a CLI import
        self.live.document_list_changed.connect(self.navigator.refresh)
        self.live.start()
        self.idle_checkpoint = IdleCheckpoint(workspace, self)  # the .db alone stays complete
        self.focus_return = FocusReturn(self)  # keys work again when a dialog closes
        self.actions_by_id["view.snap"].setChecked(settings.snap_to_words)
        self.actions_by_id["view.label_tags"].setChecked(settings.label_tags)
        self._update_title()
        self.status.refresh()
        self.action_state.update()
        self._restore_layout()
        if not self.annotate.open_remembered_place():
            self.navigator.next_document()

    # -- construction --------------------------------------------------------------------

    def _build_central(self) -> None:
        self.article = ArticleView(self)
        self.article.setObjectName("article_view")
        self.find_bar = FindBar(self.article, self)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(FirstUseBanner(self.workspace, central))
        column.addWidget(self.find_bar)
        column.addWidget(self.article, 1)
        self.setCentralWidget(central)

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
        self.relation_list = RelationListPanel(self.workspace, self)
        ws, article, runner = self.workspace, self.article, self.runner
        self.relation_suggestions = RelationSuggestionPanel(ws, article, runner, self)
        relations = self.relation_suggestions.below(self.relation_list)
        self.relations_dock = self._dock("Relations", "relations_dock", relations, right)
        self.tabifyDockWidget(self.spans_dock, self.relations_dock)
        self.spans_dock.raise_()

    def _build_controllers(self, opener) -> None:
        """The controllers, in the order their workspace slots must run: the article shows a
        document first, then its suggestions, then review mode's candidates over them."""
        ws, article = self.workspace, self.article
        self.setStatusBar(MessageBar(self))
        self.status = StatusBarController(self.statusBar(), ws)
        self.view = ViewController(article, self.settings)
        self.layers = OtherLayers(ws, self)
        self.layers.changed.connect(lambda: article.show_other_layers(self.layers.layers))
        self.annotate = AnnotateController(
            ws, article, self.navigator, self.status, self._choose_review_label, self
        )
        self.relations = RelationController(ws, article, self.status, self)
        self.suggester = SuggestionService(ws, self)
        self.accept_all = AcceptAllController(ws, self.runner, self)
        self.undo_steps = UndoSteps(ws, self.runner, self.status, self)
        self.suggestions = SuggestionController(
            ws,
            article,
            self.suggester,
            self.accept_all,
            self.runner,
            self.status,
            self.settings,
            self,
        )
        self.review = ReviewController(ws, self.runner, article, self.navigator, self.status, self)
        self.project = ProjectController(
            ws, self.runner, self.navigator, self.status, self.settings, opener, self
        )

    def _controllers(self) -> dict[str, object]:
        """What the actions' handlers name (ui/actions.py: "controller.method")."""
        return {
            "annotate": self.annotate,
            "relations": self.relations,
            "relation_suggestions": self.relation_suggestions,
            "undo": self.undo_steps,
            "suggestions": self.suggestions,
            "review": self.review,
            "find": self.find_bar,
            "view": self.view,
            "project": self.project,
        }

    def _choose_review_label(self, name: str) -> bool:
        return self.review.choose_label(name)

    def _build_menus(self) -> None:
        """The menus filled each time they open: File → Open Recent, View → Theme and View →
        Other Annotators' Layers."""
        self.recent_menu = self._submenu("Open &Recent", "file.open", "file.import")
        self.recent_menu.aboutToShow.connect(
            lambda: self.project.fill_recent_menu(self.recent_menu)
        )
        theme_menu = self._submenu("&Theme", "view.snap", None)
        theme_menu.aboutToShow.connect(lambda: self.view.fill_theme_menu(theme_menu))
        layers_menu = self._submenu("Other Annotators' &Layers", "view.snap", None)
        layers_menu.aboutToShow.connect(lambda: self.layers.fill_menu(layers_menu))
        offer_dock(self.relations_dock, "&Relations Panel", self._menu_of("view.snap"))

    def _submenu(self, title: str, beside: str, before: str | None) -> QMenu:
        """A submenu in the menu holding action `beside`, before action `before` (else last)."""
        parent = self._menu_of(beside)
        menu = QMenu(title, self)
        menu.setObjectName(title.replace("&", "").lower().replace(" ", "_").replace("'", ""))
        if before is None:
            parent.addMenu(menu)
        else:
            parent.insertMenu(self.actions_by_id[before], menu)
        return menu

    def _menu_of(self, action_id: str) -> QMenu:
        """The menu holding action `action_id`."""
        owners = self.actions_by_id[action_id].associatedObjects()
        return next(owner for owner in owners if isinstance(owner, QMenu))

    def _build_review_dock(self) -> None:
        """The Review dock in its default place (tabbed with Spans), hidden until review mode."""
        dock = self.review.build_dock(self.actions_by_id, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.spans_dock, dock)
        dock.hide()

    def _connect(self) -> None:
        ws = self.workspace
        ws.document_opened.connect(self._on_workspace_document_opened)
        ws.error_raised.connect(self._on_workspace_error_raised)
        self.palette_panel.label_chosen.connect(self.annotate.apply_label)
        self.span_list.span_activated.connect(self.article.set_selected_span)
        self.suggestions.current_changed.connect(self.action_state.update)
        self.review.mode_changed.connect(self.action_state.update)
        self.review.dock_first_shown.connect(self._on_review_dock_first_shown)
        self.project.quit_requested.connect(self.close)
        self.project.guidelines_requested.connect(self._on_project_guidelines_requested)
        self.view.theme_changed.connect(self.annotate.refresh_tints)

    # -- signals -------------------------------------------------------------------------

    def _on_workspace_document_opened(self, _document: Document | None) -> None:
        self._update_title()

    def _on_workspace_error_raised(self, message: str) -> None:
        show_error(self, "Not possible", message)

    def _on_review_dock_first_shown(self, dock: QDockWidget) -> None:
        self.resizeDocks(
            [self.labels_dock, dock], list(REVIEW_DOCK_HEIGHTS), Qt.Orientation.Vertical
        )

    def _on_project_guidelines_requested(self) -> None:
        self.labels_dock.show()
        self.labels_dock.raise_()

    def _update_title(self) -> None:
        ws = self.workspace
        name = ws.project.path.stem if ws.project.path else ws.project.location
        parts = [name]
        if ws.document is not None:
            parts.insert(0, ws.document.title or f"Document {ws.document.id}")
        if ws.read_only:
            parts.append("read-only")
        self.setWindowTitle(" — ".join([*parts, "annotator"]))

    # -- layout and closing --------------------------------------------------------------

    def _restore_layout(self) -> None:
        stored = QSettings()
        geometry = stored.value("window/geometry")
        state = stored.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            place_default(self, self.screen().availableGeometry())
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.review.layout_restored()  # its dock keeps the restored place, stays hidden
        else:
            self.fit_docks()

    def fit_docks(self) -> None:
        """Size the docks for the window's current size (window_layout.fit_docks)."""
        fit_docks(self, self.navigator_dock, self.labels_dock, self.spans_dock)

    @qt_override()
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() < event.oldSize().width():
            give_way(self, (self.navigator_dock, self.labels_dock))

    @qt_override()
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.suggestions.start_after_show()

    @qt_override()
    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        stored = QSettings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        self.annotate.remember_place()
        self.live.stop()
        learning, navigator = self.suggestions.learning.runner, self.navigator.model.runner
        for runner in (learning, self.runner, self.suggester.runner, navigator):
            runner.shut_down(10_000)
