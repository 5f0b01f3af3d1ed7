"""Accept All on one 436,000-character article with ~7,000 pending suggestions (issue 17 item 3).

Ours: AcceptSuggestionsCommand (set operations, one transaction): apply, undo and redo. The
floor: raw sqlite3 on an identical project, one transaction that copies the suggestions into
spans and records the decisions with two INSERT ... SELECT statements (undo: two DELETEs), no
checks. Informative: the old path, one AcceptSuggestionCommand per suggestion inside one
MacroCommand, timed on the first 300 suggestions and scaled linearly (a lower bound: each
accept re-read the whole layer; the full run took ~14 minutes in the app).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
import time
from pathlib import Path

from annotator.core.commands import AcceptSuggestionCommand, AcceptSuggestionsCommand, MacroCommand
from annotator.core.model import NewSuggestion
from annotator.core.project import Project
from bench import Row
from bench.article_data import news_text
from bench.synthetic import ACTORS, PLATFORMS

CHARS = 436_000
SUGGESTIONS = 7_000
BASELINE_SAMPLE = 300
TARGET = 20.0
"""Largest accepted ours / floor ratio (ours checks every suggestion and decision, clears
tombstones and records undo data; the floor does none of it)."""
FLOOR_ACCEPT = (
    'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, note, '
    "created_at, updated_at) SELECT document_id, ?, label_id, start, \"end\", 'suggestion', '', "
    "datetime('now'), datetime('now') FROM suggestion",
    "INSERT INTO suggestion_decision (suggestion_id, annotator_id, status, decided_at) "
    "SELECT id, ?, 'accepted', datetime('now') FROM suggestion",
)
FLOOR_UNDO = (
    "DELETE FROM span WHERE annotator_id = ?",
    "DELETE FROM suggestion_decision WHERE annotator_id = ?",
)


def run(args: argparse.Namespace) -> list[Row]:
    """Build two identical projects; time the bulk path on one, the old path on the other."""
    chars = max(20_000, round(CHARS * args.scale))
    wanted = max(500, round(SUGGESTIONS * args.scale))
    text = news_text(chars, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-accept-") as folder:
        ours_project, ids = _build(Path(folder) / "ours.db", text, wanted)
        floor_path = Path(folder) / "floor.db"
        floor_project, _ = _build(floor_path, text, wanted)
        floor_project.close()
        base_project, base_ids = _build(Path(folder) / "base.db", text, wanted)
        with ours_project, base_project:
            command = AcceptSuggestionsCommand(tuple(ids), "bench")
            apply_s = _timed(lambda: command.apply(ours_project))
            undo_s = _timed(lambda: command.revert(ours_project))
            redo_s = _timed(lambda: command.apply(ours_project))
            floor_apply_s, floor_undo_s = _floor(floor_path)
            sample = base_ids[:BASELINE_SAMPLE]
            old = MacroCommand("old", [AcceptSuggestionCommand(i, "bench") for i in sample])
            old_apply_s = _timed(lambda: old.apply(base_project)) * len(ids) / len(sample)
    what = f"{len(ids):,} suggestions, {len(text):,} chars"
    return [
        Row(f"accept all vs raw SQL ({what})", apply_s * 1000, floor_apply_s * 1000, "ms", TARGET),
        Row(
            f"undo accept all vs raw SQL ({what})", undo_s * 1000, floor_undo_s * 1000, "ms", TARGET
        ),
        Row(
            "redo accept all vs raw SQL accept (informative)",
            redo_s * 1000,
            floor_apply_s * 1000,
            "ms",
        ),
        Row(
            "accept all vs the old one-by-one path (informative)",
            apply_s * 1000,
            old_apply_s * 1000,
            "ms",
        ),
    ]


def _floor(path: Path) -> tuple[float, float]:
    """Seconds of the raw accept and of its raw undo, each one committed transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL"):
            conn.execute(f"PRAGMA {pragma}")
        who = conn.execute("INSERT INTO annotator (name, is_gold) VALUES ('floor', 0)").lastrowid
        return _timed(lambda: _transaction(conn, FLOOR_ACCEPT, who)), _timed(
            lambda: _transaction(conn, FLOOR_UNDO, who)
        )
    finally:
        conn.close()


def _transaction(conn: sqlite3.Connection, statements: tuple[str, ...], who: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    for statement in statements:
        conn.execute(statement, (who,))
    conn.execute("COMMIT")


def _build(path: Path, text: str, wanted: int) -> tuple[Project, list[int]]:
    """A project with the article and up to `wanted` lexicon suggestions on its names."""
    project = Project.create(path)
    (doc,) = project.add_document(text, "long article").documents
    items: list[NewSuggestion] = []
    for label, names in (("ACTOR", ACTORS), ("PLATFORM", PLATFORMS)):
        for name in names:
            for found in re.finditer(re.escape(name), text):
                items.append(NewSuggestion(found.start(), found.end(), label))
    project.store_suggestions(doc, "lexicon", items[:wanted])
    return project, [s.id for s in project.suggestions(doc, annotator="bench")]


def _timed(step) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started
