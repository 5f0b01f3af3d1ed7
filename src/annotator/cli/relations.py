"""The CLI's `relations` command: list, add, change or remove relation types; propose relations
learned from those the annotator made, and accept or reject the proposals."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, default_annotator, open_project
from annotator.core.labelrules import normal_name
from annotator.terminal import TerminalProgress, table


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
    add.add_argument("--key", help="hotkey: one of 1-9 or a-z, not r (the Relate key)")
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
    suggest = rsub.add_parser(
        "suggest",
        help="propose relations between the annotator's spans of one sentence, learned from "
        "the relations they and the gold layer made; prints each proposal with its id",
    )
    suggest.add_argument(
        "--doc", type=int, nargs="+", action="extend", metavar="ID", help="only these documents"
    )
    suggest.add_argument(
        "--annotator",
        type=normal_name,
        help="whose spans and relations (default: ANNOTATOR_USER, else the login name)",
    )
    suggest.add_argument(
        "--threshold",
        type=_probability,
        default=0.5,
        help="the learned probability a proposal needs (0-1, default 0.5)",
    )
    for verb in ("accept", "reject"):
        decide = rsub.add_parser(verb, help=f"{verb} relation suggestions by their ids")
        decide.add_argument(
            "ids", type=int, nargs="+", metavar="ID", help="ids that `relations suggest` printed"
        )


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
        if action in _SUGGESTION_ACTIONS:
            return _SUGGESTION_ACTIONS[action](project, args)
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


def _suggest(project: Any, args: argparse.Namespace) -> int:
    """Propose relations and print them, one per line with its id."""
    from annotator.nlp.relation_runner import suggest_relations

    annotator = args.annotator or normal_name(default_annotator())
    documents = args.doc or project.document_ids()
    report = suggest_relations(
        project,
        annotator,
        documents,
        threshold=args.threshold,
        progress=TerminalProgress("suggesting relations"),
    )
    if report.learned_from == 0:
        print(f"nothing to suggest yet: {annotator} has made no relation to learn from")
        return EXIT_OK
    print(
        f"learned from {report.learned_from} relation(s); "
        f"proposed {report.proposed} in {report.documents} document(s)"
    )
    rows = []
    for document_id in documents:
        text = project.document(document_id).text
        ends = {span.id: span for span in project.spans(document_id, annotator)}
        for found in project.relation_suggestions(document_id, annotator):
            head, tail = ends[found.head], ends[found.tail]
            rows.append(
                (
                    found.id,
                    document_id,
                    found.type,
                    text[head.start : head.end],
                    text[tail.start : tail.end],
                    f"{found.score:.2f}",
                )
            )
    if rows:
        print(table(["id", "document", "type", "head", "tail", "score"], rows))
    return EXIT_OK


def _decide(project: Any, args: argparse.Namespace) -> int:
    """Accept or reject relation suggestions: all of them, or none when one is refused."""
    decide = (
        project.accept_relation_suggestion
        if args.action == "accept"
        else project.reject_relation_suggestion
    )
    with project.transaction():
        for suggestion_id in args.ids:
            decide(suggestion_id)
    print(f"{args.action}ed {len(args.ids)} relation suggestion(s)")
    return EXIT_OK


_SUGGESTION_ACTIONS = {"suggest": _suggest, "accept": _decide, "reject": _decide}


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return value


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
