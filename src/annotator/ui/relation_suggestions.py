"""Suggested relations of the open document, under the Relations panel: a table (type, head,
tail, score) with Suggest Relations, Accept (Enter) and Reject (Delete). The selected suggestion
is drawn as the article's pending (dashed) arc. Suggesting runs in a worker on its own Project,
with progress after 300 ms and Cancel; accepting and rejecting are undoable commands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import (
    AcceptRelationSuggestionCommand,
    RejectRelationSuggestionCommand,
)
from annotator.core.errors import Cancelled
from annotator.core.model import Changes, RelationSuggestion
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.core.project.store import write_lock
from annotator.nlp.relation_runner import RelationSuggestReport, suggest_relations
from annotator.ui.error_dialog import show_error
from annotator.ui.guard import qt_override
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.relation_list import span_text
from annotator.ui.span_list import DELETE_KEYS
from annotator.ui.table_model import RowTableModel
from annotator.ui.wording import plural
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

TYPE, HEAD, TAIL, SCORE = range(4)
_ACCEPT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def run_relation_suggest(
    location: str, annotator: str, document_id: int, *, progress: Progress
) -> RelationSuggestReport:
    """Task body: learn from the project's relations and propose some in one document."""
    with write_lock(progress), Project(location) as project:
        return suggest_relations(project, annotator, [document_id], progress=progress)


