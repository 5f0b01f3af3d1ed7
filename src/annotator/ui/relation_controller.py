"""Making and removing relations in the article, keyboard first.

With a span selected, R starts a relation from it: Tab / Shift+Tab (or the arrow keys) walk the
spans a relation type lets it reach, nearest first; a type's key picks the type (only types
that allow the pair), Enter adds the relation (a short menu asks for the type when several fit
and none was picked), Esc cancels; the status bar says what the keys do at each step. While a
relation is being made, the article's keys are taken here (an event filter), so label keys and
Tab do not act. The mouse: Alt (or Ctrl) + drag from one span to another, or the context menu
of a span. Every add and remove is an undoable command run through the workspace; the article
draws the workspace's relations and the selected one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core import labelrules
from annotator.core.commands import AddRelationCommand, RemoveRelationCommand, RemoveSpanCommand
from annotator.core.model import Document, Relation, Span
from annotator.core.open_document import RelationChange
from annotator.core.relation_choice import Fit, candidates, fitting_types
from annotator.ui.article_view import ArticleView
from annotator.ui.guard import qt_override
from annotator.ui.status_bar import StatusBarController
from annotator.ui.workspace import Workspace

_NEXT = {Qt.Key.Key_Tab, Qt.Key.Key_Right, Qt.Key.Key_Down}
_PREVIOUS = {Qt.Key.Key_Backtab, Qt.Key.Key_Left, Qt.Key.Key_Up}
_CONFIRM = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_SWALLOWED = {Qt.Key.Key_Delete, Qt.Key.Key_Backspace}
QUOTE_CHARS = 40


class RelationController(QObject):
    """Keeps the article's arcs current and runs relation making by keyboard and mouse."""

    def __init__(
        self,
        workspace: Workspace,
        article: ArticleView,
        status: StatusBarController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.article = article
        self.status = status
        self.head: Span | None = None
        """The span a relation is being made from (None: not making one)."""
        self.tail: Span | None = None
        self.chosen_type: str | None = None
        self._candidates: list[Span] = []
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.relations_changed.connect(self._on_workspace_relations_changed)
        workspace.relation_types_changed.connect(self._show_relations)
        workspace.relation_selected.connect(self._on_workspace_relation_selected)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
        article.relation_clicked.connect(self._on_article_relation_clicked)
        article.relation_dragged.connect(self._on_article_relation_dragged)
        article.span_menu_requested.connect(self._on_article_span_menu_requested)

    # -- the article follows the workspace -----------------------------------------------

    def _show_relations(self) -> None:
        ws = self.workspace
        if self.article.document_shown is not ws.document:
            return  # another document is opening: its relations come once it is shown
        self.article.show_relations(ws.relations.values(), ws.relation_types)

    def _on_workspace_relations_changed(self, change: RelationChange | None) -> None:
        if change is None or self.article.document_shown is not self.workspace.document:
            self._show_relations()
        else:  # only the relations the record added and removed
            self.article.update_relations(change.came, change.gone)

    def _on_workspace_document_opened(self, _document: Document | None) -> None:
        self.cancel()
        self._show_relations()

    def _on_workspace_relation_selected(self, relation: Relation | None) -> None:
        self.article.set_selected_relation(relation)
        if relation is not None:
            self.status.hint(f"{self.describe(relation)} selected: Delete to remove, Esc")
        else:
            self.status.clear_hint()

    def _on_workspace_changes_applied(self, _changes) -> None:
        if self.head is not None and self.workspace.layer.get(self.head.id) != self.head:
            self.cancel()  # the span it started from changed or went

    def _on_article_relation_clicked(self, relation_id: int) -> None:
        self.workspace.select_relation(self.workspace.relations.get(relation_id))

    # -- selection and removal -----------------------------------------------------------

    def delete_selected(self) -> None:
        """Delete: remove the selected relation, else the selected span (with its relations)."""
        ws = self.workspace
        if ws.selected_relation is not None:
            ws.execute(RemoveRelationCommand(ws.selected_relation.id))
        elif ws.selected_span is not None:
            ws.execute(RemoveSpanCommand(ws.selected_span.id))

    def deselect(self) -> None:
        """Esc: neither a span nor a relation is the current one."""
        self.workspace.select_relation(None)
        self.workspace.select_span(None)

    def describe(self, relation: Relation) -> str:
        """'BUYS: 'Azerbaijan' → 'JF-17C Thunder'' (↔ for a symmetric type)."""
        ws = self.workspace
        kind = next((t for t in ws.relation_types if t.name == relation.type), None)
        arrow = "→" if kind is None or kind.directed else "↔"
        head, tail = ws.layer.get(relation.head), ws.layer.get(relation.tail)
        return f"{relation.type}: {self.quote(head)} {arrow} {self.quote(tail)}"

    def quote(self, span: Span | None) -> str:
        """A span's text, short and on one line, in quotes."""
        if span is None or self.workspace.document is None:
            return "'?'"
        text = " ".join(self.workspace.document.text[span.start : span.end].split())
        return f"'{text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + '…'}'"

    # -- making a relation by keyboard ---------------------------------------------------

    @property
    def active(self) -> bool:
        """Whether a relation is being made."""
        return self.head is not None

    def start_relation(self, span: Span | None = None) -> None:
        """R: start a relation from `span` (default: the selected span, else the innermost span
        at the caret, so the keyboard alone can start one)."""
        ws = self.workspace
        head = span or ws.selected_span or self.article.span_at_caret()
        if head is None or ws.document is None:
            self.status.note("Select a span first, then press R to relate it to another.")
            return
        if ws.read_only:
            self.status.note("This project is open read-only; relations cannot be added.")
            return
        if ws.selected_span != head:
            ws.select_span(head)
        self.head, self.tail, self.chosen_type = head, None, None
        self._candidates = candidates(ws.layer, head, ws.relation_types)
        if not self._candidates:
            self.head = None
            self.status.note(
                f"No relation type lets {head.label} {self.quote(head)} relate to a span here."
            )
            return
        self.article.installEventFilter(self)
        self.article.setFocus()
        self._show_step()

    def cancel(self) -> None:
        """Esc: stop making the relation, nothing added."""
        if self.head is None:
            return
        self.head = self.tail = self.chosen_type = None
        self._candidates = []
        self.article.removeEventFilter(self)
        self.article.set_pending_relation(None)
        self.status.clear_hint()

    def step(self, by: int) -> None:
        """Tab (+1) / Shift+Tab (-1): the next or previous candidate, nearest first."""
        if not self._candidates:
            return
        if self.tail is None or self.tail not in self._candidates:
            self.tail = self._candidates[0 if by > 0 else -1]
        else:
            i = self._candidates.index(self.tail)
            self.tail = self._candidates[(i + by) % len(self._candidates)]
        self.article.scroll_to(self.tail.start, self.tail.end)
        self._show_step()

    def choose_type(self, name: str) -> None:
        """A relation type's key: that type, for the chosen span or the candidates it allows."""
        ws = self.workspace
        assert self.head is not None
        kinds = [t for t in ws.relation_types if t.name == name]
        reachable = candidates(ws.layer, self.head, kinds)
        if not reachable:
            self.status.note(f"{name} does not fit {self.head.label} {self.quote(self.head)}.")
            return
        self.chosen_type, self._candidates = name, reachable
        if self.tail not in reachable:
            self.tail = reachable[0]
            self.article.scroll_to(self.tail.start, self.tail.end)
        self._show_step()

    def confirm(self, where: QPoint | None = None) -> bool:
        """Enter: add the relation (asking for its type when several fit); True if added."""
        if self.head is None:
            return False
        if self.tail is None:
            self.status.note("Press Tab to choose the other span first.")
            return False
        fit = self._pick(self._fits(), where)
        if fit is None:
            return False
        self.cancel()
        return self.add(fit)

    def add(self, fit: Fit) -> bool:
        """Add the relation `fit` describes through the undo stack; True if it was added."""
        ws = self.workspace
        assert ws.document is not None
        command = AddRelationCommand(
            ws.document.id, ws.annotator, fit.type.name, fit.head.id, fit.tail.id
        )
        if not ws.execute(command):
            return False
        arrow = "→" if fit.type.directed else "↔"
        self.status.note(
            f"Added {fit.type.name}: {self.quote(fit.head)} {arrow} {self.quote(fit.tail)}"
        )
        return True

    def _fits(self) -> list[Fit]:
        assert self.head is not None and self.tail is not None
        kinds = [
            t
            for t in self.workspace.relation_types
            if self.chosen_type is None or t.name == self.chosen_type
        ]
        return fitting_types(kinds, self.head, self.tail)

    def _pick(self, fits: list[Fit], where: QPoint | None) -> Fit | None:
        """The one fit, or the one chosen from a short menu of them (None: none chosen)."""
        if len(fits) <= 1:
            return fits[0] if fits else None
        menu = QMenu(self.article)
        menu.setObjectName("relation_type_menu")
        for n, fit in enumerate(fits):
            key = f" ({fit.type.hotkey.upper()})" if fit.type.hotkey else ""
            arrow = "→" if fit.type.directed else "↔"
            action = menu.addAction(
                f"{fit.type.name}{key}: {self.quote(fit.head)} {arrow} {self.quote(fit.tail)}"
            )
            action.setData(n)
        if where is None:
            rect = self.article.cursorRect()
            where = self.article.viewport().mapToGlobal(rect.bottomLeft())
        chosen = menu.exec(where)
        return None if chosen is None else fits[chosen.data()]

    def _show_step(self, prefix: str = "") -> None:
        """Draw the relation being made and say what the keys do now (after `prefix`)."""
        assert self.head is not None
        kinds = self.workspace.relation_types
        keys = "/".join(t.hotkey.upper() for t in kinds if t.hotkey) or "Enter"
        if self.tail is None:
            self.article.set_pending_relation(None)
            self.status.hint(
                f"{prefix}Relation from {self.quote(self.head)}: Tab to choose the other span, "
                f"{keys} for the type, Enter, Esc"
            )
            return
        fits = self._fits()
        fit = fits[0] if len(fits) == 1 else None
        kind = fit.type.name if fit else (self.chosen_type or "?")
        head, tail = (fit.head, fit.tail) if fit else (self.head, self.tail)
        arrow = "→" if fit is None or fit.type.directed else "↔"
        self.article.set_pending_relation((head.id, tail.id, fit.type.name if fit else None))
        where = self._candidates.index(self.tail) + 1 if self.tail in self._candidates else 0
        self.status.hint(
            f"{prefix}Relation {kind}: {self.quote(head)} {arrow} {self.quote(tail)} "
            f"({where} of {len(self._candidates)}): Tab for another span, {keys} for the type, "
            "Enter to add, Esc to cancel"
        )

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.article or self.head is None or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride:
            if self._handles(event):
                event.accept()  # the key comes here as a key press, not to a shortcut
                return True
            return False
        if event.type() == QEvent.Type.KeyPress and self._handles(event):
            self._on_key(event)
            return True
        return super().eventFilter(watched, event)

    def _type_for_key(self, event: QKeyEvent) -> str | None:
        text = event.text().lower()
        return next(
            (
                t.name
                for t in self.workspace.relation_types
                if t.hotkey and t.hotkey.lower() == text
            ),
            None,
        )

    def _handles(self, event: QKeyEvent) -> bool:
        """The keys relation making takes: moves, Enter, Esc, Delete and Backspace, and any
        printable key without Ctrl/Alt (type keys; the others are swallowed so label keys do
        not relabel, nor Delete remove the span, meanwhile)."""
        key = Qt.Key(event.key())
        if key in _NEXT | _PREVIOUS | _CONFIRM | _SWALLOWED or key == Qt.Key.Key_Escape:
            return True
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        return plain and event.text().isprintable() and bool(event.text().strip())

    def _on_key(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Escape:
            self.cancel()
        elif key in _CONFIRM:
            self.confirm()
        elif key in _NEXT:
            self.step(+1)
        elif key in _PREVIOUS:
            self.step(-1)
        else:
            name = self._type_for_key(event)
            if name is not None:
                self.choose_type(name)
            else:
                shown = event.text() if key not in _SWALLOWED else QKeySequence(key).toString()
                self._show_step(f"{shown} is not a relation key. ")

    # -- the mouse -----------------------------------------------------------------------

    def _on_article_relation_dragged(self, one: Span, other: Span, where: QPoint) -> None:
        """Alt/Ctrl + drag from `one` to `other`: the relation a type allows between them."""
        if self.workspace.read_only:
            self.status.note("This project is open read-only; relations cannot be added.")
            return
        fits = fitting_types(self.workspace.relation_types, one, other)
        if not fits:
            self.status.note(
                f"No relation type relates {one.label} {self.quote(one)} and "
                f"{other.label} {self.quote(other)}."
            )
            return
        fit = self._pick(fits, where)
        if fit is not None:
            self.add(fit)

    def _on_article_span_menu_requested(self, spans: list[Span], where: QPoint) -> None:
        """The context menu of the span under the pointer (the innermost)."""
        menu = self.span_menu(spans[0])
        menu.exec(where)

    def span_menu(self, span: Span) -> QMenu:
        """'Relate to…', then each relation of the span to select or remove it."""
        menu = QMenu(self.article)
        menu.setObjectName("span_relations_menu")
        relate = menu.addAction("&Relate to…")
        relate.setShortcut(labelrules.RELATE_KEY.upper())
        relate.triggered.connect(lambda: self._relate_from(span))
        relate.setEnabled(not self.workspace.read_only)
        relations = self.workspace.opened.relations_of(span.id)
        if relations:
            menu.addSeparator()
        for relation in relations:
            shown = self.describe(relation)
            select = menu.addAction(f"Select {shown}")
            select.triggered.connect(lambda _=False, r=relation: self.workspace.select_relation(r))
            remove = menu.addAction(f"Remove {shown}")
            remove.triggered.connect(
                lambda _=False, r=relation: self.workspace.execute(RemoveRelationCommand(r.id))
            )
            remove.setEnabled(not self.workspace.read_only)
        return menu

    def _relate_from(self, span: Span) -> None:
        self.workspace.select_span(span)
        self.start_relation(span)
