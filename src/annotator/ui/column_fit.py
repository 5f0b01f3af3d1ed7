"""Table columns that give way: in a narrow dock the least important columns hide first, so
the stretching main column keeps a readable width; they come back when there is room. A column
`held` stays while the main column (eliding its text) keeps a smaller floor. Columns fit the
rows in view, and refit as the view scrolls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QStyle, QTableView

from annotator.ui.guard import qt_override


class ColumnsGiveWay(QObject):
    """Hides `optional` columns (the last first) of `view` while showing them would leave
    the other columns' stretching one less than `main_min` pixels, then `held` ones (the last
    first) while it would have less than `main_floor`; refits on resize, and once the event
    loop is back after a burst of model changes (a thousand rows inserted one by one fit once,
    not a thousand times)."""

    def __init__(
        self,
        view: QTableView,
        *,
        kept: tuple[int, ...],
        optional: tuple[int, ...],
        main_min: int,
        held: tuple[int, ...] = (),
        main_floor: int = 0,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.kept = kept
        self.held = held
        self.optional = optional
        self.main_min = main_min
        self.main_floor = main_floor
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit)
        # Fit to the rows in view, not to 1,000 of them: Qt asks the model for every cell of
        # each row it considers, which took 260 ms for 450 documents on the GUI thread.
        view.horizontalHeader().setResizeContentsPrecision(0)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.dataChanged):
            signal.connect(self._refit.start)
        view.verticalScrollBar().valueChanged.connect(self._refit.start)  # other rows in view

    def fit(self) -> None:
        """Fit the kept and optional columns to their cells (a header does not refit them when
        rows arrive) and show as many optional columns, in order, as leave the main column
        its width."""
        header = self.view.horizontalHeader()
        for column in self.kept + self.held + self.optional:
            self.view.resizeColumnToContents(column)
        width = self.view.viewport().width()
        used = sum(self._width(column) for column in self.kept)
        for column in self.held:
            used += self._width(column)
            header.setSectionHidden(column, used > width - self.main_floor)
        used = sum(self._width(c) for c in self.kept + self.held if not header.isSectionHidden(c))
        for column in self.optional:
            used += self._width(column)
            header.setSectionHidden(column, used > width - self.main_min)

    def _width(self, column: int) -> int:
        """The column's width fitted to its title and cells, hidden or not (a hidden section
        has no size hint of its own)."""
        header = self.view.horizontalHeader()
        if not header.isSectionHidden(column):
            return max(header.sectionSizeHint(column), self.view.sizeHintForColumn(column))
        title = str(self.view.model().headerData(column, Qt.Orientation.Horizontal) or "")
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        title_width = header.fontMetrics().horizontalAdvance(title) + 5 * margin + arrow
        return max(title_width, self.view.sizeHintForColumn(column))

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
