"""Open (from the database), scroll and edit (committed) a 400,000-char article with 5,000 spans.

Targets (issue): open < 300 ms; a repaint < 16 ms anywhere; adding, removing or relabelling one
span, with its repaint, < 16 ms. An open reads the article and its spans from a project file;
an edit includes its commit (WAL, synchronous=FULL). Ours is ArticleView (QSyntaxHighlighter
over a SpanIndex) reading and writing through Project as the app does; the baseline colours the
same widget with one QTextEdit.ExtraSelection per span, rebuilding and setting the list on every
change (tech notes §2), reading and writing with raw sqlite3 (bench.article_store).
1000×800 view, offscreen.
"""

from __future__ import annotations

import argparse

from bench import Row
from bench.view_compare import compare

CHARS = 400_000
SPANS = 5_000
FULL = (5, 50, 40)
"""Opens (and repaints per scroll place), edits of each kind, sweep frames at --scale 1."""


def run(args: argparse.Namespace) -> list[Row]:
    """Both sides on paragraphs of 300–1,500 characters, in fresh processes."""
    return compare(args, "article", CHARS, SPANS, FULL)
