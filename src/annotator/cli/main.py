"""The command line: `annotator COMMAND ...`; Qt loads only for `gui`.

Exit codes: 0 success, 1 input or data error (message on stderr, database unchanged),
2 usage error. Each command is a module of this package with `register(commands)`, which adds
its parser and sets `run`; COMMANDS lists them in the order `--help` shows.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.cli import (
    agreement,
    config,
    copy,
    decide,
    docs,
    export,
    gold,
    gui,
    import_,
    init,
    labelmap,
    labels,
    language,
    merge,
    relations,
    stats,
    suggest,
    sync,
    terms,
    train,
)
from annotator.cli.common import EXIT_DATA, check_required_db, db_everywhere
from annotator.core.errors import AnnotatorError

COMMANDS = (
    gui,
    init,
    labels,
    relations,
    labelmap,
    language,
    terms,
    import_,
    docs,
    stats,
    export,
    gold,
    suggest,
    decide,
    train,
    config,
    agreement,
    merge,
    copy,
    sync,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Highlight, tag and export spans in articles, offline.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check the installation in a temporary project (one line per step), then exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(commands)
    db_everywhere(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    gc.disable()  # start-up imports allocate much and free little: collecting is wasted time
    from annotator.nlp.formats import register_formats

    register_formats()  # the spaCy-backed formats join io's registries before --format is checked
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        check_required_db(args)
    except BaseException:  # --help, --version, a usage error
        gc.enable()
        raise
    if args.selftest or args.command not in (None, "gui"):
        gc.enable()  # the gui resumes it once its window shows (ui.app.run)
    if args.selftest:
        from annotator.selftest import run_selftest

        return run_selftest()
    run = getattr(args, "run", gui.run)
    try:
        return run(args)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("annotator: interrupted; nothing was stored", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # whoever read the output stopped early (`annotator docs | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet exit flush
        return EXIT_DATA
