"""Small dialogs: annotator name, read-only offer for a locked project, shortcuts, about.

The shortcut sheet reads the same ACTIONS table that builds the menus, plus the project's label
hotkeys, so it can never list a key the app does not have.
"""

from __future__ import annotations

import html
import os
import platform
from collections.abc import Iterable
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__
from annotator.core import labelrules
from annotator.core.model import Label
from annotator.ui.actions import ACTIONS
from annotator.ui.icons import app_icon
from annotator.ui.plain import make_plain, plain_box, plain_tip

LABELS_GROUP = "Labels"


def annotator_name_problem(name: str) -> str | None:
    """Why `name` (already trimmed) cannot name an annotator, as a sentence for the dialog."""
    problem = labelrules.annotator_problem(name)
    return None if problem is None else problem[0].upper() + problem[1:] + "."


def ask_annotator_name(parent: QWidget | None, current: str | None = None) -> str | None:
    """Ask who is annotating; the trimmed name, or None if cancelled. Re-asks until valid."""
    text = current or ""
    while True:
        value, ok = QInputDialog.getText(
            parent,
            "Annotator",
            "Your name, as recorded with every span you add:",
            QLineEdit.EchoMode.Normal,
            text,
        )
        if not ok:
            return None
        name = labelrules.normal_name(value.strip())
        problem = annotator_name_problem(name)
        if problem is None:
            return name
        plain_box(parent, QMessageBox.Icon.Warning, "Annotator", problem).exec()
        text = value


def ask_open_read_only(parent: QWidget | None, path: str | os.PathLike[str], holder: str) -> bool:
    """Offer to open a project another window holds, read-only; True for Yes."""
    who = f" ({holder})" if holder else ""
    box = plain_box(
        parent,
        QMessageBox.Icon.Question,
        "Project in use",
        f"{Path(path).name} is open in another annotator window{who}. Open it read-only?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    box.setInformativeText(
        "Read-only shows the documents and spans but saves nothing. "
        "Close the other window to annotate here."
    )
    return make_plain(box).exec() == QMessageBox.StandardButton.Yes


def _plain(text: str) -> str:
    """Menu text without mnemonics: '&Open' -> 'Open', '&&' -> '&'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _key_text(key: str) -> str:
    """A shortcut as the platform writes it (Ctrl+O, ⌘O on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class ShortcutSheet(QDialog):
    """Every keyboard shortcut (menu actions and label hotkeys) in a filterable table."""

    COLUMNS = ("Menu", "Action", "Shortcut")

    def __init__(self, labels: Iterable[Label] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by action, menu or key…")
        self.filter_edit.setClearButtonEnabled(True)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self._fill(list(labels))
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.resize(520, 560)

    def rows(self, *, visible_only: bool = False) -> list[tuple[str, str, str]]:
        """The table's (menu, action, shortcut) rows, optionally only those the filter shows."""
        return [
            tuple(self.table.item(r, c).text() for c in range(len(self.COLUMNS)))
            for r in range(self.table.rowCount())
            if not (visible_only and self.table.isRowHidden(r))
        ]

    def _fill(self, labels: list[Label]) -> None:
        for spec in ACTIONS:
            if spec.shortcuts:
                keys = ", ".join(_key_text(k) for k in spec.shortcuts)
                self._add_row(_plain(spec.menu), _plain(spec.text), keys, spec.tip)
        for label in labels:
            if label.hotkey and label.hotkey != labelrules.RELATE_KEY:  # r relates instead
                action = f"Label selection as {label.name}"
                row = self._add_row(
                    LABELS_GROUP, action, _key_text(label.hotkey), label.description
                )
                self.table.item(row, 1).setIcon(_swatch(label.color))

    def _add_row(self, menu: str, action: str, keys: str, tip: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((menu, action, keys)):
            item = QTableWidgetItem(text)
            if tip:
                item.setToolTip(plain_tip(tip))
            self.table.setItem(row, column, item)
        return row

    def _on_filter_edit_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        for row, cells in enumerate(self.rows()):
            haystack = " ".join(cells).casefold()
            self.table.setRowHidden(row, not all(w in haystack for w in words))


def about_text() -> str:
    """The About box's rich text: version, purpose and the offline promise."""
    versions = f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}"
    return (
        f"<h3>annotator {html.escape(__version__)}</h3>"
        "<p>Highlight, tag and export spans in articles: close reading, coding schemes and "
        "training data for spaCy.</p>"
        "<p><b>Works offline.</b> Your texts and annotations stay in the project file on this "
        "computer. annotator never connects to the network: no account, no telemetry, no "
        "model downloads.</p>"
        f"<p><small>{html.escape(versions)}</small></p>"
    )


def show_about(parent: QWidget | None) -> None:
    """Show the About box with the app icon."""
    box = QMessageBox(parent)
    box.setWindowTitle("About annotator")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    icon = app_icon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
