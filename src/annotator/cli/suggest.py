"""The CLI's `suggest` command: pre-annotate, or --status.

spaCy is imported only when it runs (through annotator.nlp), never by `annotator.cli`.
The first Ctrl+C stops a run after the current batch (what is stored stays); a second one
interrupts at once.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from annotator.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    StoppableProgress,
    default_annotator,
    open_project,
    positive,
)
from annotator.core.errors import AnnotatorError
from annotator.core.labelrules import normal_name

SUGGEST_HELP = """\
Pre-annotate documents: store suggestions to accept or reject later (in the app, or export
them with `annotator export --layer suggestions`). Without --model the project's available
suggesters run in their configured order (lexicon, project model, pipeline); unavailable ones
are named with the reason. The lexicon learns from the annotator's own spans and the gold
layer (every annotator's when the project setting says so), and documents the annotator
marked done are left alone unless --include-done. Resumable: documents a suggester already
went through are skipped unless --redo, except where the lexicon's phrases (spans marked
since, term lists) changed since: those are suggested again, keeping every decision. Ctrl+C
stops after the current batch and keeps what was stored (exit 1); run the same command again
to resume. `--status` lists every suggester, available or not and why, and changes nothing."""


def register(commands: Any) -> None:
    """Register `suggest` on the sub-command parsers."""
    suggest = commands.add_parser(
        "suggest", help="pre-annotate documents (writes suggestions)", description=SUGGEST_HELP
    )
    suggest.add_argument(
        "--model",
        metavar="NAME|PATH",
        help="run only this spaCy pipeline (package name or folder), mapped by the label map",
    )
    which = suggest.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every document (the default)")
    which.add_argument(
        "--doc", type=int, nargs="+", action="extend", metavar="ID", help="only these documents"
    )
    suggest.add_argument(
        "--redo", action="store_true", help="suggest again where suggestions are pending"
    )
    suggest.add_argument(
        "--annotator",
        type=normal_name,
        help="whose spans the lexicon learns from and whose done documents are left alone "
        "(default: ANNOTATOR_USER, else the login name)",
    )
    suggest.add_argument(
        "--include-done",
        action="store_true",
        help="also suggest in documents the annotator marked done",
    )
    suggest.add_argument(
        "--batch-size", type=positive, default=64, metavar="N", help="documents per batch (64)"
    )
    suggest.add_argument(
        "--status", action="store_true", help="list the suggesters and whether each can run"
    )
    suggest.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Store suggestions (resumable; Ctrl+C stops after a batch), or list the suggesters."""
    from annotator.nlp.runner import suggest_documents

    annotator = args.annotator or normal_name(default_annotator())
    with open_project(args) as project:
        location = project.location
        if args.status:
            _print_status(_every_suggester(project, args.model, annotator))
            return EXIT_OK
        chosen = _suggesters_for(project, args.model, annotator)
    if not chosen:
        print("nothing to suggest yet: mark a span, load a term list or train the project model")
        return EXIT_OK
    progress = StoppableProgress("suggesting")
    try:
        with progress.stopping_on_interrupt():
            report = suggest_documents(
                location,
                args.doc,
                chosen,
                batch_size=args.batch_size,
                redo=args.redo,
                annotator=annotator,
                include_done=args.include_done,
                progress=progress,
            )
    except KeyboardInterrupt:
        print(f"annotator: interrupted; {_resume_hint(args)}", file=sys.stderr)
        return EXIT_DATA
    _print_summary(report)
    if report.cancelled:
        print(f"annotator: stopped; {_resume_hint(args)}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def _print_summary(report: Any) -> None:
    """Documents gone through, then suggestions stored and documents skipped per suggester
    (names in full: a pipeline's name holds its path), the documents suggested again
    because a lexicon changed, and the suggestions hidden below the minimum precision."""
    print(f"went through {report.documents} of {report.total} document(s)")
    if report.done_skipped:
        print(f"left alone {report.done_skipped} document(s) marked done (--include-done)")
    for name in report.suggesters:
        if report.outdated[name]:
            print(
                f"{name}: suggested {report.outdated[name]} document(s) again: its phrases "
                "changed since they were suggested (decisions kept)"
            )
    width = max(len("suggester"), *(len(name) for name in report.suggesters))
    print(f"{'suggester':<{width}}  suggestions  skipped (already suggested)")
    for name in report.suggesters:
        print(f"{name:<{width}}  {report.stored[name]:>11}  {report.skipped[name]:>27}")
    for name in report.suggesters:
        if report.hidden[name]:
            print(
                f"{name}: hid {report.hidden[name]} suggestion(s) whose precision is reliably "
                "below the project's minimum (annotator config min-precision)"
            )


def _every_suggester(project: Any, model: str | None, annotator: str) -> list:
    """Every suggester kind in the configured order; with --model, that pipeline instead."""
    from annotator.nlp.runner import all_suggesters
    from annotator.nlp.suggesters import PIPELINE, kind_of

    every = all_suggesters(project, annotator)
    if model is None:
        return every
    return [s for s in every if kind_of(s.name) != PIPELINE] + [_pipeline(project, model)]


def _suggesters_for(project: Any, model: str | None, annotator: str) -> list:
    """The --model pipeline (exit 1 with the hint when it cannot run), or the available
    suggesters in order, naming the unavailable ones on stderr (a pretrained pipeline only
    when the project chose one: the default one missing is no news on every run); none when
    nothing can be suggested yet."""
    if model is not None:
        pipeline = _pipeline(project, model)
        if not pipeline.available():
            raise AnnotatorError(f"--model {model}: {pipeline.unavailable_reason()}")
        return [pipeline]
    every = _every_suggester(project, None, annotator)
    for suggester in every:
        if not suggester.available() and _worth_telling(project, suggester):
            print(f"not used: {suggester.name}: {suggester.unavailable_reason()}", file=sys.stderr)
    return [s for s in every if s.available()]


def _worth_telling(project: Any, suggester: Any) -> bool:
    """Whether to say why `suggester` cannot run: always, but for the default pretrained
    pipeline when the project never chose one (in Suggestion Settings)."""
    from annotator.nlp.pretrained import PIPELINE_SETTING
    from annotator.nlp.suggesters import PIPELINE, kind_of

    return kind_of(suggester.name) != PIPELINE or bool(project.get_setting(PIPELINE_SETTING))


def _pipeline(project: Any, model: str):
    from annotator.nlp.labelmap import label_map_for
    from annotator.nlp.pretrained import PipelineSuggester

    return PipelineSuggester(model, label_map_for(project))


def _print_status(suggesters: list) -> None:
    """One line per suggester, in the order they run (the first wins identical suggestions)."""
    width = max(len(s.name) for s in suggesters)
    for suggester in suggesters:
        if suggester.available():
            state = "available" + _detail(suggester)
        else:
            state = f"unavailable: {suggester.unavailable_reason()}"
        print(f"{suggester.name:<{width}}  {state}")


def _detail(suggester: Any) -> str:
    """What an available suggester works from, briefly."""
    if hasattr(suggester, "patterns"):
        return f" ({len(suggester.patterns)} phrase(s))"
    if hasattr(suggester, "label_map"):
        pairs = ", ".join(f"{k}->{v}" for k, v in sorted(suggester.label_map.items()))
        return f" (label map: {pairs})"
    if getattr(suggester, "path", None) is not None:
        return f" ({suggester.path}, threshold {suggester.threshold:g})"
    return ""


def _resume_hint(args: argparse.Namespace) -> str:
    """What was stored stays; the command that resumes the run."""
    words = ["annotator", "suggest"]
    if args.db is not None:
        words += ["--db", str(args.db)]
    if args.annotator is not None:
        words += ["--annotator", args.annotator]
    if args.model is not None:
        words += ["--model", args.model]
    if args.doc:
        words += ["--doc", *map(str, args.doc)]
    return (
        f"the suggestions stored so far stay; run `{shlex.join(words)}` (without --redo) "
        "to resume: documents already done are skipped"
    )
