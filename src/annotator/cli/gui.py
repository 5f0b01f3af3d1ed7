"""The CLI's `gui` command (also what runs without a command): open the desktop app."""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    """Register `gui` on the sub-command parsers."""
    gui = commands.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Open the app on --db (or the default project); returns when the window closes."""
    from annotator.core.errors import AnnotatorError
    from annotator.display import missing_display

    problem = missing_display()
    if problem:
        raise AnnotatorError(problem)
    # storage (SQLAlchemy) before PySide6: PySide6's import hook reads the source of every
    # module imported after it (30-70 ms of a launch for SQLAlchemy's)
    import annotator.core.project  # noqa: F401
    from annotator.ui.app import run as run_app

    return run_app(getattr(args, "db", None))
