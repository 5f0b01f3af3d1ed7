"""The CLI's `terms` command: term lists the lexicon suggests, besides what people marked."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.errors import NotFoundError
from annotator.core.labelrules import spelling_in
from annotator.terminal import table

TERMS_HELP = """\
Term lists: phrases per label (a UTF-8 file, one per line; blank lines and # comments are
skipped) that the lexicon suggester looks for, besides every phrase people marked."""


def register(commands: Any) -> None:
    """Register `terms` and its actions on the sub-command parsers."""
    terms = commands.add_parser("terms", help="term lists for the lexicon", description=TERMS_HELP)
    terms.set_defaults(run=run)
    actions = terms.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("list", help="terms per label (the default); with LABEL, its terms")
    show.add_argument("label", nargs="?", metavar="LABEL", help="list only this label's terms")
    load = actions.add_parser("load", help="add the terms of a file to a label's list")
    load.add_argument("label", metavar="LABEL", help="a span label of this project")
    load.add_argument("file", type=Path, metavar="FILE", help="UTF-8 text, one term a line")
    load.add_argument("--replace", action="store_true", help="replace the list instead")
    clear = actions.add_parser("clear", help="empty a label's list")
    clear.add_argument("label", metavar="LABEL", help="the label whose list to empty")


def run(args: argparse.Namespace) -> int:
    """Load or clear a label's list, or print the lists (one label's terms with LABEL)."""
    from annotator.nlp.termlists import (
        load_term_list,
        save_term_list,
        span_labels,
        term_lists_for,
    )

    with open_project(args) as project:
        action = args.action or "list"
        label = getattr(args, "label", None)
        if label is not None:  # the project's spelling, matched without regard to case
            label = spelling_in(label, span_labels(project)) or label
        if action == "load":
            terms = load_term_list(args.file)
            before = set(term_lists_for(project).get(label, []))
            after = save_term_list(project, label, terms, replace=args.replace)
            added = len(set(after) - before)
            print(f"{label}: {added} new term(s) from {args.file}, {len(after)} in the list")
            return EXIT_OK
        if action == "clear":
            save_term_list(project, label, [], replace=True)
            print(f"{label}: the term list is empty")
            return EXIT_OK
        labels = span_labels(project)
        lists = term_lists_for(project)
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
