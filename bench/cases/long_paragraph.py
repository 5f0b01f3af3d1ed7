"""One 200,000-char paragraph with no newline and 2,000 spans: ours vs ExtraSelections.

The issue asks that such a text "stays usable"; the same budgets as the article are applied
(open < 300 ms, a repaint or an edit < 16 ms), since a slower frame is what makes it unusable.
Same sides and measurements as `article_view`, fewer repeats (the baseline is slow here).
"""

from __future__ import annotations

import argparse

from bench import Row
from bench.view_compare import compare

CHARS = 200_000
SPANS = 2_000
FULL = (3, 8, 20)
"""Opens (and repaints per scroll place), edits of each kind, sweep frames at --scale 1."""


def run(args: argparse.Namespace) -> list[Row]:
    """Both sides on one line of text, in fresh processes."""
    return compare(args, "paragraph", CHARS, SPANS, FULL)
