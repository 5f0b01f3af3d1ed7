"""Worker: time from opening a document to its suggestions being drawn; figures as JSON.

Usage: python -m bench.workers.suggest_latency SIDE DB FIRST_ID LATER_ID...
  ours      an offscreen MainWindow (1200×800) on the project, auto-suggest on: the clock runs
            from `Workspace.open_document(id)` until the article's suggestion_index is filled
            and the view has repainted (`shown_ms`: until open_document returned, the text
            and spans shown, before any suggestion). The first document pays for importing spaCy and
            building the lexicon in the suggestion worker thread; later ones are warm.
  baseline  no Qt: `LexiconSuggester.from_project(project).suggest([text])` for the first
            text (spaCy imported and the lexicon built inside the clock, as for ours), then
            `suggest([text])` on each later text. Texts are read before the clock starts.
Times are milliseconds (time.perf_counter). spaCy must not be imported before the first open.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

import sys
import time

from annotator.core.project import Project
from bench.measure import emit

TIMEOUT_MS = 120_000


def ours(db: str, first: int, later: list[int]) -> dict:
    """Open each document in the main window and wait until its suggestions are drawn."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.core.settings import Settings
    from annotator.ui.main_window import MainWindow
    from annotator.ui.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    settings = Settings(annotator_name="bench", auto_suggest=False)  # the window opens a doc
    window = MainWindow(Workspace(Project(db), "bench"), settings, lambda *args: None)
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    if "spacy" in sys.modules:
        raise SystemExit("spaCy was imported before any document was opened")
    window.settings.auto_suggest = True

    def open_and_wait(document_id: int) -> tuple[float, float, int]:
        loop = QEventLoop()
        failure: list[str] = []

        def on_changes(_changes: object = None) -> None:
            if len(window.article.suggestion_index):
                loop.quit()

        def on_failed(message: str) -> None:
            failure.append(message)
            loop.quit()

        window.workspace.changes_applied.connect(on_changes)
        window.suggester.failed.connect(on_failed)
        QTimer.singleShot(TIMEOUT_MS, loop.quit)
        started = time.perf_counter()
        window.workspace.open_document(document_id)
        shown = (time.perf_counter() - started) * 1000
        if not len(window.article.suggestion_index):
            loop.exec()
        window.article.viewport().repaint()
        elapsed = (time.perf_counter() - started) * 1000
        window.workspace.changes_applied.disconnect(on_changes)
        window.suggester.failed.disconnect(on_failed)
        if failure or not len(window.article.suggestion_index):
            raise SystemExit(f"document {document_id}: no suggestions drawn {failure}")
        return elapsed, shown, len(window.article.suggestion_index)

    runs = [open_and_wait(document_id) for document_id in [first, *later]]
    return {
        "first_ms": runs[0][0],
        "later_ms": [ms for ms, _, _ in runs[1:]],
        "shown_ms": [shown for _, shown, _ in runs[1:]],
        "counts": [count for _, _, count in runs],
    }


def baseline(db: str, first: int, later: list[int]) -> dict:
    """The lexicon suggester called directly on the same texts."""
    with Project(db) as project:
        texts = {i: project.document(i).text for i in [first, *later]}
    started = time.perf_counter()
    from annotator.nlp.lexicon import LexiconSuggester

    with Project(db) as project:
        suggester = LexiconSuggester.from_project(project)
    (items,) = suggester.suggest([texts[first]])
    first_ms = (time.perf_counter() - started) * 1000
    later_ms, counts = [], [len(items)]
    for document_id in later:
        started = time.perf_counter()
        (items,) = suggester.suggest([texts[document_id]])
        later_ms.append((time.perf_counter() - started) * 1000)
        counts.append(len(items))
    return {"first_ms": first_ms, "later_ms": later_ms, "counts": counts}


def main(argv: list[str]) -> None:
    side, db, first, later = argv[0], argv[1], int(argv[2]), [int(a) for a in argv[3:]]
    figures = (ours if side == "ours" else baseline)(db, first, later)
    emit(**figures)
    sys.stdout.flush()
    os._exit(0)  # skip Qt teardown of the window and its worker threads


if __name__ == "__main__":
    main(sys.argv[1:])
