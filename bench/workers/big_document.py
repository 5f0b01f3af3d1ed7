"""Worker: open one document of 200,000 spans in the main window and edit it; figures as JSON.

Usage: python -m bench.workers.big_document DB CHARS SPANS SEED EDITS
Builds DB (one long document, dense nested and overlapping spans of three labels, inserted with
sqlite3; not timed), then measures in this process, each side on its own widgets:
  ours   the real MainWindow (article view, span list, navigator) 1000x800, offscreen: open =
         Workspace.open_document + repaint of the article and the span list; an edit = the
         command through Workspace.execute (committed) + the same repaints
  floor  the fastest honest way to show the same: sqlite3 reads the text and the layer's
         (start, end, label) rows, a bare QPlainTextEdit of the same size shows the text, the
         blocks in view get the same QTextLayout formats from a direct sweep; an edit = one
         sqlite3 statement committed with the app's pragmas + that block re-formatted + repaint
Times are milliseconds. Any error logged by annotator while measuring fails the worker.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

import bisect
import gc
import itertools
import logging
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.commands import AddSpanCommand, RelabelSpanCommand, RemoveSpanCommand
from annotator.core.offsets import QtOffsets
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.overlay import visible_blocks
from annotator.ui.theme import apply_theme, highlight_color, text_font
from annotator.ui.workspace import Workspace
from bench.article_data import LABELS, dense_spans, news_text
from bench.measure import emit
from bench.workers.article_view import ErrorCount

WIDTH, HEIGHT = 1000, 800
ANNOTATOR = "bench"
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL")
NOW = "2026-01-01 00:00:00.000000"


def build(db: Path, chars: int, count: int, seed: int) -> str:
    """A project with one document of `chars` characters and about `count` spans."""
    text = news_text(chars, seed)
    Project.create(db).close()
    with Project(db) as project:
        project.add_document(text, "Big document")
    conn = sqlite3.connect(db)
    labels = dict(conn.execute("SELECT name, id FROM label"))
    who = conn.execute("INSERT INTO annotator (name, is_gold) VALUES (?, 0)", (ANNOTATOR,))
    marks = {(s.label, s.start, s.end) for s in dense_spans(text, count, seed)}
    conn.executemany(
        'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, note, '
        "created_at, updated_at) VALUES (1, ?, ?, ?, ?, 'import', '', ?, ?)",
        [(who.lastrowid, labels[label], a, b, NOW, NOW) for label, a, b in sorted(marks)],
    )
    conn.commit()
    conn.close()
    return text


def timed(job: Callable[[], object]) -> float:
    """Milliseconds `job` takes, after a collection so an old cycle is not charged to it."""
    gc.collect()
    started = time.perf_counter()
    job()
    return (time.perf_counter() - started) * 1000


class Floor:
    """sqlite3 rows and QTextLayout formats set directly on the blocks in view."""

    def __init__(self, db: Path, tints: dict[str, QColor]) -> None:
        self.db = db
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setFont(text_font())
        self.view.document().setDocumentMargin(12)
        self.view.resize(WIDTH, HEIGHT)
        self.formats: dict[tuple[str, ...], QTextCharFormat] = {}
        self.tints = tints
        self.conn: sqlite3.Connection | None = None
        self.keys: list[tuple[int, int, str]] = []
        self.longest = 0

    def open(self) -> None:
        self.conn = conn = sqlite3.connect(self.db, isolation_level=None)
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        (text,) = conn.execute("SELECT text FROM document WHERE id = 1").fetchone()
        names = dict(conn.execute("SELECT id, name FROM label"))
        rows = conn.execute(
            'SELECT start, "end", label_id FROM span WHERE document_id = 1 AND annotator_id = '
            "(SELECT id FROM annotator WHERE name = ?)",
            (ANNOTATOR,),
        ).fetchall()
        self.keys = sorted((a, b, names[label]) for a, b, label in rows)
        self.longest = max(b - a for a, b, _ in self.keys)
        self.offsets = QtOffsets(text)
        self.view.setPlainText(self.offsets.display_text())
        self.paint()

    def paint(self, only: int | None = None) -> None:
        """Format the blocks in view (or just block `only`) and repaint."""
        for block, _ in visible_blocks(self.view):
            if only is None or block.blockNumber() == only:
                block.layout().setFormats(self.ranges(block))
        self.view.viewport().repaint()

    def ranges(self, block) -> list[QTextLayout.FormatRange]:
        """A sweep over the span boundaries inside the block: one range per covered piece."""
        to_qt, first = self.offsets.to_qt, block.position()
        lo, hi = self.offsets.to_py(first), self.offsets.to_py(first + block.length() - 1)
        start = bisect.bisect_left(self.keys, (lo - self.longest,))
        inside = [k for k in self.keys[start : bisect.bisect_left(self.keys, (hi,))] if k[1] > lo]
        cuts = sorted({lo, hi, *(p for a, b, _ in inside for p in (a, b) if lo < p < hi)})
        found = []
        for a, b in itertools.pairwise(cuts):
            labels = tuple(sorted({k[2] for k in inside if k[0] <= a and k[1] > a}))
            if labels:
                piece = QTextLayout.FormatRange()
                piece.start, piece.length = to_qt(a) - first, to_qt(b) - to_qt(a)
                piece.format = self.format(labels)
                found.append(piece)
        return found

    def format(self, labels: tuple[str, ...]) -> QTextCharFormat:
        fmt = self.formats.get(labels)
        if fmt is None:
            fmt = self.formats[labels] = QTextCharFormat()
            fmt.setBackground(self.tints[labels[0]])
        return fmt

    def edit(self, sql: str, args: tuple, gone: tuple | None, new: tuple | None) -> None:
        """Commit one statement, update the sorted keys and re-format the block it touched."""
        assert self.conn is not None
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(sql, args)
        self.conn.execute("COMMIT")
        if gone is not None:
            del self.keys[bisect.bisect_left(self.keys, gone)]
        if new is not None:
            bisect.insort(self.keys, new)
        start = (new or gone)[0]
        self.paint(self.view.document().findBlock(self.offsets.to_qt(start)).blockNumber())


def measure(db: Path, chars: int, count: int, seed: int, edits: int) -> dict:
    """Both sides' figures as a dict of lists (samples) and numbers."""
    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light")
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    text = build(db, chars, count, seed)
    project = Project(db)
    workspace = Workspace(project, ANNOTATOR)
    window = MainWindow(workspace, Settings(snap_to_words=False, auto_suggest=False), print)
    window.resize(WIDTH + 500, HEIGHT)
    window.show()
    while not window.windowHandle().isExposed():
        app.processEvents()
    app.processEvents()
    article, listing = window.article, window.span_list.view

    def repaint() -> None:
        article.viewport().repaint()
        listing.viewport().repaint()

    figures: dict = {"chars": len(text), "spans": 0}
    figures["open_ms"] = timed(lambda: (workspace.open_document(1), repaint()))
    figures["spans"] = len(article.index)
    block = article.firstVisibleBlock()
    if not block.layout().formats() or window.span_list.model.rowCount() != len(article.index):
        raise SystemExit("ours: the open document is not coloured or not listed")
    app.processEvents()

    rng = random.Random(seed + 1)
    lo = article.offsets.to_py(article.firstVisibleBlock().position())
    samples: dict[str, list[float]] = {"add": [], "relabel": [], "remove": []}
    floor_samples: dict[str, list[float]] = {"add": [], "relabel": [], "remove": []}
    for n in range(edits):
        start = lo + rng.randrange(0, 400)
        label = rng.choice(LABELS)
        add = AddSpanCommand(1, ANNOTATOR, label, start, start + 61 + n)  # longer than any
        samples["add"].append(timed(lambda add=add: (workspace.execute(add), repaint())))
        span_id = add.span.id
        relabel = RelabelSpanCommand(span_id, label=next(x for x in LABELS if x != label))
        samples["relabel"].append(timed(lambda c=relabel: (workspace.execute(c), repaint())))
        remove = RemoveSpanCommand(span_id)
        samples["remove"].append(timed(lambda c=remove: (workspace.execute(c), repaint())))
        app.processEvents()
    if errors.count:
        raise SystemExit(f"ours: {errors.count} error(s) logged while measuring")
    figures.update({f"{k}_ms": v for k, v in samples.items()})
    window.close()
    app.processEvents()

    tints = {lab.name: highlight_color(lab.color, False) for lab in workspace.labels}
    floor = Floor(db, tints)
    floor.view.show()
    while not floor.view.windowHandle().isExposed():
        app.processEvents()
    figures["floor_open_ms"] = timed(floor.open)
    who = floor.conn.execute("SELECT id FROM annotator WHERE name = ?", (ANNOTATOR,)).fetchone()[0]
    label_id = dict(floor.conn.execute("SELECT name, id FROM label"))
    lo = floor.offsets.to_py(floor.view.firstVisibleBlock().position())
    insert = (
        'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, note, '
        "created_at, updated_at) VALUES (1, ?, ?, ?, ?, 'manual', '', ?, ?)"
    )
    for n in range(edits):
        start = lo + rng.randrange(0, 400)
        end = start + 61 + n
        label, other = rng.sample(LABELS, 2)
        first, second = (start, end, label), (start, end, other)
        args = (who, label_id[label], start, end, NOW, NOW)
        floor_samples["add"].append(timed(lambda a=args, k=first: floor.edit(insert, a, None, k)))
        span_id = floor.conn.execute("SELECT max(id) FROM span").fetchone()[0]
        relabel = ("UPDATE span SET label_id = ? WHERE id = ?", (label_id[other], span_id))
        floor_samples["relabel"].append(
            timed(lambda r=relabel, a=first, b=second: floor.edit(*r, a, b))
        )
        remove = ("DELETE FROM span WHERE id = ?", (span_id,))
        floor_samples["remove"].append(timed(lambda r=remove, k=second: floor.edit(*r, k, None)))
    figures.update({f"floor_{k}_ms": v for k, v in floor_samples.items()})
    return figures


def main(argv: list[str]) -> None:
    """Build the project, measure both sides and print the figures as the last line."""
    if len(argv) != 5:
        raise SystemExit(__doc__)
    emit(**measure(Path(argv[0]), *(int(a) for a in argv[1:])))
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown of a 2M-character document: it is not what is measured


if __name__ == "__main__":
    main(sys.argv[1:])
