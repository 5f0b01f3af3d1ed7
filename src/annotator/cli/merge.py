"""The CLI's `merge` command: bring other project files (or JSONL) into this project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, run_with_progress
from annotator.terminal import table

MERGE_HELP = """\
Bring collaborators' work into this project in one transaction: documents (matched by text
hash), labels, annotators, spans with their notes, document statuses, suggestions with their
accept/reject decisions, review rejections, and span deletions (a span deleted here after its
last change is not brought back; a span deleted there after its last change is deleted here).
Other files are only read, never changed (an older project file is upgraded in a temporary
copy). JSONL files from other tools (one line per
document per annotator) merge the same way. Merging a file again adds nothing. Ends with a
report: added, updated, already present and conflicts per kind."""
SHOWN_CONFLICTS = 50


def register(commands: Any) -> None:
    """Register `merge` on the sub-command parsers."""
    merge = commands.add_parser(
        "merge", help="bring in collaborators' project files or JSONL", description=MERGE_HELP
    )
    merge.add_argument("paths", nargs="+", type=Path, metavar="OTHER", help="project file or JSONL")
    merge.add_argument(
        "--annotator", help="layer for JSONL lines that name no annotator (default: import)"
    )
    merge.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Merge the files in one transaction and print the report with its conflicts."""
    from annotator.io.merge_input import merge_files

    report = run_with_progress(args, "merging", merge_files, args.paths, annotator=args.annotator)
    print(f"merged {len(report.sources)} file(s)")
    headers = ["", "added", "updated", "already present", "conflicts"]
    print(table(headers, report.rows()))
    print(report.deletions_line())
    if report.labels_added:
        print(f"new labels: {', '.join(report.labels_added)}")
    conflicts = report.conflicts()
    if conflicts:
        print(f"\nconflicts ({len(conflicts)}; this project's value kept unless stated):")
        for conflict in conflicts[:SHOWN_CONFLICTS]:
            print(f"  {conflict}")
        if len(conflicts) > SHOWN_CONFLICTS:
            print(f"  ... and {len(conflicts) - SHOWN_CONFLICTS} more")
    return EXIT_OK