class RelationSuggestionModel(RowTableModel):
    """The annotator's pending relation suggestions in the open document, best first; read
    again only when a change record names them, and thinned locally when their spans go."""

    columns = ("Type", "Head", "Tail", "Score")

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._rows: list[RelationSuggestion] = []
        workspace.document_opened.connect(self.reload)
        workspace.changes_applied.connect(self._on_changes_applied)
        self.reload()

    def reload(self, *_args: object) -> None:
        """Read the open document's pending relation suggestions again."""
        ws = self.workspace
        self.beginResetModel()
        self._rows = (
            ws.project.relation_suggestions(ws.document.id, ws.annotator)
            if ws.document is not None
            else []
        )
        self.endResetModel()

    def suggestion_at(self, row: int) -> RelationSuggestion:
        """The suggestion shown in that row."""
        return self._rows[row]

    def _on_changes_applied(self, changes: Changes) -> None:
        document = self.workspace.document
        if document is not None and document.id in changes.relation_suggestions:
            self.reload()
        elif changes.spans_removed:
            removed = set(changes.spans_removed)
            kept = [s for s in self._rows if s.head not in removed and s.tail not in removed]
            if len(kept) != len(self._rows):
                self.beginResetModel()
                self._rows = kept
                self.endResetModel()

    def _data(self, item: RelationSuggestion, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TYPE:
                return item.type
            if column == SCORE:
                return f"{item.score:.2f}"
            return span_text(self.workspace, item.head if column == HEAD else item.tail)
        if role == Qt.ItemDataRole.ToolTipRole and column == SCORE:
            return f"{item.model}: the learned chance that you would make this relation"
        return None


class RelationSuggestionPanel(QWidget):
    """Suggest, accept and reject relations for the open document."""

    def __init__(
        self,
        workspace: Workspace,
        article: Any,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.article = article
        self.runner = runner
        self.progress_dialog: TaskProgressDialog | None = None
        self._shown: tuple[int, int, str] | None = None  # the pending arc this panel drew
        self._next_row: int | None = None  # where the selection goes after a decision
        self.model = RelationSuggestionModel(workspace, self)
        self.view = QTableView(self)
        self.view.setObjectName("relation_suggestion_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        for column in (TYPE, SCORE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (HEAD, TAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.view.installEventFilter(self)
        self.note = QLabel(self)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.suggest_button = QPushButton("Suggest", self)
        self.suggest_button.setToolTip("Propose relations learned from the ones you made")
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setToolTip("Make the selected suggestion a relation (Enter)")
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.setToolTip("Never suggest it again (Delete)")
        title = QLabel("Suggested relations", self)
        title.setMinimumWidth(0)
        title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        buttons = QHBoxLayout()
        for button in (self.suggest_button, self.accept_button, self.reject_button):
            # the buttons give way in a narrow dock (the article keeps half the window)
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(40)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        layout.addWidget(self.note)
        self.suggest_button.clicked.connect(self.suggest)
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button.clicked.connect(self.reject_current)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)
        workspace.document_opened.connect(lambda _d: self.note.clear())
        self._update_buttons()

    def below(self, relations: QWidget) -> QSplitter:
        """The Relations dock's content: `relations` (the relations table) above this panel."""
        column = QSplitter(Qt.Orientation.Vertical)  # the dock it goes into takes it
        column.setObjectName("relations_splitter")
        column.addWidget(relations)
        column.addWidget(self)
        column.setStretchFactor(0, 3)
        column.setStretchFactor(1, 2)
        return column

    def current(self) -> RelationSuggestion | None:
        """The suggestion of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.suggestion_at(rows[0].row()) if rows else None

    def suggest(self) -> None:
        """Propose relations in the open document, in a worker (progress after 300 ms)."""
        ws = self.workspace
        if ws.document is None or ws.read_only or self.progress_dialog is not None:
            return
        handle = self.runner.submit(
            run_relation_suggest,
            ws.project.location,
            ws.annotator,
            ws.document.id,
            title="Suggest Relations",
        )
        document_id = ws.document.id
        handle.succeeded.connect(lambda report: self._on_suggested(document_id, report))
        handle.failed.connect(self._on_failed)
        handle.finished.connect(self._on_finished)
        self.progress_dialog = TaskProgressDialog(handle, self, label="Suggesting relations…")

    def accept_current(self) -> None:
        """Accept the selected suggestion (one undoable step)."""
        found = self.current()
        if found is not None:
            self._next_row = self.view.selectionModel().selectedRows()[0].row()
            self.workspace.execute(AcceptRelationSuggestionCommand(found.id, found.type))

    def reject_current(self) -> None:
        """Reject the selected suggestion (one undoable step)."""
        found = self.current()
        if found is not None:
            self._next_row = self.view.selectionModel().selectedRows()[0].row()
            self.workspace.execute(RejectRelationSuggestionCommand(found.id, found.type))

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent) and not event.modifiers():
            key = event.key()
            if key in DELETE_KEYS or key in _ACCEPT_KEYS:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # the table decides, not the window's Delete/Enter actions
                    return False
                if event.type() == QEvent.Type.KeyPress:
                    self.reject_current() if key in DELETE_KEYS else self.accept_current()
                    return True
        return super().eventFilter(watched, event)

    def _on_selection_changed(self, *_selections: object) -> None:
        self._show(self.current())
        self._update_buttons()

    def _show(self, found: RelationSuggestion | None) -> None:
        """Draw `found` as the article's pending arc, or take down the one this panel drew
        (never the relation the user is making with R)."""
        wanted = None if found is None else (found.head, found.tail, found.type)
        if wanted is not None or self.article.pending_relation == self._shown:
            self.article.set_pending_relation(wanted)
        self._shown = wanted

    def _on_model_reset(self) -> None:
        """After a decision the next suggestion is selected, so Enter and Delete go on."""
        row, self._next_row = self._next_row, None
        if row is not None and self.model.rowCount():
            self.view.selectRow(min(row, self.model.rowCount() - 1))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ws = self.workspace
        self.suggest_button.setEnabled(ws.document is not None and not ws.read_only)
        chosen = self.current() is not None and not ws.read_only
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
        if self.current() is None and self._shown is not None:
            self._show(None)

    def _on_suggested(self, document_id: int, report: RelationSuggestReport) -> None:
        if report.learned_from == 0:
            self.note.setText("Nothing to suggest yet: relate a few spans first, then ask again.")
            return
        self.note.setText(
            f"Learned from {plural(report.learned_from, 'relation')}; "
            f"{plural(report.proposed, 'suggestion')} here."
        )
        self.workspace.announce(
            Changes(
                documents=frozenset({document_id}), relation_suggestions=frozenset({document_id})
            )
        )

    def _on_failed(self, error: BaseException) -> None:
        if not isinstance(error, Cancelled):
            show_error(self, "Suggest Relations", error)

    def _on_finished(self) -> None:
        self.progress_dialog = None
