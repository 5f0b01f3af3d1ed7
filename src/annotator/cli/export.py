"""The CLI's `export` command: write a layer of the project in an export format."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from annotator.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    add_options,
    options_from,
    positive,
    run_with_progress,
)
from annotator.core.labelrules import normal_name
from annotator.io.export_options import ExportOptions


def register(commands: Any) -> None:
    """Register `export` on the sub-command parsers (its options: io.export_options)."""
    exp = commands.add_parser("export", help="export annotations")
    add_options(
        exp,
        ExportOptions,
        out=Path,
        layer=normal_name,
        labels=_names,
        max_tokens=positive,
        documents=int,
        shard_size=positive,
    )
    exp.set_defaults(run=run)


def _names(text: str) -> tuple[str, ...]:
    """`A,B` -> ('A', 'B')."""
    return tuple(name.strip() for name in text.split(","))


def run(args: argparse.Namespace) -> int:
    """Export and print the summary of what was written."""
    from annotator.io.exporter import export, parse_split

    split = parse_split(args.split) if args.split else None  # a bad one: exit 1, its reason
    options = asdict(options_from(args, ExportOptions, split=split))
    report = run_with_progress(args, "exporting", export, **options)
    print(report.summary())
    if report.errors:
        print(
            f"annotator: {report.path}: {len(report.errors)} span(s) would have changed too much "
            "to fit the tokens and were left out (the 'error:' lines above); the rest was written",
            file=sys.stderr,
        )
        return EXIT_DATA
    return EXIT_OK
