"""Two small charts drawn with QPainter (no Qt Charts): grouped score bars and a count heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.ui.guard import qt_override

SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73")
"""Colour-blind-safe (Okabe-Ito) colours for the bar series."""
HOT = QColor("#D55E00")
"""Heatmap colour of the most frequent disagreement."""


class ScoreBars(QWidget):
    """Horizontal bars of scores in [0, 1]: one row per category, one bar per series."""

    BAR, GAP, LABEL_WIDTH, VALUE_WIDTH = 12, 10, 120, 44

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[str] = []
        self.values: list[list[float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_data(
        self, categories: Sequence[str], series: Sequence[str], values: Sequence[Sequence]
    ) -> None:
        """values[i][j]: the score of category i in series j (None: undefined, no bar)."""
        self.categories, self.series = list(categories), list(series)
        self.values = [list(row) for row in values]
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.BAR * max(1, len(self.series)) + self.GAP

    @qt_override(QSize())
    def sizeHint(self) -> QSize:
        return QSize(420, self._row_height() * len(self.categories) + 28)

    @qt_override()
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint(painter)
        painter.end()

    def _paint(self, painter: QPainter) -> None:
        text = self.palette().color(self.foregroundRole())
        left = self.LABEL_WIDTH
        width = max(10, self.width() - left - self.VALUE_WIDTH)
        for i, (name, row) in enumerate(zip(self.categories, self.values, strict=True)):
            top = i * self._row_height()
            painter.setPen(text)
            label_box = QRectF(0, top, left - 8, self._row_height() - self.GAP)
            painter.drawText(
                label_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name
            )
            for j, value in enumerate(row):
                y = top + j * self.BAR
                color = QColor(SERIES_COLORS[j % len(SERIES_COLORS)])
                if value is not None:
                    painter.fillRect(QRectF(left, y + 1, width * value, self.BAR - 2), color)
                painter.setPen(text)
                shown = "–" if value is None else f"{value:.2f}"
                x = left + width * (value or 0) + 4
                painter.drawText(
                    QRectF(x, y, self.VALUE_WIDTH, self.BAR), Qt.AlignmentFlag.AlignVCenter, shown
                )
        self._paint_legend(painter, text, self._row_height() * len(self.categories) + 6)

    def _paint_legend(self, painter: QPainter, text: QColor, top: int) -> None:
        x = self.LABEL_WIDTH
        for j, name in enumerate(self.series):
            painter.fillRect(
                QRectF(x, top + 4, 12, 12), QColor(SERIES_COLORS[j % len(SERIES_COLORS)])
            )
            painter.setPen(text)
            painter.drawText(QRectF(x + 16, top, 160, 20), Qt.AlignmentFlag.AlignVCenter, name)
            x += 24 + painter.fontMetrics().horizontalAdvance(name)


class CountHeatmap(QWidget):
    """A square matrix of counts; off-diagonal cells shaded by count, the diagonal in grey."""

    CELL, LEFT, TOP = 80, 110, 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.counts: dict[tuple[str, str], int] = {}

    def set_matrix(self, names: Sequence[str], counts: Mapping[tuple[str, str], int]) -> None:
        """Rows and columns in `names` order; missing cells count 0."""
        self.names, self.counts = list(names), dict(counts)
        self.updateGeometry()
        self.update()

    @qt_override(QSize())
    def sizeHint(self) -> QSize:
        side = self.CELL * len(self.names) + 4
        return QSize(self.LEFT + side, self.TOP + side)

    @qt_override(QSize())
    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    @qt_override()
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._paint(painter)
        painter.end()

    def _paint(self, painter: QPainter) -> None:
        text = self.palette().color(self.foregroundRole())
        off = [n for (x, y), n in self.counts.items() if x != y]
        peak = max(off, default=0) or 1
        left, top, c = self.LEFT, self.TOP, self.CELL
        center = Qt.AlignmentFlag.AlignCenter
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        metrics = painter.fontMetrics()
        painter.setPen(text)
        for i, name in enumerate(self.names):
            short = metrics.elidedText(name, Qt.TextElideMode.ElideRight, c - 6)
            painter.drawText(QRectF(left + i * c, 0, c - 2, top - 4), center, short)
            short = metrics.elidedText(name, Qt.TextElideMode.ElideRight, left - 10)
            painter.drawText(QRectF(0, top + i * c, left - 8, c - 2), right, short)
        for r, row in enumerate(self.names):
            for k, col in enumerate(self.names):
                n = self.counts.get((row, col), 0)
                cell = QRectF(left + k * c, top + r * c, c - 2, c - 2)
                if row == col:
                    color = QColor(200, 200, 200)
                else:
                    color = QColor(HOT)
                    color.setAlphaF(0.08 + 0.92 * n / peak if n else 0.03)
                painter.fillRect(cell, color)
                painter.setPen(text)
                painter.drawText(cell, center, str(n))
