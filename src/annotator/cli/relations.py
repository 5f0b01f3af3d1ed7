"""The CLI's `relations` command: list, add, change or remove relation types."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.labelrules import normal_name
from annotator.terminal import table


def register(commands: Any) -> None:
    """Register `relations` and its actions on the sub-command parsers."""
    relations = commands.add_parser(
        "relations", help="list, add, change or remove relation types (links between spans)"
    )
    relations.set_defaults(run=run)
    rsub = relations.add_subparsers(dest="action", metavar="ACTION")
    rsub.add_parser("list", help="list relation types with their usage (the default)")
    add = rsub.add_parser("add", help="add a relation type")
    add.add_argument("name", type=normal_name, help="the new relation type's name")
    add.add_argument("--color", help="#RRGGBB (default: next colour-blind-safe colour)")
    add.add_argument("--key", help="hotkey: one of 1-9 or a-z")
    add.add_argument(
        "--symmetric",
        action="store_true",
        help="the link has no direction (A-B is B-A); default: directed, head to tail",
    )
    _ends(add, "allowed")
    add.add_argument("--description", default="", help="guidelines for the type, with an example")
    change = rsub.add_parser(
        "set", help="rename, recolour, re-key, redirect, re-constrain or describe a type"
    )
    change.add_argument("name", type=normal_name, help="the relation type to change")
    change.add_argument("--rename", metavar="NEW_NAME", type=normal_name, help="its new name")
    change.add_argument("--color", help="its new colour, #RRGGBB")
    change.add_argument("--key", help="hotkey; 'none' clears it")
    direction = change.add_mutually_exclusive_group()
    direction.add_argument(
        "--directed", action="store_true", default=None, help="make it directed (head to tail)"
    )
    direction.add_argument(
        "--symmetric",
        dest="directed",
        action="store_false",
        help="make it symmetric (only while no relation uses it)",
    )
    _ends(change, "the new")
    change.add_argument("--any-head", action="store_true", help="allow spans of any label as head")
    change.add_argument("--any-tail", action="store_true", help="allow spans of any label as tail")
    change.add_argument("--description", help="its new guidelines")
    remove = rsub.add_parser("remove", help="remove a relation type")
    remove.add_argument("name", type=normal_name, help="the relation type to remove")
    remove.add_argument("--force", action="store_true", help="also remove the relations of it")


def _ends(parser: argparse.ArgumentParser, which: str) -> None:
    for role in ("head", "tail"):
        parser.add_argument(
            f"--{role}",
            metavar="LABEL",
            action="append",
            type=normal_name,
            help=f"{which} span label at the {role} (repeat for several; none given: any label)",
        )


def run(args: argparse.Namespace) -> int:
    """Apply the action (if any), then print the relation types with their usage."""
    with open_project(args) as project:
        action = args.action or "list"
        if action == "add":
            project.add_relation_type(
                args.name,
                args.color,
                args.key,
                directed=not args.symmetric,
                head_labels=args.head or (),
                tail_labels=args.tail or (),
                description=args.description,
            )
        elif action == "set":
            project.update_relation_type(args.name, **_changed_fields(args))
        elif action == "remove":
            project.remove_relation_type(args.name, force=args.force)
        rows = [
            (
                kind.name,
                kind.color,
                kind.hotkey or "",
                kind.ends_text(),
                project.relation_type_usage(kind.name),
                _first_line(kind.description),
            )
            for kind in project.relation_types()
        ]
        print(table(["name", "color", "key", "links", "relations", "description"], rows))
    return EXIT_OK


def _changed_fields(args: argparse.Namespace) -> dict[str, Any]:
    """Project.update_relation_type's arguments for the options given."""
    fields: dict[str, Any] = {
        "rename": args.rename,
        "color": args.color,
        "directed": args.directed,
        "description": args.description,
    }
    if args.key is not None:
        fields["hotkey"] = "" if args.key.lower() == "none" else args.key
    if args.head is not None or args.any_head:
        fields["head_labels"] = () if args.any_head else args.head
    if args.tail is not None or args.any_tail:
        fields["tail_labels"] = () if args.any_tail else args.tail
    return {key: value for key, value in fields.items() if value is not None}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
