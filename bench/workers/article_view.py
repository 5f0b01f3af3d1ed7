"""Worker: open, scroll and edit one long article in a 1000×800 view offscreen; figures as JSON.

Usage: python -m bench.workers.article_view SIDE SHAPE CHARS SPANS SEED REPEATS EDITS SWEEP TRACED
  SIDE     ours: ArticleView (SpanHighlighter over a SpanIndex, touched blocks re-highlighted),
             opened from the project and edited by the project's commands (bench.article_store)
           extras: the baseline, the same widget coloured by one ExtraSelection per span, read
             and written with raw sqlite3
  An open reads the article and its spans from the database; an edit commits.
  SHAPE    article: paragraphs of 300–1,500 characters; paragraph: one line, no newline
  REPEATS  opens, and repaints at each of top/middle/end
  EDITS    adds, removes and relabels (each), at random places in the visible area
  SWEEP    scroll positions visited top to bottom, each timed once (its first visit)
Times are milliseconds (time.perf_counter), memory bytes. Any error logged by annotator while
the view works fails the worker, so a broken highlighter cannot look fast.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

import gc
import logging
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit

from annotator.core.intervals import SpanIndex
from annotator.core.model import Document, Span
from annotator.core.offsets import QtOffsets
from annotator.core.schema import default_schema
from annotator.ui.article_view import ArticleView
from annotator.ui.theme import apply_theme, highlight_color, text_font
from bench.article_data import LABELS, dense_spans, news_text, span
from bench.article_store import ProjectStore, RawStore, make_project
from bench.measure import emit, peak_rss, reset_peak_rss, traced_peak

WIDTH, HEIGHT = 1000, 800
SHAPES = {"article": (300, 1500), "paragraph": None}  # paragraph lengths, or one line
EXTRA_ALPHA = 70  # the baseline's translucent tints, so overlaps stay visible (tech notes §2)


class ErrorCount(logging.Handler):
    """Counts errors logged anywhere (the view logs the exceptions its Qt overrides catch)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class OursSide:
    """The article view as the main window uses it."""

    def __init__(self, tints: dict[str, QColor], edges: dict[str, str]) -> None:
        self.view = ArticleView()
        self.view.edge_colors = edges
        self.view.set_label_tags(True)  # on by default in the app
        self.tints = tints

    def open(self, article: Document, spans: Iterable[Span]) -> None:
        self.view.show_document(article, spans, self.tints)

    def clear(self) -> None:
        self.view.show_document(None, [], self.tints)

    def add(self, new: Span) -> None:
        self.view.update_spans([new], [])

    def remove(self, old: Span) -> None:
        self.view.update_spans([], [old.id])

    def relabel(self, changed: Span) -> None:
        self.view.update_spans([changed], [])

    def check(self, spans: int) -> None:
        """Fail unless every span is indexed and the first one's block carries formats."""
        if len(self.view.index) != spans:
            raise SystemExit(f"ours: {len(self.view.index)} spans indexed, expected {spans}")
        first = min(self.view.index, key=lambda s: s.start)
        block = self.view.document().findBlock(self.view.offsets.to_qt(first.start))
        if not block.layout().formats():
            raise SystemExit("ours: the first span's block has no highlight formats")


class ExtrasSide:
    """The baseline: every span one ExtraSelection, the list rebuilt and set on each change
    (ExtraSelection objects are cached per span, so an edit builds only the one it touches).

    The widget is an ArticleView with its highlighter detached and no spans indexed, so font,
    wrapping, margins and column width are the same as ours and only the colouring differs.
    """

    def __init__(self, tints: dict[str, QColor]) -> None:
        self.view = ArticleView()
        self.view.highlighter.setDocument(None)
        self.formats: dict[str, QTextCharFormat] = {}
        for label, tint in tints.items():
            color = QColor(tint)
            color.setAlpha(EXTRA_ALPHA)
            fmt = QTextCharFormat()
            fmt.setBackground(color)
            self.formats[label] = fmt
        self.offsets = QtOffsets("")
        self.selections: dict[int, QTextEdit.ExtraSelection] = {}

    def open(self, article: Document, spans: Iterable[Span]) -> None:
        self.offsets = QtOffsets(article.text)
        self.view.setPlainText(self.offsets.display_text())
        self.selections = {s.id: self._selection(s) for s in spans}
        self.view.setExtraSelections(list(self.selections.values()))
        self.view.moveCursor(QTextCursor.MoveOperation.Start)

    def clear(self) -> None:
        self.selections = {}
        self.view.setExtraSelections([])
        self.view.setPlainText("")

    def add(self, new: Span) -> None:
        self.selections[new.id] = self._selection(new)
        self.view.setExtraSelections(list(self.selections.values()))

    def remove(self, old: Span) -> None:
        del self.selections[old.id]
        self.view.setExtraSelections(list(self.selections.values()))

    def relabel(self, changed: Span) -> None:
        self.selections[changed.id].format = self.formats[changed.label]
        self.view.setExtraSelections(list(self.selections.values()))

    def check(self, spans: int) -> None:
        if len(self.view.extraSelections()) != spans:
            raise SystemExit(f"extras: {len(self.view.extraSelections())} set, expected {spans}")

    def _selection(self, s: Span) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.offsets.to_qt(s.start))
        cursor.setPosition(self.offsets.to_qt(s.end), QTextCursor.MoveMode.KeepAnchor)
        extra = QTextEdit.ExtraSelection()
        extra.cursor = cursor
        extra.format = self.formats[s.label]
        return extra


