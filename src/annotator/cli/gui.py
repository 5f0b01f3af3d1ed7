"""The CLI's `gui` command (also what runs without a command): open the desktop app, after
asking whether there is a screen to open it on (Qt aborts the process with a misleading
"libxcb-cursor0 is needed" message when no display is set)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

NO_DISPLAY = (
    "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start "
    "annotator from a desktop session, or use its command line (annotator --help)"
)


def register(commands: Any) -> None:
    """Register `gui` on the sub-command parsers."""
    gui = commands.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Open the app on --db (or the default project); returns when the window closes."""
    from annotator.core.errors import AnnotatorError

    problem = missing_display()
    if problem:
        raise AnnotatorError(problem)
    # storage (SQLAlchemy) before PySide6: PySide6's import hook reads the source of every
    # module imported after it (30-70 ms of a launch for SQLAlchemy's)
    import annotator.core.project  # noqa: F401
    from annotator.ui.app import run as run_app

    return run_app(getattr(args, "db", None))


def missing_display(environ: Mapping[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the app cannot show a window here ("" when it can, or when Qt's platform is chosen
    explicitly with QT_QPA_PLATFORM, e.g. offscreen). Only Linux and BSD need a display server."""
    env = os.environ if environ is None else environ
    if not platform.startswith(("linux", "freebsd", "openbsd")) or env.get("QT_QPA_PLATFORM"):
        return ""
    return "" if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") else NO_DISPLAY
