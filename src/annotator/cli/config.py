"""The CLI's `config` command: show or set the project's suggestion settings by name."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project
from annotator.core.errors import AnnotatorError

CONFIG_HELP = """\
Show the project's settings, or one of them, or set one:
  min-precision  a suggestion is shown unless its precision is reliably below this (0 to 1;
                 0 shows every suggestion; default 0.6). Precision is calibrated per suggester,
                 label and score from the decisions taken and the project model's held-out
                 evaluation: with few decisions it stays near the suggester's own score."""


def register(commands: Any) -> None:
    """Register `config` on the sub-command parsers."""
    config = commands.add_parser(
        "config",
        help="show or set project settings (min-precision)",
        description=CONFIG_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    config.add_argument("name", nargs="?", choices=["min-precision"], help="the setting")
    config.add_argument("value", nargs="?", help="the value to set")
    config.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Set the named setting when a value is given, then print the settings asked for."""
    from annotator.nlp.calibration import MIN_PRECISION_SETTING, min_precision, save_min_precision

    with open_project(args) as project:
        if args.value is not None:
            save_min_precision(project, _fraction(args.value))
        stored = project.get_setting(MIN_PRECISION_SETTING) is not None
        value = min_precision(project)
    print(f"min-precision: {value:g}" + ("" if stored else " (the default)"))
    return EXIT_OK


def _fraction(text: str) -> float:
    """A number from 0 to 1, or AnnotatorError saying so."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise AnnotatorError(f"min-precision: {text!r} is not a number from 0 to 1")
    return value
