"""The CLI's `copy` command: write the whole project to a new file to send to someone."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, open_project

COPY_HELP = """\
Write the whole project to a new file (SQLite's backup API: changes the app has not yet moved
from the project's -wal file come along), e.g. to e-mail it or to merge it elsewhere. An
existing file is never replaced."""


def register(commands: Any) -> None:
    """Register `copy` on the sub-command parsers."""
    copy = commands.add_parser(
        "copy", help="write the whole project to a new file to share", description=COPY_HELP
    )
    copy.add_argument("out", type=Path, metavar="OUT.db", help="the new file (must not exist)")
    copy.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Copy the project to OUT.db (refused when it exists)."""
    with open_project(args) as project:
        project.save_copy(args.out)
        print(f"copied {project.location} to {args.out}")
    return EXIT_OK
