"""The CLI's `stats` command: counts of documents, spans, progress and suggester quality (span
suggesters, and the relation learner per type)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from annotator.cli.common import EXIT_OK, FORMAT_HELP, open_project, print_json
from annotator.core.calibration import BINS
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
    stats.add_argument(
        "--by-label",
        action="store_true",
        help="suggester precision in use and recall per label, beside the project model's "
        "held-out figures, and the calibrated precision per label, score and extent shape",
    )
    stats.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the project's counts, per label, per annotator and per suggester."""
    from annotator.nlp.calibration import held_out_precision, project_calibration

    with open_project(args) as project:
        stats = project.stats()
        quality = project.suggester_quality(args.annotator, by_label=args.by_label)
        relation_quality = project.relation_suggester_quality(args.annotator)
        held_out = held_out_precision(project) if args.by_label else {}
        calibration = project_calibration(project) if args.by_label else None
    if args.format == "json":
        suggesters = [_quality_dict(q) for q in quality]
        extra: dict[str, Any] = {}
        if args.by_label:
            for row, q in zip(suggesters, quality, strict=True):
                row["held_out_precision"] = held_out.get((q.model, q.label))
            extra = _calibration_dict(calibration)
        relations = [_quality_dict(q) for q in relation_quality]
        print_json(
            {**asdict(stats), "suggesters": suggesters, "relation_suggesters": relations, **extra}
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
        if args.by_label:
            rows = [
                (*row[:1], q.label, *row[1:], _ratio(held_out.get((q.model, q.label))))
                for row, q in zip(rows, quality, strict=True)
            ]
            headers = [*headers[:1], "label", *headers[1:], "held-out precision"]
        print(table(headers, rows))
    if calibration is not None:
        _print_calibration(calibration)
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


def _print_calibration(calibration: Any) -> None:
    """The calibrated precision of each place with decisions, and whether it is shown."""
    print(
        f"\nsuggestions are shown unless their precision is reliably below "
        f"{calibration.min_precision:g} (annotator config min-precision)"
    )
    rows = [
        (
            kind,
            label,
            _score_range(at),
            shape,
            f"{a:g}",
            f"{r:g}",
            f"{e.expected:.3f}",
            "yes" if e.shown else "no",
        )
        for (kind, label, at, shape), (a, r), e in calibration.places()
    ]
    if rows:
        headers = ["suggester", "label", "scores", "extent", "accepted", "rejected"]
        print(table([*headers, "calibrated precision", "shown"], rows))


def _calibration_dict(calibration: Any) -> dict[str, Any]:
    """The minimum precision and each place's calibrated precision, JSON-ready."""
    return {
        "min_precision": calibration.min_precision,
        "calibration": [
            {
                "suggester": kind,
                "label": label,
                "scores": _score_range(at),
                "extent": shape,
                "accepted": a,
                "rejected": r,
                "calibrated_precision": round(e.expected, 4),
                "shown": e.shown,
            }
            for (kind, label, at, shape), (a, r), e in calibration.places()
        ],
    }


def _score_range(at: int) -> str:
    """A score bin as the scores it holds: '0.9-1'."""
    return f"{at / BINS:g}-{(at + 1) / BINS:g}"


def _quality_dict(quality: Any) -> dict[str, Any]:
    """A suggester's decisions, precision and recall against gold where measured (and its
    label, when the figures are per label), JSON-ready."""
    fields = {k: v for k, v in asdict(quality).items() if k != "label" or v is not None}
    fields["precision"] = quality.precision
    if hasattr(quality, "recall"):  # relation suggestions have no gold recall
        fields["recall"] = quality.recall
    return fields


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
