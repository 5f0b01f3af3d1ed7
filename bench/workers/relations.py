"""Worker: open a document of 5,000 spans and 2,000 relations in the main window and add and
remove relations; figures as JSON.

Usage: python -m bench.workers.relations DB CHARS SPANS RELATIONS SEED EDITS
Builds DB (one document, dense nested and overlapping spans of three labels, relations between
nearby spans of the default relation types, inserted with sqlite3; not timed), then measures in
this process, each side on its own widgets:
  ours   the real MainWindow 1000x800, offscreen: open = Workspace.open_document + repaint of
         the article (colours and arcs), the span list and the relations panel; an edit = an
         Add/RemoveRelationCommand committed (carried_out, timed apart), then shown: pushed on
         the undo stack, announced to every view, the article and the relations panel
         repainted (the span list shows nothing a relation edit changes)
  floor  sqlite3 reads the text, the layer's spans and its relations; a bare QPlainTextEdit of
         the same size shows the text with the same formats on the blocks in view (as
         bench/workers/big_document.py); an edit = one sqlite3 statement committed, then the
         bare view repainted
Times are milliseconds. Any error logged by annotator while measuring fails the worker.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

import logging
import random
import sqlite3
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from annotator.core.commands import AddRelationCommand, RemoveRelationCommand, carried_out
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.theme import apply_theme, highlight_color
from annotator.ui.workspace import Workspace
from bench.measure import emit
from bench.workers.article_view import ErrorCount
from bench.workers.big_document import ANNOTATOR, HEIGHT, NOW, WIDTH, Floor, build, timed

NEAR = 30
"""A relation joins a span to one of the next this many spans in text order."""


def allowed(conn: sqlite3.Connection) -> list[tuple[int, str | None, str | None, bool]]:
    """(type id, the one head label or None, the one tail label or None, directed)."""
    kinds = []
    for type_id, directed in conn.execute("SELECT id, directed FROM relation_type"):
        ends = dict.fromkeys(("head", "tail"))
        for role, label in conn.execute(
            "SELECT r.role, l.name FROM relation_type_label r JOIN label l ON l.id = r.label_id "
            "WHERE r.relation_type_id = ?",
            (type_id,),
        ):
            ends[role] = label
        kinds.append((type_id, ends["head"], ends["tail"], bool(directed)))
    return kinds


def add_relations(db: Path, count: int, seed: int) -> int:
    """Store about `count` relations between nearby spans whose labels a type allows."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT s.id, l.name FROM span s JOIN label l ON l.id = s.label_id "
        'ORDER BY s.start, s."end"'
    ).fetchall()
    who = conn.execute("SELECT id FROM annotator WHERE name = ?", (ANNOTATOR,)).fetchone()[0]
    kinds = allowed(conn)
    rng = random.Random(seed)
    made: set[tuple[int, int, int]] = set()
    for _ in range(count * 20):
        if len(made) >= count:
            break
        i = rng.randrange(len(rows) - 1)
        j = min(len(rows) - 1, i + rng.randint(1, NEAR))
        (one, one_label), (other, other_label) = rows[i], rows[j]
        for type_id, head, tail, directed in kinds:
            if (head in (None, one_label)) and (tail in (None, other_label)):
                made.add((type_id, one, other))
                break
            if directed and head in (None, other_label) and tail in (None, one_label):
                made.add((type_id, other, one))
                break
    conn.executemany(
        "INSERT INTO relation (document_id, annotator_id, type_id, head_span_id, tail_span_id, "
        "source, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 'import', ?, ?)",
        [(who, t, h, tl, NOW, NOW) for t, h, tl in sorted(made)],
    )
    conn.commit()
    conn.close()
    return len(made)


def visible_pairs(window, kinds, rng: random.Random, count: int):
    """`count` (type, head id, tail id) a type allows, between spans in view, not stored yet."""
    article = window.article
    first = article.offsets.to_py(article.firstVisibleBlock().position())
    spans = article.index.overlapping(first, first + 2000)
    stored = {(r.type, r.head, r.tail) for r in article.relations.values()}
    pairs = []
    while len(pairs) < count:
        one, other = rng.sample(spans, 2)
        for kind in kinds:
            key = (kind.name, one.id, other.id)
            if kind.directed and kind.allows(one.label, other.label) and key not in stored:
                pairs.append(key)
                stored.add(key)
                break
    return pairs


