"""The CLI's `train` command: train the project's suggestion model, print its scores."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import (
    EXIT_OK,
    StoppableProgress,
    add_options,
    open_project,
    options_from,
)
from annotator.core.errors import AnnotatorError
from annotator.core.layer_names import GOLD, SUGGESTIONS, no_gold_layer
from annotator.nlp.train_options import TrainOptions
from annotator.nlp.trainconfig import MIN_STEPS
from annotator.terminal import table

TRAIN_HELP = """\
Train the project's suggestion model (a spaCy span categorizer; with --ner also an NER) on a
layer, holding out documents to score it. Prints precision, recall and F1 per label and where
the model was saved (default: inside the project's data folder); suggestions use it from then
on. Exit 1 when the layer has nothing to learn from or NER cannot represent the data."""


def register(commands: Any) -> None:
    """Register `train` on the sub-command parsers."""
    train = commands.add_parser(
        "train", help="train the project's suggestion model", description=TRAIN_HELP
    )
    train.add_argument("--out", type=Path, metavar="DIR", help="where to save the model")
    add_options(train, TrainOptions, holdout=_fraction, max_steps=_steps)
    train.set_defaults(run=run)


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (exclusive), not {value}")
    return value


def _steps(text: str) -> int:
    value = int(text)
    if value < MIN_STEPS:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_STEPS}, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    """Train on the layer (Ctrl+C stops; nothing saved) and print the scores."""
    from annotator.nlp.training import train_project_model

    if args.layer == SUGGESTIONS:
        raise AnnotatorError(
            "train learns from people's spans, not suggestions: choose --layer gold, all, "
            "majority or an annotator"
        )
    progress = StoppableProgress("training")
    with open_project(args) as project, progress.stopping_on_interrupt():
        if args.layer == GOLD and not any(a.is_gold for a in project.annotators()):
            raise AnnotatorError(no_gold_layer("train"))
        options = options_from(args, TrainOptions)
        report = train_project_model(project, options, out_dir=args.out, progress=progress)
    _print_training(report)
    return EXIT_OK


def _print_training(report: Any) -> None:
    print(
        f"trained on {report.train_documents} document(s) of layer {report.layer!r}, scored on "
        f"{report.dev_documents} held out: {report.steps} steps in {report.seconds:.1f} s"
    )
    rows = [
        (
            "all" if name == "ALL" else name,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            score.tp + score.fn,
            score.tp + score.fp,
        )
        for name, score in sorted(report.scores.items(), key=lambda kv: kv[0] == "ALL")
    ]
    print(table(["label", "precision", "recall", "f1", "gold", "predicted"], rows))
    adjusted = {k: v for k, v in report.stats.alignment.items() if k != "strict" and v}
    if adjusted:
        counts = ", ".join(f"{kind} {n}" for kind, n in sorted(adjusted.items()))
        print(f"spans not on token boundaries: {counts} (details in metrics.json)")
    ner = report.metrics.get("ner")
    if ner:
        print(
            f"NER: {ner['entities']} entities; {ner['dropped_overlapping']} overlapping span(s) "
            "left to the span categorizer"
        )
    print(f"saved the model to {report.path} ({report.date}); suggestions use it from now on")
