"""The CLI's `import` command: import files or folders of articles (`import` is a keyword,
hence the module's trailing underscore)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_DATA, EXIT_OK, LazyChoices, run_with_progress
from annotator.core.labelrules import normal_name


def register(commands: Any) -> None:
    """Register `import` on the sub-command parsers."""
    imp = commands.add_parser("import", help="import files or folders of articles")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to read")
    imp.add_argument(
        "--format",
        default="auto",
        choices=LazyChoices(import_formats),
        metavar="FORMAT",
        help="%(choices)s (default: %(default)s: by extension, else by content)",
    )
    imp.add_argument(
        "--annotator", type=normal_name, help="layer for spans whose file names no annotator"
    )
    imp.add_argument("--text-column", help="CSV column that holds the text (default: guess)")
    imp.add_argument(
        "--skip-bad", action="store_true", help="store the good files and report the bad ones"
    )
    imp.add_argument(
        "--add-labels",
        action="store_true",
        help="add the labels spans carry and the relation types relations carry that the "
        "project lacks (default: refuse the import)",
    )
    imp.set_defaults(run=run)


def import_formats() -> tuple[str, ...]:
    """What `--format` takes: auto (detect each file's format), then every reader's name."""
    from annotator.io.registry import READERS

    return ("auto", *READERS)


def run(args: argparse.Namespace) -> int:
    """Import, then report what was stored, and per file what was read and skipped (exit 1 if a
    file was skipped, or on bad input, with nothing imported)."""
    from annotator.core.errors import ImportFailed, InputError, UnknownLabels
    from annotator.io.importer import import_files

    try:
        report = run_with_progress(
            args,
            "importing",
            import_files,
            args.paths,
            args.format,
            annotator=args.annotator,
            text_column=args.text_column,
            skip_bad=args.skip_bad,
            add_labels=args.add_labels,
        )
    except (ImportFailed, InputError, UnknownLabels) as exc:
        hint = "; import with --add-labels to add them" if isinstance(exc, UnknownLabels) else ""
        print(f"annotator: {exc}{hint}\nannotator: nothing was imported", file=sys.stderr)
        return EXIT_DATA
    stored = report.stored
    print(
        f"read {len(report.files)} file(s): {stored.documents_added} new document(s), "
        f"{stored.documents_existing} already present; {stored.spans_added} span(s) added, "
        f"{stored.spans_existing} already present"
    )
    if stored.suggestions_added or stored.suggestions_existing:
        print(
            f"{stored.suggestions_added} pending suggestion(s) added, "
            f"{stored.suggestions_existing} already present or decided"
        )
    if stored.relations_added or stored.relations_existing:
        print(
            f"{stored.relations_added} relation(s) added, "
            f"{stored.relations_existing} already present"
        )
    if stored.labels_added:
        print(f"new labels: {', '.join(stored.labels_added)}")
    if stored.relation_types_added:
        print(f"new relation types: {', '.join(stored.relation_types_added)}")
    if stored.labels_respelled:
        taken = ", ".join(f"{a} -> {b}" for a, b in stored.labels_respelled.items())
        print(f"labels matched apart from case: {taken}")
    if stored.near_duplicates:
        listed = "; ".join(map(str, stored.near_duplicates))
        print(f"{len(stored.near_duplicates)} near-duplicate(s): {listed}")
    for summary in report.per_file:
        print(f"  {summary}")
    for error in report.skipped:
        print(f"skipped {error}", file=sys.stderr)
    return EXIT_DATA if report.skipped else EXIT_OK
