"""Worker: SQL statements and write transactions of one user action in the real window.

Usage: python -m bench.workers.edit_cost CHARS SPANS SUGGEST_CHARS SUGGESTIONS SEED
A `MainWindow` (offscreen) opens a document holding SPANS spans of the annotator; label keys,
Delete and Ctrl+Z are pressed on it and, for each action, the statements sent to SQLite (both
engines, BEGIN and savepoints included) and the commits of the writer engine are counted until
the event queue is empty (the views' refresh included). The window's periodic check for others'
work (ui.live_refresh, every 1.5 s) is put off, so that it cannot fall inside one key press at
random, and measured once on its own after the edits. Then Accept All over SUGGESTIONS
suggestions on a SUGGEST_CHARS-character article and its undo are timed the same way.
"""

from __future__ import annotations

import os
import re

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from annotator.core.commands import AcceptSuggestionsCommand, carried_out
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui import main_window
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace
from bench.article_data import dense_spans, news_text
from bench.cases.accept_all import _build as build_suggestions
from bench.measure import emit

ANNOTATOR = "bench"


class Counter:
    """Statements on both engines and commits on the writer, since the last `reset`."""

    def __init__(self, project: Project) -> None:
        self.statements = self.commits = 0
        for engine in (project.engine, project.read_engine):
            event.listen(engine, "before_cursor_execute", self._on_statement)
        event.listen(project.engine, "commit", self._on_commit)

    def _on_statement(self, *_args) -> None:
        self.statements += 1

    def _on_commit(self, *_args) -> None:
        self.commits += 1

    def measure(self, action: Callable[[], None]) -> dict[str, float]:
        """Run the action and the events it queued; its statements, commits and milliseconds."""
        settle()
        self.statements = self.commits = 0
        started = time.perf_counter()
        action()
        settle()
        elapsed = (time.perf_counter() - started) * 1000
        return {"statements": self.statements, "transactions": self.commits, "ms": elapsed}


def settle() -> None:
    """Deliver every posted event (deferred view refreshes included)."""
    app = QApplication.instance()
    for _ in range(3):
        app.sendPostedEvents()
        app.processEvents()


def refuse(_parent, title: str, message: str, *_args) -> None:
    """Stands in for the modal error dialog, which would wait for a click: fail loudly."""
    raise SystemExit(f"{title}: {message}")


def open_window(project: Project, document_id: int) -> MainWindow:
    """The real main window on the document, shown offscreen, the article focused."""
    main_window.show_error = refuse
    workspace = Workspace(project, ANNOTATOR)
    window = MainWindow(
        workspace, Settings(snap_to_words=False, auto_suggest=False), lambda *args: None
    )
    window.live.timer.start(24 * 3600 * 1000)  # its periodic check is measured on its own
    window.resize(1200, 800)
    window.show()
    window.activateWindow()
    workspace.open_document(document_id)
    window.article.setFocus()
    settle()
    return window


def free_place(window: MainWindow) -> tuple[int, int]:
    """Qt positions of a word no span of the layer covers exactly (ASCII text before it, so
    code points and Qt positions agree)."""
    layer, text = window.workspace.layer, window.workspace.document.text
    taken = {(span.start, span.end) for span in layer}
    for found in re.finditer(r"[A-Za-z]{4,}", text):
        if found.span() not in taken and text[: found.start()].isascii():
            return found.span()
    raise RuntimeError("no free place for a span")


def live_check(window: MainWindow) -> None:
    """One check for others' work (every 1.5 s in the app), waited for: after this window's own
    edits it reads the change markers and refreshes the rows of the documents they moved."""
    window.live.poll()
    assert window.runner.wait_all(10_000), "the live check did not end"


def key(window: MainWindow, which: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.article, which, modifier)


def edit_costs(folder: Path, chars: int, spans: int, seed: int) -> dict[str, dict[str, float]]:
    """Each keyboard action on a document that already holds `spans` spans of the annotator."""
    text = news_text(chars, seed)
    layer = {(s.label, s.start, s.end): s for s in dense_spans(text, spans, seed)}
    document = ImportedDocument(
        text,
        "Long article",
        verbatim=True,
        annotator=ANNOTATOR,
        spans=[ImportedSpan(s.start, s.end, s.label) for s in layer.values()],
    )
    project = Project.create(folder / "edit.db")
    project.import_documents([document])
    (document_id,) = project.document_ids()
    window = open_window(project, document_id)
    counter = Counter(project)
    ws = window.workspace
    figures: dict[str, dict[str, float]] = {"spans": {"count": len(ws.layer)}}

    def select(start: int, end: int) -> None:
        cursor = window.article.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        window.article.setTextCursor(cursor)

    def add() -> None:
        before = len(ws.layer)
        key(window, Qt.Key.Key_1)
        assert len(ws.layer) == before + 1, "the label key added no span"

    start, end = free_place(window)
    select(start, end)
    figures["first span (todo -> in progress)"] = counter.measure(add)
    added = max(ws.layer, key=lambda span: span.id)
    start, end = free_place(window)
    select(start, end)
    figures["add span"] = counter.measure(add)
    added = max(ws.layer, key=lambda span: span.id)
    ws.select_span(added)
    figures["relabel span"] = counter.measure(lambda: key(window, Qt.Key.Key_2))
    assert ws.layer.get(added.id).label != added.label, "the label key relabelled nothing"
    figures["delete span"] = counter.measure(lambda: key(window, Qt.Key.Key_Delete))
    assert ws.layer.get(added.id) is None, "Delete removed nothing"
    for name in ("undo delete", "undo relabel", "undo add"):
        figures[name] = counter.measure(
            lambda: key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        )
    assert ws.layer.get(added.id) is None and ws.undo_stack.index() == 1, "undo did not work"
    figures["live check after the edits"] = counter.measure(lambda: live_check(window))
    window.close()
    project.close()
    return figures


def accept_all_costs(folder: Path, chars: int, wanted: int, seed: int) -> dict[str, dict]:
    """Accept All (one command through the workspace, as the background task ends) and its
    undo, each with the window's refresh."""
    project, ids = build_suggestions(folder / "accept.db", news_text(chars, seed), wanted)
    (document_id,) = project.document_ids()
    window = open_window(project, document_id)
    counter = Counter(project)
    ws = window.workspace
    command = AcceptSuggestionsCommand(tuple(ids), ANNOTATOR)
    # what the window does with it: apply it as one transaction (in the app a worker does),
    # push it on the undo stack and refresh the views
    accept = counter.measure(lambda: ws.push_applied(command, carried_out(project, command.apply)))
    assert len(ws.layer) == len(ids), "Accept All added too few spans"
    undo = counter.measure(ws.undo)
    assert len(ws.layer) == 0, "undo left spans"
    window.close()
    project.close()
    return {"suggestions": {"count": len(ids)}, "accept all": accept, "undo accept all": undo}


def main(argv: list[str]) -> None:
    chars, spans, suggest_chars, suggestions, seed = map(int, argv)
    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as folder:
        figures = edit_costs(Path(folder), chars, spans, seed)
        figures |= accept_all_costs(Path(folder), suggest_chars, suggestions, seed)
    emit(**figures)


if __name__ == "__main__":
    main(sys.argv[1:])
