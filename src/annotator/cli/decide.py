"""The CLI's `decide` command: accept or reject suggestions, or list the pending ones, as an
annotator (what Enter and Backspace do in the app), so a script can review suggestions."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import (
    EXIT_OK,
    FORMAT_HELP,
    default_annotator,
    open_project,
    print_json,
)
from annotator.core.errors import NotFoundError
from annotator.core.labelrules import normal_name
from annotator.terminal import table

DECIDE_HELP = """\
Accept or reject suggestions as an annotator, by id (`annotator decide list` shows the ids) or
every one pending for them in --doc documents. Accepting one makes it a span of the annotator
and rejects what it competes with (the same extent with another label, the same suggester's
suggestions inside it); with --doc every pending suggestion is accepted, as Accept All does.
All the decisions of one command are one transaction: an unknown id changes nothing (exit 1)."""

SNIPPET = 40
"""Characters of a suggestion's text `list` shows in a table."""


def register(commands: Any) -> None:
    """Register `decide accept|reject|list` on the sub-command parsers."""
    decide = commands.add_parser(
        "decide", help="accept or reject suggestions, or list them", description=DECIDE_HELP
    )
    actions = decide.add_subparsers(dest="decide_action", metavar="ACTION", required=True)
    for name, doing in (("accept", "accept"), ("reject", "reject")):
        action = actions.add_parser(name, help=f"{doing} suggestions")
        action.add_argument(
            "ids", nargs="*", type=int, metavar="SUGGESTION_ID", help=f"the suggestions to {doing}"
        )
        _documents_option(action, f"{doing} every suggestion pending in these documents")
        _annotator_option(action)
        action.set_defaults(decide_parser=action)
    listing = actions.add_parser("list", help="list the pending suggestions and their ids")
    _documents_option(listing, "only these documents (default: every document)")
    _annotator_option(listing)
    listing.add_argument("--format", choices=["table", "json"], default="table", help=FORMAT_HELP)
    decide.set_defaults(run=run)


def _documents_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument(
        "--doc", type=int, nargs="+", action="extend", metavar="ID", dest="documents", help=help
    )


def _annotator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--annotator",
        type=normal_name,
        help="who decides (default: ANNOTATOR_USER, else the login name)",
    )


def run(args: argparse.Namespace) -> int:
    """List, accept or reject; print what was done."""
    annotator = args.annotator or normal_name(default_annotator())
    action = args.decide_action
    if action != "list" and bool(args.ids) == bool(args.documents):
        args.decide_parser.error("give either SUGGESTION_ID... or --doc ID...")
    with open_project(args) as project:
        if args.documents:
            _check_documents(project, args.documents)
        if action == "list":
            _print_pending(project, args.documents, annotator, args.format)
        elif action == "accept":
            print(_accept(project, args.ids, args.documents, annotator))
        else:
            print(_reject(project, args.ids, args.documents, annotator))
    return EXIT_OK


def _check_documents(project: Any, documents: list[int]) -> None:
    """NotFoundError naming the ids of `documents` the project does not have."""
    from annotator.core.project import DocumentFilter

    known = set(project.document_ids(DocumentFilter(ids=tuple(documents))))
    missing = sorted(set(documents) - known)
    if missing:
        raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")


def _pending(project: Any, documents: list[int] | None, annotator: str) -> list[Any]:
    """The annotator's pending suggestions in `documents` (None: every document), in order."""
    ids = documents if documents else project.document_ids()
    return [s for doc in dict.fromkeys(ids) for s in project.suggestions(doc, annotator=annotator)]


def _print_pending(project: Any, documents: list[int] | None, annotator: str, how: str) -> None:
    """The pending suggestions as a table or JSON, each with its text."""
    rows = []
    texts: dict[int, str] = {}
    for s in _pending(project, documents, annotator):
        if s.document_id not in texts:
            texts[s.document_id] = project.document(s.document_id).text
        text = texts[s.document_id][s.start : s.end]
        rows.append(
            {
                "id": s.id,
                "document_id": s.document_id,
                "label": s.label,
                "start": s.start,
                "end": s.end,
                "score": s.score,
                "model": s.model,
                "text": text,
            }
        )
    if how == "json":
        print_json(rows)
        return
    headers = ["id", "document_id", "label", "start", "end", "score", "model", "text"]
    shown = [
        [*(r[h] for h in headers[:5]), f"{r['score']:.2f}", r["model"], _snippet(r["text"])]
        for r in rows
    ]
    print(table(headers, shown))


def _snippet(text: str) -> str:
    """The text on one line, cut to SNIPPET characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 1] + "…"


def _chosen(project: Any, ids: list[int], annotator: str) -> list[Any]:
    """The suggestions named by id (NotFoundError for an unknown one or another annotator's
    private lexicon's)."""
    from annotator.core.lexicon_names import is_foreign

    chosen = []
    for suggestion_id in dict.fromkeys(ids):
        suggestion = project.suggestion(suggestion_id, annotator)
        if is_foreign(suggestion.model, annotator):
            raise NotFoundError(f"no suggestion with id {suggestion_id} for {annotator}")
        chosen.append(suggestion)
    return chosen


def _accept(project: Any, ids: list[int], documents: list[int] | None, annotator: str) -> str:
    """Accept by id (each resolving its competitors) or every pending one of the documents
    (as Accept All), in one transaction; what was done, as a sentence."""
    from annotator.core.commands import (
        AcceptSuggestionCommand,
        AcceptSuggestionsCommand,
        StartDocument,
    )

    accepted = resolved = 0
    with project.transaction():
        if documents:
            by_document: dict[int, list[int]] = {}
            for s in _pending(project, documents, annotator):
                by_document.setdefault(s.document_id, []).append(s.id)
            for doc, chosen in by_document.items():
                start = StartDocument(doc, annotator)
                AcceptSuggestionsCommand(tuple(chosen), annotator, start_document=start).apply(
                    project
                )
                accepted += len(chosen)
        else:
            for s in _chosen(project, ids, annotator):
                command = AcceptSuggestionCommand(
                    s.id, annotator, StartDocument(s.document_id, annotator)
                )
                command.apply(project)
                accepted += 1
                resolved += len(command.resolved)
    also = f"; {resolved} competing suggestion(s) decided with them" if resolved else ""
    return f"accepted {accepted} suggestion(s) as {annotator}'s spans{also}"


def _reject(project: Any, ids: list[int], documents: list[int] | None, annotator: str) -> str:
    """Reject by id or every pending one of the documents, in one transaction."""
    from annotator.core.commands import RejectSuggestionCommand

    with project.transaction():
        chosen = (
            _pending(project, documents, annotator)
            if documents
            else _chosen(project, ids, annotator)
        )
        for s in chosen:
            RejectSuggestionCommand(s.id, annotator).apply(project)
    return f"rejected {len(chosen)} suggestion(s) for {annotator}"
