"""The CLI's `push` and `pull`: move work between a laptop project file and the lab server."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, default_annotator, open_project
from annotator.terminal import table

SYNC_HELP = """\
Work offline in a project file and sync later: `push FILE` merges the file into the --db
project (the lab server), `pull FILE` merges the --db project into the file (made when
missing). Both are merges (see `annotator merge --help`): one transaction, idempotent; span
deletions travel both ways. To a server, a push carries one annotator's layer (spans, their
deletions, statuses; suggestion decisions; review rejections for the gold layer): --annotator,
else $ANNOTATOR_USER, else your login name. --all-layers pushes everything (the project's
owner). To a project file, a push carries every layer unless --annotator is given."""


def register(commands: Any) -> None:
    """Register `push` and `pull` on the sub-command parsers."""
    push = commands.add_parser(
        "push", help="merge a project file into the --db project", description=SYNC_HELP
    )
    push.set_defaults(run=run_push)
    push.add_argument("file", type=Path, metavar="FILE", help="the laptop project file")
    layers = push.add_mutually_exclusive_group()
    layers.add_argument(
        "--annotator",
        help="whose layer to push (default to a server: $ANNOTATOR_USER, else your login name)",
    )
    layers.add_argument(
        "--all-layers", action="store_true", help="push every annotator's layer (the owner)"
    )
    pull = commands.add_parser(
        "pull", help="merge the --db project into a project file", description=SYNC_HELP
    )
    pull.set_defaults(run=run_pull)
    pull.add_argument("file", type=Path, metavar="FILE", help="the laptop project file")


def run_push(args: argparse.Namespace) -> int:
    """Merge FILE into the --db project (to a server: one annotator's layer)."""
    from annotator.io.merge_input import merge_files
    from annotator.terminal import TerminalProgress

    with open_project(args) as server:
        layer = args.annotator
        if layer is None and not args.all_layers and server.path is None:
            layer = default_annotator()
        report = merge_files(server, [args.file], layer=layer, progress=TerminalProgress("pushing"))
    print(f"pushed {'every layer' if layer is None else f'the layer of {layer}'} of {args.file}")
    print(table(["", "added", "updated", "already present", "conflicts"], report.rows()))
    print(report.deletions_line())
    return EXIT_OK


def run_pull(args: argparse.Namespace) -> int:
    """Merge the --db project into FILE (made when missing)."""
    from annotator.core.errors import ProjectError
    from annotator.core.project import Project
    from annotator.core.sync import pull
    from annotator.terminal import TerminalProgress

    with open_project(args) as server:
        if server.path is not None and server.path == args.file.expanduser().resolve():
            raise ProjectError(f"{args.file}: is the --db project itself; nothing to pull")
        exists = args.file.exists()
        with Project.open(args.file) if exists else Project.create(args.file, []) as local:
            report = pull(server, local, TerminalProgress("pulling"))
    print(f"pulled {server.location} into {args.file}")
    print(table(["", "added", "updated", "already present", "conflicts"], report.rows()))
    print(report.deletions_line())
    return EXIT_OK
