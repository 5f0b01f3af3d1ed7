"""The navigator's document list: a lazy table over Project.documents, one annotator's view.

Most orders are read a page at a time on the GUI thread (one statement, ~15 ms at 10,000
documents). The UNCERTAIN order needs every pending suggestion's score before its first row, so
a worker reads the whole order (ids only) once per reload; the list keeps the rows it shows
until the order arrives, then reads its pages by id (a few ms each)."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.model import Changes, DocumentSummary, Status
from annotator.core.project import DocumentFilter
from annotator.core.project.documents import ranked_document_ids
from annotator.core.storage.repo import UNCERTAIN
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_tip
from annotator.ui.table_model import RowTableModel
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

PAGE = 200
COLUMNS = ("Title", "Date", "Source", "Status", "Spans", "Done by", "Length")
ORDERS = (
    "title",
    "date",
    "source",
    "status",
    "spans",
    "done_by",
    "length",
)  # the Project.documents order of each column
DATE, SOURCE, STATUS, SPANS, DONE_BY, LENGTH = range(1, len(COLUMNS))  # the columns after Title
STATUS_TEXT = {
    Status.TODO: "To do",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
    Status.SKIPPED: "Skipped",
}
STATUS_COLOR = {
    Status.TODO: "#9E9E9E",
    Status.IN_PROGRESS: "#E69F00",
    Status.DONE: "#009E73",
    Status.SKIPPED: "#56B4E9",
}
UNFINISHED = (Status.TODO, Status.IN_PROGRESS)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_FOLDERS = re.compile(r"[\\/]")
_Index = QModelIndex | QPersistentModelIndex


def short_source(source: str) -> str:
    """A source as the list shows it: a file's name without its folders (a URL stays whole)."""
    if "://" in source:
        return source
    return _FOLDERS.split(source)[-1]


def status_icon(status: Status) -> QIcon:
    """A small filled dot in the status colour (made on first use; needs a QGuiApplication)."""
    icon = _ICONS.get(status)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOR[status]))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _ICONS[status] = QIcon(pixmap)
    return icon


_ICONS: dict[Status, QIcon] = {}


