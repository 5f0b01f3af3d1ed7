"""Error dialogs: one place that turns a message or an exception into a clear QMessageBox."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError, Cancelled, ImportFailed, UnknownLabels
from annotator.ui.plain import make_plain
from annotator.ui.wording import plural

log = logging.getLogger(__name__)

REPORT_HINT = (
    "This is a bug in annotator. Please report it with what you were doing; "
    "the details are in the log."
)


def build_error_box(parent: QWidget | None, title: str, error: str | BaseException) -> QMessageBox:
    """The message box for `error`, built but not shown (tests inspect it without exec)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setIcon(QMessageBox.Icon.Warning)
    if isinstance(error, str):
        box.setText(error)
    elif isinstance(error, ImportFailed):
        problems = error.errors
        files = {e.path for e in problems}
        box.setText(
            f"Found {plural(len(problems), 'problem')} in {plural(len(files), 'file')}; "
            "nothing was stored."
        )
        first = [
            f"{Path(e.path).name}{f':{e.line}' if e.line else ''}: {e.reason}" for e in problems[:3]
        ]
        more = "\n…" if len(problems) > 3 else ""
        box.setInformativeText(
            "\n".join(first) + more + "\n\nFix the files (full list under “Show Details…”) and "
            "import again."
        )
        box.setDetailedText("\n".join(str(e) for e in problems))
    elif isinstance(error, UnknownLabels):
        box.setText(
            "The imported spans carry labels this project does not have; nothing was stored."
        )
        box.setInformativeText(
            "\n".join(
                f"{label.name}: {plural(label.spans, 'span')}, first in {Path(label.path).name}"
                + (f" line {label.line}" if label.line is not None else "")
                for label in error.labels
            )
        )
    elif isinstance(error, Cancelled):
        box.setIcon(QMessageBox.Icon.Information)
        message = str(error) or "cancelled; nothing was changed"
        box.setText(message[:1].upper() + message[1:])
    elif isinstance(error, AnnotatorError):
        box.setText(str(error) or type(error).__name__)
    else:
        log.error("unexpected error shown to the user", exc_info=error)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(f"Unexpected error: {type(error).__name__}: {error}")
        box.setInformativeText(REPORT_HINT)
    return make_plain(box)


def show_error(parent: QWidget | None, title: str, error: str | BaseException) -> int:
    """Show `error` modally and return the QMessageBox result."""
    return build_error_box(parent, title, error).exec()
