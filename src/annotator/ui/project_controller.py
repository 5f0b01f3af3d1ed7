"""The File and Help menus: other projects, import, merge, export, a copy, who annotates, the
agreement report and the help dialogs. The file tasks' own controllers load on first use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.settings import Settings, save_settings
from annotator.core.storage.engine import is_url
from annotator.ui import dialogs
from annotator.ui.navigator import NavigatorPanel
from annotator.ui.plain import plain_tip
from annotator.ui.status_bar import StatusBarController
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace


class ProjectController(QObject):
    """File and Help; `opener(path | None, new)` opens another project, `parent` hosts dialogs."""

    quit_requested = Signal()
    guidelines_requested = Signal()

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        navigator: NavigatorPanel,
        status: StatusBarController,
        settings: Settings,
        opener: Callable[[Path | str | None, bool], object],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.navigator = navigator
        self.status = status
        self.settings = settings
        self._opener = opener
        self._parent = parent
        self._importer = None  # built on first use: the readers load only when needed
        self._merger = None  # likewise, File → Merge Project's controller
        self._copier = None  # and File → Save a Copy's
        self._exporter = None  # and File → Export's, which outlives its dialog

    # -- other projects ------------------------------------------------------------------

    def new_project(self) -> None:
        """File → New Project."""
        self._opener(None, True)

    def open_project(self) -> None:
        """File → Open Project."""
        self._opener(None, False)

    def connect_to_server(self) -> None:
        """File → Connect to Server."""
        from annotator.ui.server_dialog import connect_to_server

        connect_to_server(self._parent, self.runner, self._opener, self.workspace.project.location)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File → Open Recent, filled from the settings each time it opens."""
        menu.clear()
        project = self.workspace.project
        current = str(project.path) if project.path else project.location
        paths = [p for p in self.settings.existing_recent() if p != current]
        for path in paths:
            target = path if is_url(path) else Path(path)  # a server URL, without its password
            action = menu.addAction(path if is_url(path) else target.name)
            action.setToolTip(plain_tip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, t=target: self._opener(t, False))
        if not paths:
            menu.addAction("No other recent projects").setEnabled(False)

    def quit(self) -> None:
        """File → Quit."""
        self.quit_requested.emit()

    # -- file tasks ----------------------------------------------------------------------

    @property
    def importer(self):
        """File → Import's controller (its modules load on first use, not at start-up)."""
        if self._importer is None:
            from annotator.ui.import_controller import ImportController

            self._importer = ImportController(self.workspace, self.runner, self._parent)
            self._importer.imported.connect(self._on_documents_added)
        return self._importer

    def import_files(self) -> None:
        """File → Import Files."""
        self.importer.import_files()

    def import_folder(self) -> None:
        """File → Import Folder."""
        self.importer.import_folder()

    @property
    def merger(self):
        """File → Merge Project's controller (built on first use)."""
        if self._merger is None:
            from annotator.ui.merge_controller import MergeController

            self._merger = MergeController(self.workspace, self.runner, self._parent)
            self._merger.merged.connect(self._on_documents_added)
        return self._merger

    def merge_project(self) -> None:
        """File → Merge Project."""
        self.merger.merge_project()

    def _on_documents_added(self, _report) -> None:
        self.navigator.refresh()
        if self.workspace.document is None:
            self.navigator.next_document()
        self.status.refresh()

    def save_copy(self) -> None:
        """File → Save a Copy."""
        if self._copier is None:
            from annotator.ui.copy_controller import CopyController

            self._copier = CopyController(self.workspace, self.runner, self._parent)
            self._copier.copied.connect(
                lambda out: self.status.note(f"Saved a copy to {out}", 10_000)
            )
        self._copier.save_copy()

    @property
    def exporter(self):
        """File → Export's controller (built on first use; it reports after its dialog closed)."""
        if self._exporter is None:
            from annotator.ui.export_dialog import ExportController

            self._exporter = ExportController(
                self.workspace, self.runner, self._parent, settings=QSettings()
            )
        return self._exporter

    def export(self) -> None:
        """File → Export."""
        self.exporter.open_dialog()

    # -- people and help -----------------------------------------------------------------

    def change_annotator(self) -> None:
        """File → Change Annotator: the layer shown and edited from now on."""
        name = dialogs.ask_annotator_name(self._parent, self.workspace.annotator)
        if name and name != self.workspace.annotator:
            self.workspace.annotator = name
            self.settings.annotator_name = name
            save_settings(self.settings)
            self.workspace.undo_stack.clear()
            self.navigator.refresh()
            self.workspace.open_document(
                self.workspace.document.id if self.workspace.document else None
            )
            self.status.refresh()

    def show_agreement(self) -> None:
        """Review → Agreement: the report, non-modal; a document in it can be opened."""
        from annotator.ui.agreement_dialog import AgreementDialog

        dialog = AgreementDialog(self.workspace, self.runner, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.document_requested.connect(self.workspace.open_document)
        dialog.show()
        dialog.compute()  # in the background: the dashboard opens with its figures coming

    def edit_labels(self) -> None:
        """Edit → Labels…: add, change and remove labels (each change undoable)."""
        from annotator.ui.label_editor import LabelEditor

        LabelEditor(self.workspace, self._parent).exec()

    def edit_relation_types(self) -> None:
        """Edit → Relation Types…: add, change and remove relation types (each undoable)."""
        from annotator.ui.relation_type_editor import RelationTypeEditor

        RelationTypeEditor(self.workspace, self._parent).exec()

    def show_shortcuts(self) -> None:
        """Help → Keyboard Shortcuts."""
        dialogs.ShortcutSheet(self.workspace.labels, self._parent).exec()

    def show_guidelines(self) -> None:
        """Help → Annotation Guidelines: the Labels dock shows them."""
        self.guidelines_requested.emit()

    def show_about(self) -> None:
        """Help → About."""
        dialogs.show_about(self._parent)
