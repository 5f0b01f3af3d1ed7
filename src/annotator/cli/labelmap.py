"""The CLI's `labelmap` command: map a spaCy pipeline's entity labels onto the project's."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.errors import NotFoundError
from annotator.terminal import table

LABELMAP_HELP = """\
The label map turns a spaCy pipeline's entity labels (ORG, GPE, PRODUCT, ...) into this
project's labels, for the pipeline suggester (the project's pipeline, or `annotator suggest
--model`); labels it does not map are dropped. Until you change it, the default applies
(GPE/NORP/ORG/PERSON -> ACTOR, PRODUCT -> PLATFORM, where the project has those labels). Every
action prints the map that applies afterwards."""


def register(commands: Any) -> None:
    """Register `labelmap` and its actions on the sub-command parsers."""
    labelmap = commands.add_parser(
        "labelmap",
        help="map a spaCy pipeline's labels onto the project's",
        description=LABELMAP_HELP,
    )
    labelmap.set_defaults(run=run)
    actions = labelmap.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="show the map (the default)")
    put = actions.add_parser("set", help="map a pipeline label onto a project label")
    put.add_argument("source", metavar="ENT_LABEL", help="the pipeline's label, e.g. ORG")
    put.add_argument("target", metavar="PROJECT_LABEL", help="a span label of this project")
    drop = actions.add_parser("remove", help="stop mapping a pipeline label")
    drop.add_argument("source", metavar="ENT_LABEL", help="the pipeline's label to unmap")
    actions.add_parser("reset", help="go back to the default map")


def run(args: argparse.Namespace) -> int:
    """Change the map as asked, then print the map that applies."""
    from annotator.nlp.labelmap import LABEL_MAP_SETTING, label_map_for, save_label_map

    with open_project(args) as project:
        mapping = label_map_for(project)
        if args.action == "set":
            save_label_map(project, {**mapping, args.source: args.target})
        elif args.action == "remove":
            if args.source not in mapping:
                known = ", ".join(sorted(mapping)) or "the map is empty"
                raise NotFoundError(f"the label map has no {args.source!r} (it maps: {known})")
            save_label_map(project, {k: v for k, v in mapping.items() if k != args.source})
        elif args.action == "reset":
            save_label_map(project, None)
        mapping = label_map_for(project)
        default = project.get_setting(LABEL_MAP_SETTING) is None
    if not mapping:
        print("the label map is empty: pipeline suggestions are off until you map a label")
        print("(for example: annotator labelmap set ORG ACTOR)")
        return EXIT_OK
    print(table(["pipeline label", "project label"], sorted(mapping.items())))
    if default:
        print("(the default map)")
    return EXIT_OK
