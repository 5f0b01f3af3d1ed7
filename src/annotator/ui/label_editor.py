"""Edit → Labels…: add, rename, recolour, re-key, describe and remove labels without editing files.

Every change is a core label command run through the workspace, so it is one transaction, goes
on the undo stack (Edit → Undo reverses it) and refreshes the palette and the article at once.
A refused change (a duplicate or look-alike name, a taken hotkey) is shown in the dialog and
changes nothing. Names and guideline text from the project are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import (
    AddLabelCommand,
    Command,
    RemoveLabelCommand,
    UpdateLabelCommand,
)
from annotator.core.model import Label
from annotator.ui.label_palette import NAME_ROLE, item_text, swatch
from annotator.ui.plain import ask, plain_label, plain_tip
from annotator.ui.workspace import Workspace

NEW_LABEL_COLOR = "#9467BD"


class SchemaItem(Protocol):
    """What a label and a relation type both have."""

    @property
    def name(self) -> str: ...
    @property
    def color(self) -> str: ...
    @property
    def hotkey(self) -> str | None: ...
    @property
    def description(self) -> str: ...


class SchemaItemFields(QDialog):
    """The fields a label and a relation type share (name, colour, hotkey, guideline), laid
    out in a form with OK and Cancel; subclasses add their own rows (`lay_out`). `what` names
    the kind of item ("Label") in the colour dialog's title."""

    def __init__(
        self,
        title: str,
        what: str,
        item: SchemaItem | None,
        new_color: str,
        hotkey_hint: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._what = what
        self.name_edit = QLineEdit(item.name if item else "", self)
        self.color = item.color if item else new_color
        self.color_button = QPushButton(self)
        self.color_button.clicked.connect(self._on_color_button_clicked)
        self.hotkey_edit = QLineEdit((item.hotkey or "") if item else "", self)
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setPlaceholderText(hotkey_hint)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setPlainText(item.description if item else "")

    def lay_out(
        self, rows: Iterable[tuple[str, QWidget]], below: Iterable[QWidget], size: tuple[int, int]
    ) -> None:
        """Name, colour and hotkey rows, then `rows` (text, field), then `below` the form and
        the OK and Cancel buttons."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Colour:", self.color_button)
        form.addRow("&Hotkey:", self.hotkey_edit)
        for text, field in rows:
            form.addRow(text, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in below:
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self._show_color()
        self.resize(*size)

    def _on_color_button_clicked(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, f"{self._what} colour")
        if chosen.isValid():
            self.color = chosen.name().upper()
            self._show_color()

    def _show_color(self) -> None:
        self.color_button.setIcon(swatch(self.color, 16))
        self.color_button.setText(self.color)


class LabelFields(SchemaItemFields):
    """The fields of one label (name, colour, hotkey, guidelines), for adding or changing it."""

    def __init__(self, title: str, label: Label | None, parent: QWidget | None = None) -> None:
        hint = "one key, e.g. 4 (optional)"
        super().__init__(title, "Label", label, NEW_LABEL_COLOR, hint, parent)
        self.description_edit.setPlaceholderText("Guidelines for annotators (Markdown)")
        self.problem = plain_label("", self)
        self.problem.setStyleSheet("color: #B00020")
        self.problem.setWordWrap(True)
        self.lay_out([("&Guidelines:", self.description_edit)], [self.problem], (460, 360))

    def values(self) -> dict[str, Any]:
        """The fields as `Project.add_label`/`update_label` take them."""
        return {
            "new_name": self.name_edit.text(),
            "color": self.color,
            "hotkey": self.hotkey_edit.text() or None,
            "description": self.description_edit.toPlainText(),
        }


class SchemaListEditor(QDialog):
    """A list of schema items (labels, relation types) by name, with Add, Edit and Remove; each
    change is a command run through the workspace, a refusal shown under the list. Subclasses
    fill the list (`rebuild`) and pass their add, edit and remove to `connect_buttons`."""

    def __init__(self, workspace: Workspace, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.workspace = workspace
        self.list = QListWidget(self)
        self.add_button = QPushButton("&Add…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.remove_button = QPushButton("&Remove…", self)
        self.problem = plain_label("", self)
        self.problem.setStyleSheet("color: #B00020")
        self.problem.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.problem)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(self._update_buttons)

    def fill(self, items: Iterable[tuple[str, str, str, str]]) -> None:
        """List (name, colour, text, guideline) items anew, keeping the current one if it
        remains."""
        current = self.current_name()
        self.list.clear()
        for name, color, text, description in items:
            item = QListWidgetItem(swatch(color), text, self.list)
            item.setData(NAME_ROLE, name)
            item.setToolTip(plain_tip(description))
            if name == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def connect_buttons(
        self, add: Callable[[], None], edit: Callable[..., None], remove: Callable[[], None]
    ) -> None:
        """What Add, Edit (and activating an item) and Remove do."""
        self.add_button.clicked.connect(add)
        self.edit_button.clicked.connect(edit)
        self.remove_button.clicked.connect(remove)
        self.list.itemActivated.connect(edit)

    def current_name(self) -> str | None:
        """The name of the selected item, if any."""
        item = self.list.currentItem()
        return None if item is None else item.data(NAME_ROLE)

    def _run(self, command: Command) -> bool:
        """Execute a command; a refusal is shown here and changes nothing."""
        errors: list[str] = []
        self.workspace.error_raised.connect(errors.append)
        try:
            done = self.workspace.execute(command)
        finally:
            self.workspace.error_raised.disconnect(errors.append)
        self.problem.setText("" if done else "; ".join(errors))
        return done

    def _select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(NAME_ROLE) == name:
                self.list.setCurrentRow(row)

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.current_name() is not None
        writable = not self.workspace.read_only
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(chosen and writable)
        self.remove_button.setEnabled(chosen and writable)


class LabelEditor(SchemaListEditor):
    """The project's labels in palette order, with Add, Edit and Remove."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "Labels", parent)
        self.connect_buttons(self.add_label, self.edit_label, self.remove_label)
        workspace.labels_changed.connect(self.rebuild)
        self.rebuild()
        self.resize(420, 320)

    def rebuild(self) -> None:
        """List the workspace's labels again, keeping the current one if it remains."""
        self.fill(
            (lb.name, lb.color, item_text(lb), lb.description) for lb in self.workspace.labels
        )

    def add_label(self) -> None:
        """Ask for a new label's fields and add it (undoable)."""
        fields = self._ask("New label", None)
        if fields is None:
            return
        name, color, hotkey = fields["new_name"], fields["color"], fields["hotkey"]
        if self._run(AddLabelCommand(name, color, hotkey, fields["description"])):
            self._select(name)

    def edit_label(self, *_args: object) -> None:
        """Change the selected label's fields (only those edited are written; undoable)."""
        label = self.workspace.label(self.current_name() or "")
        if label is None:
            return
        fields = self._ask(f"Label {label.name}", label)
        if fields is None:
            return
        now = {"new_name": label.name, "color": label.color, "hotkey": label.hotkey}
        now["description"] = label.description
        changed = {key: value for key, value in fields.items() if value != now[key]}
        if changed and self._run(UpdateLabelCommand(label.name, changed)):
            self._select(str(changed.get("new_name", label.name)))

    def remove_label(self) -> None:
        """Remove the selected label after confirmation (with its spans; undoable)."""
        name = self.current_name()
        if name is None:
            return
        used = self.workspace.project.label_usage(name)
        question = f"Remove the label {name}?"
        if used:
            question += f"\n\nIts {used} span(s) are removed with it (Edit → Undo brings all back)."
        if ask(self, "Remove label", question):
            self._run(RemoveLabelCommand(name, force=used > 0))

    def _ask(self, title: str, label: Label | None) -> dict[str, Any] | None:
        fields = LabelFields(title, label, self)
        return fields.values() if fields.exec() == QDialog.DialogCode.Accepted else None
