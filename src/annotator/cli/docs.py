"""The CLI's `docs` command: list documents, as a table or JSON."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from annotator.cli.common import EXIT_OK, FORMAT_HELP, open_project, print_json_list
from annotator.core.labelrules import normal_name
from annotator.core.model import DocumentSummary, Status
from annotator.terminal import table_lines


def register(commands: Any) -> None:
    """Register `docs` on the sub-command parsers."""
    docs = commands.add_parser("docs", help="list documents")
    docs.add_argument(
        "--status", choices=[s.value for s in Status], help="only documents with this status"
    )
    docs.add_argument("--label", type=normal_name, help="only documents with a span of this label")
    docs.add_argument(
        "--search", metavar="TEXT", help="words found in the title, text, source or date"
    )
    docs.add_argument(
        "--annotator", type=normal_name, help="whose status and spans to show (default: everyone)"
    )
    docs.add_argument("--limit", type=int, metavar="N", help="list at most N documents")
    docs.add_argument(
        "--offset", type=int, default=0, metavar="N", help="skip the first N (default: 0)"
    )
    docs.add_argument("--format", choices=["table", "json"], default="table", help=FORMAT_HELP)
    docs.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the documents that match the filters, as they are read (one snapshot)."""
    from annotator.core.project import DocumentFilter

    where = DocumentFilter(args.annotator, args.status, args.label, args.search)
    with open_project(args) as project, project.snapshot():

        def rows() -> Iterator[DocumentSummary]:
            return project.iter_summaries(where, offset=args.offset, limit=args.limit)

        if args.format == "json":
            print_json_list(asdict(row) for row in rows())
            return EXIT_OK

        def cells() -> Iterator[Sequence[object]]:
            return ((r.id, r.status.value, r.span_count, r.length, r.date, r.title) for r in rows())

        headers = ["id", "status", "spans", "chars", "date", "title"]
        for line in table_lines(headers, cells):
            print(line)
    return EXIT_OK
