"""The CLI's sharing commands: `merge` brings other project files (or JSONL) into this project,
`copy` writes the whole project to a new file to send to someone."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli import EXIT_OK, _open, _run_with_progress
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
COPY_HELP = """\
Write the whole project to a new file (SQLite's backup API: changes the app has not yet moved
from the project's -wal file come along), e.g. to e-mail it or to merge it elsewhere. An
existing file is never replaced."""
SHOWN_CONFLICTS = 50


def add_parsers(sub: Any, db_option: Any) -> None:
    """Register `merge` and `copy` on the sub-command parsers."""
    merge = sub.add_parser(
        "merge", help="bring in collaborators' project files or JSONL", description=MERGE_HELP
    )
    db_option(merge)
    merge.add_argument("paths", nargs="+", type=Path, metavar="OTHER", help="project file or JSONL")
    merge.add_argument(
        "--annotator", help="layer for JSONL lines that name no annotator (default: import)"
    )
    copy = sub.add_parser(
        "copy", help="write the whole project to a new file to share", description=COPY_HELP
    )
    db_option(copy)
    copy.add_argument("out", type=Path, metavar="OUT.db", help="the new file (must not exist)")


def cmd_merge(args: argparse.Namespace) -> int:
    from annotator.io.merge_input import merge_files

    report = _run_with_progress(args, "merging", merge_files, args.paths, annotator=args.annotator)
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


def cmd_copy(args: argparse.Namespace) -> int:

    with _open(args) as project:
        project.save_copy(args.out)
        print(f"copied {project.location} to {args.out}")
    return EXIT_OK
