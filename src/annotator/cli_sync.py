"""The CLI's `push` and `pull`: move work between a laptop project file and the lab server."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli import EXIT_OK, _open, _run_with_progress
from annotator.terminal import table

SYNC_HELP = """\
Work offline in a project file and sync later: `push FILE` merges the file into the --db
project (the lab server), `pull FILE` merges the --db project into the file (made when
missing). Both are merges (see `annotator merge --help`): one transaction, idempotent."""


def add_parsers(sub: Any, db_option: Any) -> None:
    """Register `push` and `pull` on the sub-command parsers."""
    push = sub.add_parser(
        "push", help="merge a project file into the --db project", description=SYNC_HELP
    )
    db_option(push)
    push.add_argument("file", type=Path, metavar="FILE", help="the laptop project file")
    pull = sub.add_parser(
        "pull", help="merge the --db project into a project file", description=SYNC_HELP
    )
    db_option(pull)
    pull.add_argument("file", type=Path, metavar="FILE", help="the laptop project file")


def cmd_push(args: argparse.Namespace) -> int:
    from annotator.io.merge_input import merge_files

    report = _run_with_progress(args, "pushing", merge_files, [args.file])
    print(f"pushed {args.file}")
    print(table(["", "added", "updated", "already present", "conflicts"], report.rows()))
    return EXIT_OK


def cmd_pull(args: argparse.Namespace) -> int:
    from annotator.core.errors import ProjectError
    from annotator.core.project import Project
    from annotator.core.sync import pull
    from annotator.terminal import TerminalProgress

    with _open(args) as server:
        if server.path is not None and server.path == args.file.expanduser().resolve():
            raise ProjectError(f"{args.file}: is the --db project itself; nothing to pull")
        exists = args.file.exists()
        with Project.open(args.file) if exists else Project.create(args.file, []) as local:
            report = pull(server, local, TerminalProgress("pulling"))
    print(f"pulled {server.location} into {args.file}")
    print(table(["", "added", "updated", "already present", "conflicts"], report.rows()))
    return EXIT_OK
