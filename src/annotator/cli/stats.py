"""The CLI's `stats` command: counts of documents, spans, progress and suggester quality (span
suggesters, and the relation learner per type)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from annotator.cli.common import EXIT_OK, FORMAT_HELP, open_project, print_json
from annotator.core.model import Status
from annotator.terminal import table


def register(commands: Any) -> None:
    """Register `stats` on the sub-command parsers."""
    stats = commands.add_parser("stats", help="counts of documents, spans and progress")
    stats.add_argument("--format", choices=["table", "json"], default="table", help=FORMAT_HELP)
    stats.add_argument(
        "--annotator",
        help="whose suggestion decisions the suggester precision counts (default: everyone's)",
    )
    stats.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the project's counts, per label, per annotator and per suggester."""
    with open_project(args) as project:
        stats = project.stats()
        quality = project.suggester_quality(args.annotator)
        relation_quality = project.relation_suggester_quality(args.annotator)
    if args.format == "json":
        print_json(
            {
                **asdict(stats),
                "suggesters": [_quality_dict(q) for q in quality],
                "relation_suggesters": [_quality_dict(q) for q in relation_quality],
            }
        )
        return EXIT_OK
    print(f"documents: {stats.documents} ({stats.characters:,} characters)")
    print(f"spans: {stats.spans}\n")
    print(table(["label", "spans"], list(stats.spans_per_label.items())))
    if stats.spans_per_annotator:
        print()
        statuses = [s.value for s in Status if s is not Status.TODO]
        rows = [
            (name, count, *(stats.status_per_annotator.get(name, {}).get(s, 0) for s in statuses))
            for name, count in stats.spans_per_annotator.items()
        ]
        print(table(["annotator", "spans", *statuses], rows))
    if quality:
        print()
        rows = [
            (q.model, q.pending, q.accepted, q.rejected, _ratio(q.precision), _ratio(q.recall))
            for q in quality
        ]
        headers = ["suggester", "pending", "accepted", "rejected", "precision", "recall (gold)"]
        print(table(headers, rows))
    if relation_quality:
        print()
        rows = [
            (q.model, q.type, q.pending, q.accepted, q.rejected, _ratio(q.precision))
            for q in relation_quality
        ]
        print(
            table(
                ["relation suggester", "type", "pending", "accepted", "rejected", "precision"], rows
            )
        )
    return EXIT_OK


def _quality_dict(quality: Any) -> dict[str, Any]:
    """A suggester's decisions, precision (and recall against gold, where measured),
    JSON-ready."""
    found = {**asdict(quality), "precision": quality.precision}
    if hasattr(quality, "recall"):
        found["recall"] = quality.recall
    return found


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
