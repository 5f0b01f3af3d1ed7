"""Accept All on one 436,000-character article with ~7,000 pending suggestions (issue 17 item 3).

Ours: AcceptSuggestionsCommand (set operations, one transaction): apply, undo and redo. The
baseline is the old path, one AcceptSuggestionCommand per suggestion inside one MacroCommand,
timed on the first 300 suggestions of an identical project and scaled linearly to all of them
(a lower bound: each accept re-read the whole layer, so it grew with the layer; the full run
took ~14 minutes in the app).
"""

from __future__ import annotations

import argparse
import re
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
TARGET_S = 0.05
"""Largest accepted ours / baseline ratio."""


def run(args: argparse.Namespace) -> list[Row]:
    """Build two identical projects; time the bulk path on one, the old path on the other."""
    chars = max(20_000, round(CHARS * args.scale))
    wanted = max(500, round(SUGGESTIONS * args.scale))
    text = news_text(chars, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-accept-") as folder:
        ours_project, ids = _build(Path(folder) / "ours.db", text, wanted)
        base_project, base_ids = _build(Path(folder) / "base.db", text, wanted)
        with ours_project, base_project:
            command = AcceptSuggestionsCommand(tuple(ids), "bench")
            apply_s = _timed(lambda: command.apply(ours_project))
            undo_s = _timed(lambda: command.revert(ours_project))
            redo_s = _timed(lambda: command.apply(ours_project))
            sample = base_ids[:BASELINE_SAMPLE]
            old = MacroCommand("old", [AcceptSuggestionCommand(i, "bench") for i in sample])
            old_apply_s = _timed(lambda: old.apply(base_project)) * len(ids) / len(sample)
            old_undo_s = _timed(lambda: old.revert(base_project)) * len(ids) / len(sample)
    what = f"{len(ids):,} suggestions, {len(text):,} chars"
    return [
        Row(f"accept all ({what})", apply_s * 1000, old_apply_s * 1000, "ms", TARGET_S),
        Row(f"undo accept all ({what})", undo_s * 1000, old_undo_s * 1000, "ms", TARGET_S),
        Row(f"redo accept all ({what}; informative)", redo_s * 1000, old_apply_s * 1000, "ms"),
    ]


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
