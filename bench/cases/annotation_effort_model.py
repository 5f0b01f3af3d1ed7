"""annotation_effort with the project model too, trained again every 20 documents.

The same simulated annotator and corpus as annotation_effort (bench.effort), with every
available suggester (the lexicon, and from the 21st document on the project model trained on
the annotator's done documents after every 20). Rows as there; no target is met or missed by
the model alone, but each window's figure shows whether it pays.
"""

from __future__ import annotations

import argparse

from bench import Row
from bench.cases.annotation_effort import measure


def run(args: argparse.Namespace) -> list[Row]:
    """The lexicon and the project model."""
    return measure(args, learning=True)
