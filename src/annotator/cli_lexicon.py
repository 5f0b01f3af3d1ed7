"""The CLI commands that configure suggesters: `labelmap` (pipeline labels onto project labels)
and `terms` (term lists the lexicon suggests, besides what people marked)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli import EXIT_OK, _open
from annotator.core.errors import NotFoundError
from annotator.terminal import table

LABELMAP_HELP = """\
The label map turns a spaCy pipeline's entity labels (ORG, GPE, PRODUCT, ...) into this
project's labels, for the pipeline suggester (the project's pipeline, or `annotator suggest
--model`); labels it does not map are dropped. Until you change it, the default applies
(GPE/NORP/ORG/PERSON -> ACTOR, PRODUCT -> PLATFORM, where the project has those labels). Every
action prints the map that applies afterwards."""

TERMS_HELP = """\
Term lists: phrases per label (a UTF-8 file, one per line; blank lines and # comments are
skipped) that the lexicon suggester looks for, besides every phrase people marked."""


def add_parsers(sub: Any, db_option: Any) -> None:
    """Register `labelmap` and `terms` on the sub-command parsers."""
    labelmap = sub.add_parser(
        "labelmap",
        help="map a spaCy pipeline's labels onto the project's",
        description=LABELMAP_HELP,
    )
    db_option(labelmap)
    actions = labelmap.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="show the map (the default)")
    put = actions.add_parser("set", help="map a pipeline label onto a project label")
    put.add_argument("source", metavar="ENT_LABEL", help="the pipeline's label, e.g. ORG")
    put.add_argument("target", metavar="PROJECT_LABEL", help="a span label of this project")
    drop = actions.add_parser("remove", help="stop mapping a pipeline label")
    drop.add_argument("source", metavar="ENT_LABEL")
    actions.add_parser("reset", help="go back to the default map")

    terms = sub.add_parser("terms", help="term lists for the lexicon", description=TERMS_HELP)
    db_option(terms)
    actions = terms.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("list", help="terms per label (the default); with LABEL, its terms")
    show.add_argument("label", nargs="?", metavar="LABEL")
    load = actions.add_parser("load", help="add the terms of a file to a label's list")
    load.add_argument("label", metavar="LABEL", help="a span label of this project")
    load.add_argument("file", type=Path, metavar="FILE", help="UTF-8 text, one term a line")
    load.add_argument("--replace", action="store_true", help="replace the list instead")
    clear = actions.add_parser("clear", help="empty a label's list")
    clear.add_argument("label", metavar="LABEL")


def cmd_labelmap(args: argparse.Namespace) -> int:
    from annotator.nlp.labelmap import LABEL_MAP_SETTING, label_map_for, save_label_map

    with _open(args) as project:
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


def cmd_terms(args: argparse.Namespace) -> int:
    from annotator.nlp.termlists import (
        load_term_list,
        save_term_list,
        span_labels,
        term_lists_for,
    )

    with _open(args) as project:
        action = args.action or "list"
        if action == "load":
            terms = load_term_list(args.file)
            before = set(term_lists_for(project).get(args.label, []))
            after = save_term_list(project, args.label, terms, replace=args.replace)
            added = len(set(after) - before)
            print(f"{args.label}: {added} new term(s) from {args.file}, {len(after)} in the list")
            return EXIT_OK
        if action == "clear":
            save_term_list(project, args.label, [], replace=True)
            print(f"{args.label}: the term list is empty")
            return EXIT_OK
        labels = span_labels(project)
        lists = term_lists_for(project)
    label = getattr(args, "label", None)
    if label is not None:
        if label not in labels:
            raise NotFoundError(f"no label named {label!r} (labels: {', '.join(labels)})")
        for term in lists.get(label, []):
            print(term)
        return EXIT_OK
    rows = [
        (label, len(lists.get(label, [])), ", ".join(lists.get(label, [])[:5])) for label in labels
    ]
    print(table(["label", "terms", "first terms"], rows))
    return EXIT_OK
