"""The CLI's `agreement` command: inter-annotator agreement as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from annotator.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    FORMAT_HELP,
    open_project,
    positive,
    print_json,
)
from annotator.terminal import TerminalProgress, table

if TYPE_CHECKING:
    from annotator.core.agreement import AgreementReport
    from annotator.core.agreement_spans import MatchCounts

AGREEMENT_HELP = """\
Inter-annotator agreement over the documents every chosen annotator marked done (default: every
annotator but gold). Span level, per pair: exact and overlap (same label, sharing a character,
one to one) precision, recall and F1, the first annotator being the reference. Relations, per
type: precision, recall and F1 of exact matches (the type and both spans' labels and extents;
a symmetric type's two spans in either order). Token level
(regex tokens, "O" outside spans): Cohen's kappa per pair and Krippendorff's alpha (nominal)
across all. Also a label confusion matrix and the documents with the lowest agreement. Exit 1
when fewer than two annotators share finished documents."""
PAIR_COLUMNS = ("first", "second", "exact P", "exact R", "exact F1")
PAIR_COLUMNS += ("overlap P", "overlap R", "overlap F1", "kappa")
CSV_COLUMNS = ("section", "first", "second", "label", "document", "metric", "value")


def register(commands: Any) -> None:
    """Register `agreement` on the sub-command parsers."""
    agreement = commands.add_parser(
        "agreement", help="inter-annotator agreement", description=AGREEMENT_HELP
    )
    agreement.add_argument(
        "--annotators", nargs="+", metavar="NAME", help="whom to compare (default: all but gold)"
    )
    agreement.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help=FORMAT_HELP
    )
    agreement.add_argument(
        "--lowest", type=positive, default=10, metavar="N", help="documents to list (10)"
    )
    agreement.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute agreement on the shared done documents and print it (exit 1 when none)."""
    from annotator.core.agreement_project import project_agreement

    with open_project(args) as project:
        report = project_agreement(project, args.annotators, progress=TerminalProgress("agreement"))
    if not report.documents:
        print(
            "annotator: fewer than two annotators share finished documents: "
            f"no document is marked done by all of {', '.join(report.annotators)} "
            "(choose others with --annotators)",
            file=sys.stderr,
        )
        return EXIT_DATA
    if args.format == "json":
        print_json(report.to_dict(args.lowest))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_rows(report, args.lowest))
    else:
        print(agreement_tables(report, args.lowest))
    return EXIT_OK


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def agreement_tables(report: AgreementReport, lowest: int = 10) -> str:
    """The report as plain-text tables: pairs, labels, confusion, lowest documents."""
    parts = [
        f"{report.documents} document(s) finished by all of {', '.join(report.annotators)}; "
        f"{report.units} token(s) each. Krippendorff's alpha (nominal, tokens): "
        f"{_score(report.alpha)}",
        "",
        table(
            PAIR_COLUMNS,
            [
                (p.first, p.second, *_prf(p.exact_total), *_prf(p.overlap_total), _score(p.kappa))
                for p in report.pairs
            ],
        ),
        "",
        table(
            ["label", "exact F1", "overlap F1", "matched", "unmatched"],
            [
                (label, _score(exact.f1), _score(overlap.f1), overlap.tp, overlap.fp + overlap.fn)
                for label, exact, overlap in report.label_rows()
            ],
        ),
    ]
    relation_rows = report.relation_rows()
    if relation_rows:
        rows = [(name, *_prf(c), c.tp, c.fp + c.fn) for name, c in relation_rows]
        columns = ["relation type", "P", "R", "F1", "matched", "unmatched"]
        parts += ["", "relations (exact: type and both spans):", table(columns, rows)]
    if report.confusion:
        names = sorted({x for x, _ in report.confusion})
        rows = [[x, *(report.confusion.get((x, y), 0) for y in names)] for x in names]
        parts += ["", "token label confusion (ordered annotator pairs):", table(["", *names], rows)]
    rows = [(d.id, d.title, _score(d.overlap_f1), _score(d.kappa), d.spans) for d in report.ranked]
    parts += [
        "",
        "lowest agreement:",
        table(["id", "title", "overlap F1", "kappa", "spans"], rows[:lowest]),
    ]
    return "\n".join(parts)


def _prf(counts: MatchCounts) -> tuple[str, str, str]:
    return _score(counts.precision), _score(counts.recall), _score(counts.f1)


def csv_rows(report: AgreementReport, lowest: int = 10) -> Iterator[tuple[Any, ...]]:
    """The report in long form, one figure per row; first/second are annotators in pair rows
    and labels in confusion rows."""
    from annotator.core.agreement import ALL
    from annotator.core.agreement_spans import EXACT, OVERLAP, round4

    yield ("summary", "", "", "", "", "documents", report.documents)
    yield ("summary", "", "", "", "", "units", report.units)
    yield ("summary", "", "", "", "", "alpha", round4(report.alpha))
    for p in report.pairs:
        yield ("pair", p.first, p.second, "", "", "kappa", round4(p.kappa))
        for mode in (EXACT, OVERLAP):
            counts = {**getattr(p, mode), ALL: getattr(p, f"{mode}_total")}
            for label, c in counts.items():
                for metric, value in c.to_dict().items():
                    yield ("pair", p.first, p.second, label, "", f"{mode} {metric}", value)
        relations = {**p.relations, ALL: p.relations_total} if p.relations else {}
        for name, c in relations.items():
            for metric, value in c.to_dict().items():
                yield ("pair", p.first, p.second, name, "", f"relation {metric}", value)
    for (x, y), n in report.confusion.items():
        yield ("confusion", x, y, "", "", "tokens", n)
    for d in report.ranked[:lowest]:
        yield ("document", "", "", "", d.id, "overlap f1", round4(d.overlap_f1))
        yield ("document", "", "", "", d.id, "kappa", round4(d.kappa))