def measure(db: Path, chars: int, spans: int, relations: int, seed: int, edits: int) -> dict:
    """Both sides' figures as a dict of lists (samples) and numbers."""
    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light")
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    build(db, chars, spans, seed)
    made = add_relations(db, relations, seed)
    project = Project(db)
    workspace = Workspace(project, ANNOTATOR)
    window = MainWindow(workspace, Settings(snap_to_words=False, auto_suggest=False), print)
    window.resize(WIDTH + 500, HEIGHT)
    window.show()
    while not window.windowHandle().isExposed():
        app.processEvents()
    app.processEvents()
    article = window.article
    spans, relations = window.span_list.view, window.relation_list.view

    def repaint(*listings) -> None:
        article.viewport().repaint()
        for listing in listings:
            listing.viewport().repaint()

    figures: dict = {"chars": chars, "relations": made}
    figures["open_ms"] = timed(lambda: (workspace.open_document(1), repaint(spans, relations)))
    figures["spans"] = len(article.index)
    if len(article.relations) != made or window.relation_list.model.rowCount() != made:
        raise SystemExit("ours: the open document's relations are not all drawn and listed")
    app.processEvents()
    rng = random.Random(seed + 1)
    samples: dict[str, list[float]] = {}

    def edit(kind: str, command) -> None:
        """Commit the command (timed), then show it: undo stack, views, repaints (timed)."""
        box: list = []
        commit_ms = timed(lambda: box.append(carried_out(project, command.apply)))
        views_ms = timed(lambda: (workspace.push_applied(command, box[0]), repaint(relations)))
        samples.setdefault(f"{kind}_commit_ms", []).append(commit_ms)
        samples.setdefault(f"{kind}_views_ms", []).append(views_ms)
        samples.setdefault(f"{kind}_ms", []).append(commit_ms + views_ms)

    for kind, head, tail in visible_pairs(window, workspace.relation_types, rng, edits):
        edit("add", AddRelationCommand(1, ANNOTATOR, kind, head, tail))
        edit("remove", RemoveRelationCommand(max(workspace.relations)))  # the newest id
        app.processEvents()
    if errors.count:
        raise SystemExit(f"ours: {errors.count} error(s) logged while measuring")
    figures.update(samples)
    window.close()
    app.processEvents()

    tints = {lab.name: highlight_color(lab.color, False) for lab in workspace.labels}
    floor = Floor(db, tints)
    floor.view.show()
    while not floor.view.windowHandle().isExposed():
        app.processEvents()

    def floor_open() -> None:
        floor.open()
        assert floor.conn is not None
        floor.conn.execute(
            "SELECT id, type_id, head_span_id, tail_span_id FROM relation WHERE document_id = 1"
        ).fetchall()

    figures["floor_open_ms"] = timed(floor_open)
    assert floor.conn is not None
    conn = floor.conn
    who = conn.execute("SELECT id FROM annotator WHERE name = ?", (ANNOTATOR,)).fetchone()[0]
    type_id = conn.execute("SELECT min(id) FROM relation_type").fetchone()[0]
    ids = [row[0] for row in conn.execute("SELECT id FROM span ORDER BY id LIMIT 200")]
    floor_samples: dict[str, list[float]] = {}

    def commit(kind: str, sql: str, args: tuple) -> None:
        """One statement committed (timed), then the bare view repainted (timed)."""

        def write() -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, args)
            conn.execute("COMMIT")

        commit_ms = timed(write)
        views_ms = timed(floor.view.viewport().repaint)
        floor_samples.setdefault(f"{kind}_commit_ms", []).append(commit_ms)
        floor_samples.setdefault(f"{kind}_views_ms", []).append(views_ms)
        floor_samples.setdefault(f"{kind}_ms", []).append(commit_ms + views_ms)

    insert = (
        "INSERT OR IGNORE INTO relation (document_id, annotator_id, type_id, head_span_id, "
        "tail_span_id, source, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 'manual', ?, ?)"
    )
    delete = "DELETE FROM relation WHERE head_span_id = ? AND tail_span_id = ?"
    for n in range(edits):
        head, tail = ids[2 * n], ids[2 * n + 1]
        commit("add", insert, (who, type_id, head, tail, NOW, NOW))
        commit("remove", delete, (head, tail))
    figures.update({f"floor_{k}": v for k, v in floor_samples.items()})
    return figures


def main(argv: list[str]) -> None:
    """Build the project, measure both sides and print the figures as the last line."""
    if len(argv) != 6:
        raise SystemExit(__doc__)
    emit(**measure(Path(argv[0]), *(int(a) for a in argv[1:])))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
