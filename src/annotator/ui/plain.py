"""Text from files, merges and other users, shown as plain text by any widget.

QLabel, QMessageBox, tooltips and item tooltips default to Qt::AutoText: a string that looks like
HTML (`<img src="/dev/zero">` as a label name) is rendered as rich text, which loads local files
and can exhaust memory. Every widget that shows such text goes through this module:

- `plain_label` and `plain_box` set Qt::PlainText, so the text is drawn as written;
- `plain_tip` escapes a tooltip (tooltips have no format setting) so it renders literally;
- `inform` and `ask` replace QMessageBox's static functions, which cannot be told the format.

Text the application composes as rich text on purpose escapes the user's parts with `html.escape`.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Button = QMessageBox.StandardButton


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows `text` (and whatever is set later) exactly as written."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_tip(text: str) -> str:
    """`text` as a tooltip that shows it literally (escaped, line breaks kept); '' stays ''."""
    return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def make_plain(box: QMessageBox) -> QMessageBox:
    """Show the box's text and informative text as plain text (call after setting them)."""
    box.setTextFormat(Qt.TextFormat.PlainText)
    for label in box.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def plain_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> QMessageBox:
    """A message box, built but not shown, whose text is plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return make_plain(box)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Show an information message (modal) with `text` as plain text."""
    plain_box(parent, QMessageBox.Icon.Information, title, text).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a Yes/No question (No is the default) with `text` as plain text; True for Yes."""
    box = plain_box(
        parent, QMessageBox.Icon.Question, title, text, Button.Yes | Button.No, Button.No
    )
    return box.exec() == Button.Yes
