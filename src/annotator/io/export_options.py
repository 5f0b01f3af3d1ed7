"""The options of an export, defined once (core.options): `annotator export`, the Export dialog
and io.exporter.export all take their defaults and choices from ExportOptions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.core.layer_names import DEFAULT_LAYER, MAJORITY_MEANS
from annotator.core.options import option

SUGGESTED_SPLIT = "0.8,0.1,0.1"
"""The train/dev/test fractions offered as an example (there is no split unless asked for)."""
SHARD_SIZE = 1000
"""Documents per .spacy file of the spacy export by default."""
SUGGESTED_MAX_TOKENS = 512
"""The record size offered for the hf export (BERT-style models), when a limit is asked for."""


def export_formats() -> tuple[str, ...]:
    """Every export format by the name `--format` takes, in the order the dialog offers them."""
    from annotator.io.writers.registry import WRITERS

    return tuple(WRITERS)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What one export writes, and how."""

    fmt: str = option(
        help="the export format", choices=export_formats, metavar="FORMAT", flag="--format"
    )
    out: Path = option(help="the file (a folder for a split or a many-file format)")
    layer: str | None = option(
        None,
        "the layer to export: gold, ANNOTATOR, all, majority or suggestions (default: "
        f"{DEFAULT_LAYER}; with several annotators and no gold, choose one; {MAJORITY_MEANS})",
        metavar="LAYER",
    )
    only_done: bool = option(False, "only documents marked done")
    documents: tuple[int, ...] | None = option(
        None, "only these documents (ids: `annotator docs`)", metavar="ID", flag="--doc", many=True
    )
    labels: tuple[str, ...] | None = option(None, "only these labels (default: all)", metavar="A,B")
    split: tuple[float, ...] | None = option(
        None, "train/dev(/test) by document; --out is a folder", metavar=SUGGESTED_SPLIT
    )
    seed: int = option(0, "seed of the split", metavar="N")
    overwrite: bool = option(False, "replace an earlier export of the same format", flag="--force")
    max_tokens: int | None = option(
        None, "hf: records of at most N tokens, split at sentence boundaries", metavar="N"
    )
    shard_size: int = option(
        SHARD_SIZE,
        "spacy: at most N documents per .spacy file; a larger export (or part of a split) is "
        "a folder of such files, which spacy train reads as it is",
        metavar="N",
    )
