"""Edit → Relation Types…: add, rename, recolour, re-key, redirect, constrain (head and tail
labels), describe and remove relation types, as Edit → Labels… does for labels.

Every change is a core relation-type command run through the workspace: one transaction, on the
undo stack, and the article redraws its arcs at once. A refused change (a duplicate name, a
taken key) is shown in the dialog and changes nothing. Names from the project are plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from annotator.core.commands import (
    AddRelationTypeCommand,
    RemoveRelationTypeCommand,
    UpdateRelationTypeCommand,
)
from annotator.core.model import RelationType
from annotator.ui.label_editor import SchemaItemFields, SchemaListEditor
from annotator.ui.plain import ask
from annotator.ui.workspace import Workspace

NEW_TYPE_COLOR = "#D55E00"


def type_text(kind: RelationType) -> str:
    """'BUYS (B): ACTOR → PLATFORM' as the list shows a type (any label: '*')."""
    key = f" ({kind.hotkey.upper()})" if kind.hotkey else ""
    arrow = "→" if kind.directed else "↔"
    head = ", ".join(kind.head_labels) or "*"
    tail = ", ".join(kind.tail_labels) or "*"
    return f"{kind.name}{key}: {head} {arrow} {tail}"


class RelationTypeFields(SchemaItemFields):
    """The fields of one relation type, for adding or changing it."""

    def __init__(
        self, title: str, kind: RelationType | None, labels: list[str], parent: QWidget | None
    ) -> None:
        hint = "one key, e.g. b (optional)"
        super().__init__(title, "Relation type", kind, NEW_TYPE_COLOR, hint, parent)
        self.directed_box = QCheckBox("&Directed (head → tail); unticked: symmetric", self)
        self.directed_box.setChecked(kind.directed if kind else True)
        self.head_list = self._labels(labels, kind.head_labels if kind else ())
        self.tail_list = self._labels(labels, kind.tail_labels if kind else ())
        self.description_edit.setPlaceholderText("Guideline with an example (Markdown)")
        rows = [
            ("", self.directed_box),
            ("H&ead labels (none: any):", self.head_list),
            ("&Tail labels (none: any):", self.tail_list),
            ("&Guideline:", self.description_edit),
        ]
        self.lay_out(rows, [], (480, 520))

    def _labels(self, labels: list[str], chosen: tuple[str, ...]) -> QListWidget:
        listing = QListWidget(self)
        listing.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        listing.setMaximumHeight(90)
        for name in labels:
            item = QListWidgetItem(name, listing)
            item.setSelected(name in chosen)
        return listing

    def values(self) -> dict[str, Any]:
        """The fields under Project.update_relation_type's names."""

        def chosen(listing: QListWidget) -> tuple[str, ...]:
            return tuple(
                listing.item(n).text()
                for n in range(listing.count())
                if listing.item(n).isSelected()
            )

        return {
            "rename": self.name_edit.text(),
            "color": self.color,
            "hotkey": self.hotkey_edit.text() or None,
            "directed": self.directed_box.isChecked(),
            "head_labels": chosen(self.head_list),
            "tail_labels": chosen(self.tail_list),
            "description": self.description_edit.toPlainText(),
        }


class RelationTypeEditor(SchemaListEditor):
    """The project's relation types in order, with Add, Edit and Remove."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, "Relation Types", parent)
        self.connect_buttons(self.add_type, self.edit_type, self.remove_type)
        workspace.relation_types_changed.connect(self.rebuild)
        self.rebuild()
        self.resize(460, 320)

    def rebuild(self) -> None:
        """List the relation types again, keeping the current one if it remains."""
        kinds = self.workspace.relation_types
        self.fill((k.name, k.color, type_text(k), k.description) for k in kinds)

    def add_type(self) -> None:
        """Ask for a new relation type's fields and add it (undoable)."""
        fields = self._ask("New relation type", None)
        if fields is None:
            return
        name = fields.pop("rename")
        if self._run(AddRelationTypeCommand(name, **fields)):
            self._select(name)

    def edit_type(self, *_args: object) -> None:
        """Change the selected type's fields (only those edited are written; undoable)."""
        kind = next(
            (t for t in self.workspace.relation_types if t.name == self.current_name()), None
        )
        if kind is None:
            return
        fields = self._ask(f"Relation type {kind.name}", kind)
        if fields is None:
            return
        now = {
            "rename": kind.name,
            "color": kind.color,
            "hotkey": kind.hotkey,
            "directed": kind.directed,
            "head_labels": kind.head_labels,
            "tail_labels": kind.tail_labels,
            "description": kind.description,
        }
        changed = {key: value for key, value in fields.items() if value != now[key]}
        if "hotkey" in changed and changed["hotkey"] is None:
            changed["hotkey"] = ""  # "" clears the key
        if changed and self._run(UpdateRelationTypeCommand(kind.name, changed)):
            self._select(str(changed.get("rename", kind.name)))

    def remove_type(self) -> None:
        """Remove the selected type after confirmation (with its relations; undoable)."""
        name = self.current_name()
        if name is None:
            return
        question = (
            f"Remove the relation type {name}?\n\nIts relations are removed with it "
            "(Edit → Undo brings all back)."
        )
        if ask(self, "Remove relation type", question):
            self._run(RemoveRelationTypeCommand(name, force=True))

    def _ask(self, title: str, kind: RelationType | None) -> dict[str, Any] | None:
        labels = [label.name for label in self.workspace.labels]
        fields = RelationTypeFields(title, kind, labels, self)
        return fields.values() if fields.exec() == QDialog.DialogCode.Accepted else None
