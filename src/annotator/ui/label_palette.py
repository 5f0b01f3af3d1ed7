"""The label palette: pick a label by click, see its hotkey and guidelines; doubles as legend."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core import labelrules
from annotator.core.model import Label, LabelKind
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_tip
from annotator.ui.workspace import Workspace

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
GUIDELINES_HINT = "Point at a label to read its annotation guidelines."
_MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)


def swatch(color: str, size: int = 14) -> QIcon:
    """A square of the label colour with a thin dark outline."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#404040"))
    painter.setBrush(QColor(color))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def item_text(label: Label) -> str:
    """The row text: name, hotkey as "[1]" (not r: R relates), and a note for document-level
    labels."""
    text = label.name
    if label.hotkey and label.hotkey != labelrules.RELATE_KEY:
        text += f"  [{label.hotkey}]"
    if label.kind == LabelKind.DOCUMENT:
        text += "  (document)"
    return text


def guidelines_markdown(label: Label) -> str:
    """The label's name as a heading, then its description (Markdown, HTML ignored)."""
    name = re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", label.name)
    body = label.description.strip() or "*No guidelines written for this label yet.*"
    return f"### {name}\n\n{body}\n"


class GuidelinesBrowser(QTextBrowser):
    """A read-only text view that follows no links and loads no images or other resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    @qt_override()
    def loadResource(self, kind: int, name: QUrl) -> Any:
        return None  # no images, style sheets or files, local or remote (cannot raise)


class LabelPalette(QWidget):
    """One row per workspace label (swatch, name, hotkey); the guidelines of the one in focus."""

    label_chosen = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMouseTracking(True)
        self.list.viewport().installEventFilter(self)
        self.guidelines = GuidelinesBrowser(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.guidelines)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.list.itemClicked.connect(self._on_list_item_clicked)
        self.list.itemActivated.connect(self._on_list_item_clicked)
        self.list.itemEntered.connect(self._on_list_item_entered)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        workspace.labels_changed.connect(self._on_workspace_labels_changed)
        self.rebuild()

    # -- public --------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Make the rows again from workspace.labels, keeping the current label if it remains."""
        chosen = self.current_label()
        self.list.blockSignals(True)
        self.list.clear()
        for label in self.workspace.labels:
            item = QListWidgetItem(swatch(label.color), item_text(label))
            item.setData(NAME_ROLE, label.name)
            item.setToolTip(plain_tip(label.description))
            self.list.addItem(item)
        self.list.blockSignals(False)
        if chosen is not None and self.workspace.label(chosen) is not None:
            self.set_current_label(chosen)
        else:
            self.show_guidelines(None)

    def current_label(self) -> str | None:
        """The name of the selected row, if any."""
        item = self.list.currentItem()
        return None if item is None else item.data(NAME_ROLE)

    def set_current_label(self, name: str | None) -> None:
        """Select a label's row (None clears) without emitting label_chosen."""
        for row in range(self.list.count()):
            if self.list.item(row).data(NAME_ROLE) == name:
                self.list.setCurrentRow(row)
                return
        self.list.setCurrentRow(-1)
        self.show_guidelines(None)

    def show_guidelines(self, name: str | None) -> None:
        """Show a label's full description below the list (empty for None or unknown)."""
        label = None if name is None else self.workspace.label(name)
        if label is None:  # the hint as text: a placeholder does not wrap in a narrow dock
            self.guidelines.document().setMarkdown(f"*{GUIDELINES_HINT}*", _MARKDOWN)
            return
        self.guidelines.document().setMarkdown(guidelines_markdown(label), _MARKDOWN)

    def item_of(self, name: str) -> QListWidgetItem | None:
        """The row of a label, if listed."""
        for row in range(self.list.count()):
            if self.list.item(row).data(NAME_ROLE) == name:
                return self.list.item(row)
        return None

    # -- internals -----------------------------------------------------------------------

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Leave:
            self.show_guidelines(self.current_label())  # hover ended: back to the selection
        return super().eventFilter(watched, event)

    def _on_list_item_clicked(self, item: QListWidgetItem) -> None:
        self.label_chosen.emit(item.data(NAME_ROLE))

    def _on_list_item_entered(self, item: QListWidgetItem) -> None:
        self.show_guidelines(item.data(NAME_ROLE))

    def _on_list_current_item_changed(self, current: QListWidgetItem | None, _previous) -> None:
        self.show_guidelines(None if current is None else current.data(NAME_ROLE))

    def _on_workspace_labels_changed(self) -> None:
        self.rebuild()
