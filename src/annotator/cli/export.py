"""The CLI's `export` command: write a layer of the project in an export format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, LazyChoices, run_with_progress
from annotator.core.labelrules import normal_name


def register(commands: Any) -> None:
    """Register `export` on the sub-command parsers."""
    exp = commands.add_parser("export", help="export annotations")
    exp.add_argument(
        "--format",
        required=True,
        choices=LazyChoices(export_formats),
        metavar="FORMAT",
        help="%(choices)s",
    )
    exp.add_argument("--out", required=True, type=Path)
    exp.add_argument(
        "--layer",
        default="all",
        type=normal_name,
        help="gold|ANNOTATOR|all|majority|suggestions",
    )
    exp.add_argument("--only-done", action="store_true", help="only documents marked done")
    exp.add_argument("--labels", metavar="A,B", help="only these labels (default: all)")
    exp.add_argument(
        "--split", metavar="0.8,0.1,0.1", help="train/dev(/test) by document; --out is a folder"
    )
    exp.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    exp.add_argument(
        "--force", action="store_true", help="replace an earlier export of the same format"
    )
    exp.set_defaults(run=run)


def export_formats() -> tuple[str, ...]:
    """What `--format` takes: every writer's name."""
    from annotator.io.writers.registry import WRITERS

    return tuple(WRITERS)


def run(args: argparse.Namespace) -> int:
    """Export and print the summary of what was written."""
    from annotator.io.exporter import export, parse_split

    labels = [name.strip() for name in args.labels.split(",")] if args.labels else None
    report = run_with_progress(
        args,
        "exporting",
        export,
        args.format,
        args.out,
        layer=args.layer,
        only_done=args.only_done,
        labels=labels,
        split=parse_split(args.split) if args.split else None,
        seed=args.seed,
        overwrite=args.force,
    )
    print(report.summary())
    return EXIT_OK