def timed(job: Callable[[], object]) -> float:
    """Milliseconds `job` takes, after a collection so an old cycle is not charged to it."""
    gc.collect()
    started = time.perf_counter()
    job()
    return (time.perf_counter() - started) * 1000


def visible_range(view: QPlainTextEdit, offsets: QtOffsets) -> tuple[int, int]:
    """Code points [start, end) shown in the viewport."""
    port = view.viewport()
    first = view.cursorForPosition(QPoint(0, 0)).position()
    last = view.cursorForPosition(QPoint(port.width() - 1, port.height() - 1)).position()
    return offsets.to_py(first), offsets.to_py(last)


def measure(side_name: str, shape: str, sizes: list[int], traced: bool) -> dict:
    """Every figure of one side, as a dict of lists (samples) and numbers."""
    chars, count, seed, repeats, edit_count, sweep_count = sizes
    qt_app = QApplication.instance() or QApplication([])
    apply_theme(qt_app, "light")
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    schema = {label.name: label.color for label in default_schema()}
    tints = {name: highlight_color(schema.get(name, "#888888"), False) for name in LABELS}
    side = OursSide(tints, schema) if side_name == "ours" else ExtrasSide(tints)
    view = side.view
    view.setFont(text_font())
    view.resize(WIDTH, HEIGHT)
    view.show()
    while not view.windowHandle().isExposed():
        qt_app.processEvents()
    qt_app.processEvents()

    text = news_text(chars, seed, SHAPES[shape])
    folder = Path(tempfile.mkdtemp(prefix="bench-article-view-"))
    document_id = make_project(folder / "article.db", text, dense_spans(text, count, seed))
    kind = ProjectStore if side_name == "ours" else RawStore
    store = kind(folder / "article.db", document_id)
    offsets = QtOffsets(text)
    repaint = view.viewport().repaint
    bar = view.verticalScrollBar()
    spans = list(store.open()[1])

    def open_and_paint() -> None:
        side.open(*store.open())
        repaint()

    figures: dict = {"blocks": text.count("\n\n") + 1, "chars": len(text), "spans": len(spans)}
    rss_start = reset_peak_rss()
    opens = [timed(open_and_paint)]
    figures["rss_start"], figures["rss_peak"] = rss_start, peak_rss()
    figures["pending_events_ms"] = timed(qt_app.processEvents)
    for _ in range(repeats - 1):
        side.clear()
        qt_app.processEvents()
        opens.append(timed(open_and_paint))
        qt_app.processEvents()
    side.check(len(spans))
    figures["open_ms"] = opens

    def scroll_to(value: int) -> Callable[[], None]:
        def job() -> None:
            bar.setValue(value)
            repaint()

        return job

    top, bottom = bar.minimum(), bar.maximum()
    figures["scroll_max"] = bottom
    places = {"top": top, "middle": (top + bottom) // 2, "end": bottom}
    for place, value in places.items():
        scroll_to(value)()
        figures[f"repaint_{place}_ms"] = [timed(scroll_to(value)) for _ in range(repeats)]
    side.clear()  # reopen, so the sweep visits every place for the first time
    open_and_paint()
    qt_app.processEvents()
    sweep = [top + (bottom - top) * i // max(1, sweep_count - 1) for i in range(sweep_count)]
    figures["sweep_ms"] = [timed(scroll_to(value)) for value in sweep]

    rng = random.Random(seed + 1)
    model = SpanIndex(spans)
    edits: dict[str, list[float]] = {"add": [], "remove": [], "relabel": []}
    stored: list[Span] = []

    def add(new: Span) -> None:
        stored.append(store.add(new))
        side.add(stored[-1])
        repaint()

    def remove(old: Span) -> None:
        store.remove(old)
        side.remove(old)
        repaint()

    def relabel(target: Span, label: str) -> None:
        stored.append(store.relabel(target, label))
        side.relabel(stored[-1])
        repaint()

    for _ in range(edit_count):
        scroll_to(rng.randint(top, bottom))()
        start, end = visible_range(view, offsets)
        length = rng.randint(3, 60)
        begin = rng.randint(start, max(start, min(end, len(text)) - length))
        new = span(0, rng.choice(LABELS), begin, min(begin + length, len(text)))
        edits["add"].append(timed(lambda new=new: add(new)))
        model.add(stored[-1])
        shown = sorted(model.overlapping(start, end), key=lambda s: s.id) or list(model)
        old = rng.choice(shown)
        model.remove(old.id)
        edits["remove"].append(timed(lambda old=old: remove(old)))
        shown = sorted(model.overlapping(start, end), key=lambda s: s.id) or list(model)
        target = rng.choice(shown)
        label = rng.choice([x for x in LABELS if x != target.label])
        edits["relabel"].append(timed(lambda t=target, label=label: relabel(t, label)))
        model.add(stored[-1])
    side.check(len(model))
    figures.update({f"{name}_ms": samples for name, samples in edits.items()})

    if traced:
        side.clear()
        qt_app.processEvents()
        figures["traced_peak"] = traced_peak(open_and_paint)
    store.close()
    shutil.rmtree(folder)
    if errors.count:
        raise SystemExit(f"{side_name}: {errors.count} error(s) logged while measuring")
    figures["median_open_ms"] = statistics.median(opens)
    return figures


def main(argv: list[str]) -> None:
    """Measure one side on one shape and print the figures as the last line."""
    if len(argv) != 9 or argv[0] not in ("ours", "extras") or argv[1] not in SHAPES:
        raise SystemExit(__doc__)
    emit(**measure(argv[0], argv[1], [int(a) for a in argv[2:8]], argv[8] == "1"))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown of a 400k-character document: it is not what is measured


if __name__ == "__main__":
    main(sys.argv[1:])
