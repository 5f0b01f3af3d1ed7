"""The CLI's `gold` command: which annotator's layer is the gold (adjudicated) one."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.errors import NotFoundError
from annotator.core.labelrules import normal_name


def register(commands: Any) -> None:
    """Register `gold [show | set ANNOTATOR | unset]` on the sub-command parsers."""
    gold = commands.add_parser(
        "gold",
        help="show, set or unset the gold layer",
        description="The gold layer is one annotator's layer marked as adjudicated: export and "
        "train read it by default. Without a sub-command, show it.",
    )
    actions = gold.add_subparsers(dest="gold_action", metavar="ACTION")
    actions.add_parser("show", help="name the gold layer's annotator (the default)")
    chosen = actions.add_parser("set", help="make an annotator's layer the gold layer")
    chosen.add_argument(
        "annotator", type=normal_name, metavar="ANNOTATOR", help="whose layer becomes gold"
    )
    actions.add_parser("unset", help="leave the project without a gold layer (spans stay)")
    gold.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Show, set or unset the gold layer."""
    action = args.gold_action or "show"
    with open_project(args) as project:
        if action == "set":
            known = sorted(a.name for a in project.annotators())
            if args.annotator not in known:
                names = ", ".join(known) or "none yet"
                raise NotFoundError(
                    f"no annotator named {args.annotator!r} (annotators: {names}); import or "
                    "annotate that layer first, e.g. `annotator import FILE --annotator NAME`"
                )
            project.set_gold(args.annotator)
            print(f"gold layer: {args.annotator}")
        elif action == "unset":
            was = project.gold_annotator()
            project.unmark_gold()
            print(f"no gold layer ({was} is an ordinary layer again)" if was else "no gold layer")
        else:
            gold = project.gold_annotator()
            print(f"gold layer: {gold}" if gold else "no gold layer")
    return EXIT_OK
