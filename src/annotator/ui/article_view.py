"""The article in the centre: read-only text, span colours, selection, clicks, find, zoom.

The view never reads text back from Qt: positions go through the document's QtOffsets and the
stored string is sliced. It knows spans only to draw and hit-test them; edits are requested
with signals and carried out by the main window through the workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.intervals import SpanIndex
from annotator.core.model import Document, Span
from annotator.core.offsets import QtOffsets
from annotator.core.selection import resized, snap_to_words
from annotator.core.text import is_mostly_rtl
from annotator.ui.highlighter import SpanHighlighter

log = logging.getLogger(__name__)
READING_WIDTH_CHARS = 80
_RESIZE_KEYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}


class ArticleView(QPlainTextEdit):
    """Shows one document with its spans; emits what the user asks for."""

    span_clicked = Signal(object)  # Span | None
    resize_requested = Signal(int, int, int)  # span id, new start, new end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        option = self.document().defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        self.document().setDefaultTextOption(option)
        self.document().setDocumentMargin(12)
        self.highlighter = SpanHighlighter(self.document())
        self.snap_to_words = True
        self.document_shown: Document | None = None
        self.offsets = QtOffsets("")
        self.index = SpanIndex()
        self._selected: Span | None = None
        self._hits: list[tuple[int, int]] = []
        self._press: QPoint | None = None
        self._centering = False
        self.edge_colors: dict[str, str] = {}

    # -- content -------------------------------------------------------------------------

    def show_document(
        self, document: Document | None, spans: Iterable[Span], tints: dict[str, QColor]
    ) -> None:
        """Display a document (or nothing) with its spans coloured by label tint."""
        self.document_shown = document
        self.offsets = QtOffsets(document.text if document else "")
        self.index = SpanIndex(spans)
        self._selected = None
        self._hits = []
        option = self.document().defaultTextOption()
        rtl = document is not None and is_mostly_rtl(document.text)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.document().setDefaultTextOption(option)  # QPlainTextEdit aligns all blocks alike
        self.highlighter.set_content(SpanIndex(), self.offsets, tints)
        self.setPlainText(self.offsets.display_text())
        self.highlighter.set_content(self.index, self.offsets, tints)
        self._update_extra_selections()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def update_spans(self, added: Iterable[Span], removed: Iterable[int]) -> None:
        """Apply span changes and re-highlight only the blocks they touch."""
        touched: list[tuple[int, int]] = []
        for span_id in removed:
            old = self.index.remove(span_id)
            if old is not None:
                touched.append((old.start, old.end))
        for span in added:
            old = self.index.remove(span.id)
            if old is not None:
                touched.append((old.start, old.end))
            self.index.add(span)
            touched.append((span.start, span.end))
        if self._selected is not None:
            self._selected = self.index.get(self._selected.id)
        self.highlighter.refresh(touched)
        self._update_extra_selections()

    def set_tints(self, tints: dict[str, QColor]) -> None:
        """New label colours (schema or theme change)."""
        self.highlighter.set_tints(tints)

    # -- selection -----------------------------------------------------------------------

    def selection_span(self) -> tuple[int, int] | None:
        """The text selection as a clean code-point span (trimmed, whole graphemes, whole
        words when snapping is on), or None when nothing is selected."""
        if self.document_shown is None:
            return None
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        span = self.offsets.selection_to_span(cursor.selectionStart(), cursor.selectionEnd())
        if span is not None and self.snap_to_words:
            span = snap_to_words(self.offsets.text, *span)
        return span

    def clear_selection(self) -> None:
        """Drop the text selection, keeping the caret where the selection ended."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def set_selected_span(self, span: Span | None) -> None:
        """Outline the current span (or none) and scroll it into view."""
        self._selected = span
        self._update_extra_selections()
        if span is not None:
            self.scroll_to(span.start, span.end)

    def scroll_to(self, start: int, end: int | None = None) -> None:
        """Bring code points [start, end) into view without selecting them."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(end if end is not None else start))
        self.setTextCursor(cursor)
        cursor.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def spans_at(self, point: QPoint) -> list[Span]:
        """Spans under a viewport point, innermost first."""
        q = self.cursorForPosition(point).position()
        cursor_rect = self.cursorRect(self.cursorForPosition(point))
        if point.x() < cursor_rect.x() and q > 0:
            q -= 1  # the click fell on the right half of the character before the caret
        return self.index.at(self.offsets.to_py(q))

    def _update_extra_selections(self) -> None:
        selections = []
        for start, end in self._hits:
            selections.append(self._extra(start, end, hit=True))
        if self._selected is not None:
            selections.append(self._extra(self._selected.start, self._selected.end, hit=False))
        self.setExtraSelections(selections)

    def _extra(self, start: int, end: int, *, hit: bool) -> QTextEdit.ExtraSelection:
        extra = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        extra.cursor = cursor
        fmt = QTextCharFormat()
        if hit:
            fmt.setBackground(QColor(255, 230, 0, 160))
        else:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.palette().text().color())
            fmt.setFontUnderline(True)
            fmt.setFontWeight(700)
        extra.format = fmt
        return extra

    # -- find ----------------------------------------------------------------------------

    def find_text(self, needle: str, *, backwards: bool = False) -> bool:
        """Mark every match of `needle` (case-insensitive) and move to the next (or previous)
        one after the caret; False when there is none."""
        text = self.offsets.text.casefold()
        needle = needle.casefold()
        self._hits = []
        if needle and len(needle) <= len(text):
            i = text.find(needle)
            while i >= 0 and len(self._hits) < 10_000:
                self._hits.append((i, i + len(needle)))
                i = text.find(needle, i + 1)
        self._update_extra_selections()
        if not self._hits:
            return False
        caret = self.offsets.to_py(self.textCursor().position())
        if backwards:
            before = [h for h in self._hits if h[1] < caret]
            start, end = before[-1] if before else self._hits[-1]
        else:
            after = [h for h in self._hits if h[0] >= caret]
            start, end = after[0] if after else self._hits[0]
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        return True

    @property
    def hit_count(self) -> int:
        """How many matches the last find marked."""
        return len(self._hits)

    def clear_find(self) -> None:
        """Remove the find marks."""
        self._hits = []
        self._update_extra_selections()

    # -- events (every override guarded: an escaping exception can crash Python 3.11) ----

    def mousePressEvent(self, event: QMouseEvent) -> None:
        try:
            self._press = event.position().toPoint()
        except Exception:
            log.exception("mouse press")
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        try:
            point = event.position().toPoint()
            is_click = self._press is not None and (point - self._press).manhattanLength() < 4
            if event.button() == Qt.MouseButton.LeftButton and is_click:
                self._on_click(point, event.globalPosition().toPoint())
        except Exception:
            log.exception("mouse release")

    def _on_click(self, point: QPoint, global_point: QPoint) -> None:
        spans = self.spans_at(point)
        if len(spans) <= 1:
            self.span_clicked.emit(spans[0] if spans else None)
            return
        chosen = self.choose_span(spans, global_point)
        if chosen is not None:
            self.span_clicked.emit(chosen)

    def choose_span(self, spans: list[Span], global_point: QPoint) -> Span | None:
        """Ask which of several overlapping spans the click meant (a popup menu)."""
        menu = QMenu(self)
        menu.setObjectName("span_chooser")
        for span in spans:
            text = self.offsets.text[span.start : span.end].replace("\n", " ")
            short = text if len(text) <= 50 else text[:49] + "…"
            action = menu.addAction(f"{span.label}: {short}")
            action.setData(span.id)
        chosen = menu.exec(global_point)
        return None if chosen is None else self.index.get(chosen.data())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        try:
            if self._resize_by_key(event):
                return
        except Exception:
            log.exception("key press")
        super().keyPressEvent(event)

    def _resize_by_key(self, event: QKeyEvent) -> bool:
        """Shift+Left/Right move the selected span's end; Alt+Shift+Left/Right its start."""
        step = _RESIZE_KEYS.get(Qt.Key(event.key()))
        mods = event.modifiers()
        if self._selected is None or step is None or not mods & Qt.KeyboardModifier.ShiftModifier:
            return False
        edge = "start" if mods & Qt.KeyboardModifier.AltModifier else "end"
        span = self._selected
        new = resized(self.offsets.text, span.start, span.end, edge, step)
        if new is not None:
            self.resize_requested.emit(span.id, *new)
        return True

    def event(self, event: QEvent) -> bool:
        try:
            if event.type() == QEvent.Type.ToolTip:
                self._show_tooltip(event)
                return True
        except Exception:
            log.exception("tooltip")
        return super().event(event)

    def _show_tooltip(self, event) -> None:
        point = self.viewport().mapFromGlobal(event.globalPos())
        spans = self.spans_at(point) if self.viewport().rect().contains(point) else []
        if not spans:
            QToolTip.hideText()
            return
        lines = [f"<b>{s.label}</b> — {s.annotator} ({s.source.value})" for s in spans]
        QToolTip.showText(event.globalPos(), "<br>".join(lines), self)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        try:
            self._paint_edges()
        except Exception:
            log.exception("painting span edges")

    def _paint_edges(self) -> None:
        """Bracket every visible span's exact start and end in its label colour, so nested and
        overlapping spans keep visible extents on top of the striped tints."""
        if not len(self.index):
            return
        painter = QPainter(self.viewport())
        offset = self.contentOffset()
        bottom = self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid():
            rect = self.blockBoundingGeometry(block).translated(offset)
            if rect.top() > bottom:
                break
            if block.isVisible():
                self._paint_block_edges(painter, block, rect.topLeft())
            block = block.next()
        painter.end()

    def _paint_block_edges(self, painter: QPainter, block, origin) -> None:
        layout = block.layout()
        origin = origin + layout.position()
        lines = _visible_lines(layout, origin.y(), self.viewport().height())
        if not lines:
            return
        first = block.position() + lines[0].textStart()
        last = block.position() + lines[-1].textStart() + lines[-1].textLength()
        to_qt = self.offsets.to_qt
        for span in self.index.overlapping(self.offsets.to_py(first), self.offsets.to_py(last) + 1):
            color = QColor(self.edge_colors.get(span.label, "#888888"))
            for q, is_start in ((to_qt(span.start), True), (to_qt(span.end), False)):
                if not first <= q <= last:
                    continue
                rel = q - block.position()
                line = layout.lineForTextPosition(rel if is_start else max(rel - 1, 0))
                if not line.isValid():
                    continue
                x = origin.x() + line.cursorToX(rel)[0]
                top = origin.y() + line.y()
                height = line.height()
                bar = x - 2 if is_start else x  # just outside the text, never over a glyph
                painter.fillRect(QRectF(bar, top, 2, height), color)
                tick_x = bar if is_start else bar - 3
                tick_y = top if is_start else top + height - 2
                painter.fillRect(QRectF(tick_x, tick_y, 5, 2), color)

    def resizeEvent(self, event) -> None:
        if not self._centering:  # setViewportMargins re-enters resizeEvent
            self._centering = True
            try:
                self._center_column(self.width())  # event.size() may be the viewport's
            except Exception:
                log.exception("resize")
            finally:
                self._centering = False
        super().resizeEvent(event)  # lays the text out for the new viewport width

    def _center_column(self, width: int) -> None:
        """Keep lines at a comfortable reading width by padding the sides of wide windows."""
        column = self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS
        side = max(0, width - column - 40) // 2
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)


def _visible_lines(layout, top: float, height: int) -> list:
    """The lines of a block layout that fall inside the viewport's height (binary search)."""
    count = layout.lineCount()
    lo, hi = 0, count
    while lo < hi:  # first line whose bottom is below the viewport's top
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        if top + line.y() + line.height() < 0:
            lo = mid + 1
        else:
            hi = mid
    lines = []
    for n in range(lo, count):
        line = layout.lineAt(n)
        if top + line.y() > height:
            break
        lines.append(line)
    return lines
