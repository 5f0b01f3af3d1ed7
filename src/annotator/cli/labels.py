"""The CLI's `labels` command: list, add, change or remove labels."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.labelrules import normal_name
from annotator.terminal import table


def register(commands: Any) -> None:
    """Register `labels` and its actions on the sub-command parsers."""
    labels = commands.add_parser("labels", help="list, add, change or remove labels")
    labels.set_defaults(run=run)
    lsub = labels.add_subparsers(dest="action", metavar="ACTION")
    lsub.add_parser("list", help="list labels (the default)")
    add = lsub.add_parser("add", help="add a label")
    add.add_argument("name", type=normal_name, help="the new label's name")
    add.add_argument("--color", help="#RRGGBB (default: next colour-blind-safe colour)")
    add.add_argument("--key", help="hotkey: one of 1-9 or a-z, not r (the Relate key)")
    add.add_argument("--description", default="", help="annotation guidelines for the label")
    change = lsub.add_parser("set", help="rename, recolour, re-key or describe a label")
    change.add_argument("name", type=normal_name, help="the label to change")
    change.add_argument("--rename", metavar="NEW_NAME", type=normal_name, help="its new name")
    change.add_argument("--color", help="its new colour, #RRGGBB")
    change.add_argument("--key", help="hotkey; 'none' clears it")
    change.add_argument("--description", help="its new annotation guidelines")
    remove = lsub.add_parser("remove", help="remove a label")
    remove.add_argument("name", type=normal_name, help="the label to remove")
    remove.add_argument("--force", action="store_true", help="also remove the spans using it")


def run(args: argparse.Namespace) -> int:
    """Apply the action (if any), then print the labels with their usage."""
    with open_project(args) as project:
        action = args.action or "list"
        if action == "add":
            project.add_label(args.name, args.color, args.key, args.description)
        elif action == "set":
            fields = {}
            if args.rename is not None:
                fields["new_name"] = args.rename
            if args.color is not None:
                fields["color"] = args.color
            if args.key is not None:
                fields["hotkey"] = None if args.key.lower() == "none" else args.key
            if args.description is not None:
                fields["description"] = args.description
            project.update_label(args.name, **fields)
        elif action == "remove":
            project.remove_label(args.name, force=args.force)
        usage = project.stats().spans_per_label
        rows = [
            (lab.name, lab.color, lab.hotkey or "", usage.get(lab.name, 0), _first_line(lab))
            for lab in project.labels()
        ]
        print(table(["name", "color", "key", "spans", "description"], rows))
    return EXIT_OK


def _first_line(label) -> str:
    return label.description.strip().splitlines()[0] if label.description.strip() else ""
