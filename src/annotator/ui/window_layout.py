"""The main window's first-start size and its docks' widths: the article keeps at least half of
the window, at a first start and whenever the window gets narrower."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStyle, QWidget

DEFAULT_SCREEN_SHARE = 0.8  # a first start covers this much of the screen
DOCK_WIDTHS = (180, 380)  # a side dock's default width stays within these (see fit_docks)
DOCK_FRAMES = 24  # pixels the dock separators and frames take from the article's width


def place_default(window: QWidget, available: QRect) -> None:
    """A first start: the window covers DEFAULT_SCREEN_SHARE of `available`, centred."""
    size = available.size() * DEFAULT_SCREEN_SHARE
    direction = Qt.LayoutDirection.LeftToRight
    center = Qt.AlignmentFlag.AlignCenter
    window.setGeometry(QStyle.alignedRect(direction, center, size, available))


def fit_docks(
    window: QMainWindow, left_dock: QDockWidget, right_dock: QDockWidget, below: QDockWidget
) -> None:
    """Size the docks for the window's current size: the right column a fifth of the width,
    the left dock (the document list) two sevenths (room for its Date column) but never so much
    that the article gets less than half (both within DOCK_WIDTHS); the right dock a third of
    the right column's height, `below` it the rest."""
    width = window.width()
    right = min(max(width // 5, DOCK_WIDTHS[0]), DOCK_WIDTHS[1])
    article_half = width // 2 - right - DOCK_FRAMES
    left = max(DOCK_WIDTHS[0], min(width * 2 // 7, DOCK_WIDTHS[1], article_half))
    window.resizeDocks([left_dock, right_dock], [left, right], Qt.Orientation.Horizontal)
    third = window.height() // 3
    window.resizeDocks([right_dock, below], [third, 2 * third], Qt.Orientation.Vertical)


def give_way(window: QMainWindow, docks: Sequence[QDockWidget]) -> None:
    """Shrink the visible, docked `docks` in proportion (within DOCK_WIDTHS) so the article
    keeps half of the window."""
    docked = [d for d in docks if d.isVisible() and not d.isFloating()]
    widths, room = [d.width() for d in docked], window.width() // 2 - DOCK_FRAMES
    if sum(widths) > room:
        scaled = [max(DOCK_WIDTHS[0], w * room // sum(widths)) for w in widths]
        window.resizeDocks(docked, scaled, Qt.Orientation.Horizontal)
