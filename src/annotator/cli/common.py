"""What every command of the CLI shares: exit codes, the `--db` option, opening the project,
progress on the terminal, JSON output and argument types.

Command modules import this module, never `annotator.cli.main` nor each other.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from annotator.terminal import TerminalProgress

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


def default_annotator() -> str:
    """Who is annotating: ANNOTATOR_USER, else the login name."""
    try:
        return os.environ.get("ANNOTATOR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def db_target(value: str) -> Path | str:
    """A --db value: a project file path, or a server URL kept as typed (postgresql://...)."""
    from annotator.core.storage.engine import is_url

    return value if is_url(value) else Path(value)


def db_option(parser: argparse.ArgumentParser) -> None:
    """Add `--db` to a command's parser."""
    parser.add_argument(
        "--db",
        type=db_target,
        default=None,
        help="project file or server URL (default: $ANNOTATOR_DB, else your default project)",
    )


def open_project(args: argparse.Namespace):
    """The project named by --db, or the default project (made, with samples, on first use)."""
    from annotator.core.project import Project
    from annotator.core.samples import open_default_project

    if args.db is None:
        return open_default_project()
    return Project.open(args.db)


def run_with_progress(
    args: argparse.Namespace, doing: str, task: Callable[..., T], *task_args: Any, **options: Any
) -> T:
    """`task(project, *task_args, **options)` on the --db project, with a terminal progress bar."""
    with open_project(args) as project:
        return task(project, *task_args, progress=TerminalProgress(doing), **options)


def print_json(data: object) -> None:
    """`data` as indented JSON on stdout (non-ASCII kept as is)."""
    print(json.dumps(data, ensure_ascii=False, indent=1))


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


class StoppableProgress(TerminalProgress):
    """A terminal progress bar whose `cancelled()` turns true at the first Ctrl+C."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.stopped = False

    def cancelled(self) -> bool:
        return self.stopped

    @contextmanager
    def stopping_on_interrupt(self) -> Iterator[StoppableProgress]:
        """While inside, Ctrl+C asks the task to stop; a second Ctrl+C interrupts at once."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.getsignal(signal.SIGINT) or signal.default_int_handler

        def on_interrupt(signum: int, frame: object) -> None:
            self.stopped = True
            signal.signal(signal.SIGINT, previous)
            lead = "\n" if self.enabled else ""
            self.stream.write(f"{lead}stopping after the current batch (Ctrl+C again: at once)\n")
            self.stream.flush()

        signal.signal(signal.SIGINT, on_interrupt)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)
