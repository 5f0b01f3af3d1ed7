"""Review → Start Review…: pick the annotators whose layers are compared (two or more)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.plain import plain_label


class ReviewSetupDialog(QDialog):
    """A checklist of annotators; OK needs at least two ticked."""

    def __init__(
        self, names: Sequence[str], checked: Sequence[str], gold: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review")
        self.setObjectName("review_setup_dialog")
        layout = QVBoxLayout(self)
        intro = plain_label(
            "Compare the layers of these annotators and adjudicate a gold layer.\n"
            f"Accepted spans go to the gold layer “{gold}”; "
            "while reviewing, what you mark goes there too."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.names = QListWidget(self)
        self.names.setObjectName("review_annotators")
        for name in names:
            item = QListWidgetItem(name, self.names)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if name in checked else Qt.CheckState.Unchecked
            item.setCheckState(state)
        layout.addWidget(self.names)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start Review")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.names.itemChanged.connect(self._on_names_item_changed)
        self._on_names_item_changed()

    def chosen(self) -> list[str]:
        """The ticked annotators, in list order."""
        items = (self.names.item(i) for i in range(self.names.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def _on_names_item_changed(self, *_args) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(len(self.chosen()) >= 2)


def ask_review_annotators(
    parent: QWidget, names: Sequence[str], checked: Sequence[str], gold: str
) -> list[str] | None:
    """Ask which annotators to compare; None when cancelled."""
    dialog = ReviewSetupDialog(names, checked, gold, parent)
    return dialog.chosen() if dialog.exec() else None
