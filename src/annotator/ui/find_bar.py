"""The find bar above the article: Ctrl+F opens it, Enter / F3 find the next hit, Shift+Enter /
Shift+F3 the previous one, Esc closes it and clears the hits."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QWidget

from annotator.ui.article_view import ArticleView
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_label


class FindBar(QWidget):
    """A search field over `article`, hidden until Edit → Find."""

    def __init__(self, article: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.article = article
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.edit.setClearButtonEnabled(True)
        self.result = plain_label(parent=self)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close the find bar (Esc)")
        close.clicked.connect(self.close_bar)
        row.addWidget(self.edit, 1)
        row.addWidget(self.result)
        row.addWidget(close)
        self.hide()
        self.edit.installEventFilter(self)  # Esc: here, not the window's Deselect (same key)
        self.edit.returnPressed.connect(self.find_next)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    def open_bar(self) -> None:
        """Show the bar with the article's selected text in it, ready to type."""
        self.show()
        article = self.article
        cursor = article.textCursor()
        if cursor.hasSelection() and article.document_shown is not None:
            span = article.offsets.selection_to_span(cursor.selectionStart(), cursor.selectionEnd())
            if span is not None:
                self.edit.setText(article.offsets.text[span[0] : span[1]])
        self.edit.setFocus()
        self.edit.selectAll()

    def find_next(self) -> None:
        """Go to the next hit (opening the bar first)."""
        if not self.isVisible():
            self.open_bar()
        self._find(backwards=False)

    def find_previous(self) -> None:
        """Go to the previous hit (opening the bar first)."""
        if not self.isVisible():
            self.open_bar()
        self._find(backwards=True)

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_esc = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
        if watched is self.edit and is_esc and not event.modifiers():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to the field as a key press
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    def close_bar(self) -> None:
        """Hide the bar, clear the hits, give the keys back to the article."""
        self.hide()
        self.article.clear_find()
        self.article.setFocus()

    def _find(self, *, backwards: bool) -> None:
        needle = self.edit.text()
        found = self.article.find_text(needle, backwards=backwards)
        count = self.article.hit_count
        self.result.setText("" if not needle else (f"{count} found" if found else "not found"))

    def _on_edit_text_changed(self, _text: str) -> None:
        self._find(backwards=False)