class DocumentTableModel(RowTableModel):
    """Documents with the workspace annotator's status and span count, fetched a page at a time."""

    columns = COLUMNS
    ranked = Signal()
    """The worker's UNCERTAIN order arrived and the list was reset to it."""

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._filter = DocumentFilter(annotator=workspace.annotator)
        self._order = "id"
        self._descending = False
        self._rows: list[DocumentSummary] = []
        self._row_of: dict[int, int] = {}
        self._offset = 0  # database rows (or ranked ids) consumed so far
        self._exhausted = False
        self._ranked: list[int] | None = None  # every id of the filter in UNCERTAIN order
        self._ranking: TaskHandle | None = None
        self.runner = TaskRunner(self, max_threads=1)
        self._rank_timer = QTimer(self)  # a filter and an order set together: one read
        self._rank_timer.setSingleShot(True)
        self._rank_timer.setInterval(0)
        self._rank_timer.timeout.connect(self._start_ranking)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    # -- state ---------------------------------------------------------------------------

    @property
    def filter(self) -> DocumentFilter:
        """The filter in force (always for the workspace annotator)."""
        return self._filter

    @property
    def order(self) -> tuple[str, bool]:
        """The sort key (id, UNCERTAIN or one of ORDERS) and whether it is descending."""
        return self._order, self._descending

    def set_filter(self, where: DocumentFilter) -> None:
        """Show only documents the filter lets through (annotator forced to the workspace's)."""
        self._filter = dataclasses.replace(where, annotator=self.workspace.annotator)
        self.reload()

    def set_order(self, order: str, descending: bool = False) -> None:
        """Sort by a Project.documents key and start again from the first page."""
        if order not in ("id", UNCERTAIN, *ORDERS):
            raise ValueError(f"cannot order documents by {order!r}")
        self._order, self._descending = order, descending
        self.reload()

    def reload(self) -> None:
        """Forget the loaded rows; views fetch the first page again. In the UNCERTAIN order a
        worker reads the order first; the rows shown stay (nothing more is fetched) until it
        arrives."""
        self._rank_timer.stop()
        if self._ranking is not None:
            self._ranking.cancel()
            self._ranking = None
        if self._order == UNCERTAIN:
            self._exhausted = True
            self._rank_timer.start()
        else:
            self._reset(None)

    @property
    def ranking(self) -> bool:
        """Whether the list waits for the worker's UNCERTAIN order."""
        return self._rank_timer.isActive() or self._ranking is not None

    def summary(self, row: int) -> DocumentSummary:
        """The document shown in that row."""
        return self._rows[row]

    def loaded_ids(self) -> list[int]:
        """Ids of the rows fetched so far, in display order."""
        return [doc.id for doc in self._rows]

    # -- Qt overrides --------------------------------------------------------------------

    @qt_override(False)
    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted

    @qt_override()
    def fetchMore(self, parent: _Index) -> None:
        if not parent.isValid():
            self._fetch_page()

    @qt_override()
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = ORDERS[column] if 0 <= column < len(ORDERS) else "id"
        self.set_order(key, order == Qt.SortOrder.DescendingOrder)

    # -- navigation ----------------------------------------------------------------------

    def row_of(self, doc_id: int | None, *, fetch: bool = True) -> int | None:
        """The row showing the document, fetching further pages until found (unless not `fetch`)."""
        if doc_id is None:
            return None
        while doc_id not in self._row_of and fetch and not self._exhausted:
            self._fetch_page()
        return self._row_of.get(doc_id)

    def neighbour(self, doc_id: int, step: int) -> int | None:
        """The id `step` rows after (negative: before) the document, or None past either end."""
        row = self.row_of(doc_id)
        if row is None:
            return None
        target = row + step
        while target >= len(self._rows) and not self._exhausted:
            self._fetch_page()
        if not 0 <= target < len(self._rows):
            return None
        return self._rows[target].id

    def next_unfinished(self, doc_id: int | None) -> int | None:
        """The next document after `doc_id` (in this order and filter) still todo or in progress
        for the annotator, wrapping around once; read from the project, not the loaded rows."""
        first: int | None = None  # the first unfinished one, for the wrap-around
        seen = doc_id is None
        for doc in self._walk():
            if doc.id == doc_id:
                seen = True
                continue
            if doc.status in UNFINISHED:
                if seen:
                    return doc.id
                if first is None:
                    first = doc.id
        return first

    # -- internals -----------------------------------------------------------------------

    def _query(self, where: DocumentFilter, offset: int, limit: int | None) -> list:
        return self.workspace.project.documents(
            where, offset=offset, limit=limit, order=self._order, descending=self._descending
        )

    def _rows_of_ids(self, ids: Sequence[int]) -> dict[int, DocumentSummary]:
        """Fresh rows of these documents (those since deleted are missing), by id."""
        where = DocumentFilter(annotator=self.workspace.annotator, ids=tuple(ids))
        return {doc.id: doc for doc in self.workspace.project.documents(where)}

    def _ranked_page(self, ids: Sequence[int]) -> list[DocumentSummary]:
        """The rows of these ids, in their order."""
        found = self._rows_of_ids(ids)
        return [found[doc_id] for doc_id in ids if doc_id in found]

    def _reset(self, ranked: list[int] | None) -> None:
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self._offset, self._exhausted = 0, False
        self._ranked = ranked
        self.endResetModel()

    def _start_ranking(self) -> None:
        location = self.workspace.project.location
        handle = self.runner.submit(ranked_document_ids, location, self._filter, UNCERTAIN)
        handle.succeeded.connect(lambda ids, h=handle: self._on_ranking_succeeded(h, ids))
        handle.failed.connect(lambda error, h=handle: self._on_ranking_failed(h, error))
        self._ranking = handle

    def _on_ranking_succeeded(self, handle: TaskHandle, ids: list[int]) -> None:
        if handle is self._ranking:
            self._ranking = None
            self._reset(ids)
            self.ranked.emit()

    def _on_ranking_failed(self, handle: TaskHandle, error: BaseException) -> None:
        if handle is self._ranking:
            self._ranking = None
            if not isinstance(error, Cancelled):
                log.warning("cannot list documents: %s", error)
            self._reset([])
            self.ranked.emit()

    def _walk(self) -> Iterator[DocumentSummary]:
        """Every document of the filter in the current order, fresh from the project (in the
        UNCERTAIN order: the worker's order, or the rows shown while it is read)."""
        if self._order == UNCERTAIN:
            ids = self._ranked if self._ranked is not None else self.loaded_ids()
            for start in range(0, len(ids), PAGE):
                yield from self._ranked_page(ids[start : start + PAGE])
            return
        offset = 0
        while True:
            try:
                page = self._query(self._filter, offset, PAGE)
            except AnnotatorError as exc:  # e.g. the filtered label was just removed
                log.warning("cannot list documents: %s", exc)
                return
            yield from page
            if len(page) < PAGE:
                return
            offset += PAGE

    def _fetch_page(self) -> None:
        try:
            if self._ranked is None:
                page = self._query(self._filter, self._offset, PAGE)
                consumed = len(page)
            else:
                ids = self._ranked[self._offset : self._offset + PAGE]
                page, consumed = self._ranked_page(ids), len(ids)
        except AnnotatorError as exc:
            log.warning("cannot list documents: %s", exc)
            page, consumed = [], 0
        self._offset += consumed
        self._exhausted = consumed < PAGE
        fresh = [doc for doc in page if doc.id not in self._row_of]  # data moved between pages
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for row, doc in enumerate(fresh, first):
            self._row_of[doc.id] = row
        self._rows.extend(fresh)
        self.endInsertRows()

    def _data(self, doc: DocumentSummary, column: int, role: int) -> Any:
        if role == ID_ROLE:
            return doc.id
        title = doc.title or f"Document {doc.id}"
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                title,
                doc.date,
                short_source(doc.source),
                STATUS_TEXT[doc.status],
                doc.span_count,
                doc.done_by,
                doc.length,
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return status_icon(doc.status)
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, SOURCE):  # in full
            return plain_tip("\n".join(part for part in (title, doc.date, doc.source) if part))
        if role == Qt.ItemDataRole.ToolTipRole and column == DONE_BY:
            return f"{doc.done_by} annotator(s) marked this document done"
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= SPANS:  # the numbers
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _refresh(self, ids: list[int]) -> None:
        """Re-read these loaded rows (they stay even if they no longer match the filter)."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            fresh = self._rows_of_ids(chunk)
            for doc_id in chunk:
                if doc_id in fresh:
                    row = self._row_of[doc_id]
                    self._rows[row] = fresh[doc_id]
                    self._rows_changed(row, row)
                else:
                    self._remove(doc_id)

    def _remove(self, doc_id: int) -> None:
        row = self._row_of[doc_id]
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._row_of = {doc.id: n for n, doc in enumerate(self._rows)}
        self._offset = max(self._offset - 1, 0)
        self.endRemoveRows()

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if _no_column_changed(changes):
            return  # a relabel, a resize or a relation changes no count, status or length shown
        if changes.labels and changes.spans_removed and not changes.documents:
            ids = self.loaded_ids()  # a label removed with its spans: counts may have changed
        else:
            ids = [doc_id for doc_id in sorted(changes.documents) if doc_id in self._row_of]
        if ids:
            self._refresh(ids)


def _no_column_changed(changes: Changes) -> bool:
    """Whether the record names edited spans or relations and nothing else (no span added or
    removed, no status, label, suggestion or gold flag)."""
    others = (
        changes.spans_added,
        changes.spans_removed,
        changes.states,
        changes.labels,
        changes.suggestions,
        changes.gold,
    )
    edits = (
        changes.spans_updated,
        changes.relations_added,
        changes.relations_removed,
        changes.relation_types,
    )
    return any(edits) and not any(others)
