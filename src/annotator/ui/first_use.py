"""A quiet hint above the article for someone who has not annotated yet in this project.

Shown while the annotator has no layer in the project (no span, no status); it names the label
keys of this project's schema and goes away with the first span.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.model import Changes, LabelKind
from annotator.ui.plain import plain_label
from annotator.ui.workspace import Workspace


def hint_text(workspace: Workspace) -> str:
    """ "Select text …, then press 1 (ACTOR), 2 (PLATFORM) …" from the project's label keys."""
    keys = [
        f"{label.hotkey} ({label.name})"
        for label in workspace.labels
        if label.hotkey and label.kind == LabelKind.SPAN
    ]
    press = f"press {', '.join(keys)}" if keys else "click a label in the Labels panel"
    return (
        f"Select some text in the article, then {press} to label it. "
        "Click a span to change or delete it; Ctrl+Z undoes."
    )


class FirstUseBanner(QWidget):
    """The hint, visible until the annotator's first span."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.label: QLabel = plain_label(hint_text(workspace), self)
        self.label.setWordWrap(True)
        self.label.setContentsMargins(12, 6, 12, 6)
        self.label.setObjectName("first_use_hint")
        self.label.setStyleSheet("#first_use_hint { color: palette(placeholder-text); }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        started = workspace.annotator in {a.name for a in workspace.project.annotators()}
        self.setVisible(not started)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
        workspace.labels_changed.connect(self._on_workspace_labels_changed)

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if changes.spans_added and not self.isHidden():
            self.hide()

    def _on_workspace_labels_changed(self) -> None:
        self.label.setText(hint_text(self.workspace))
