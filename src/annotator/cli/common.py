"""What every command of the CLI shares: exit codes, the `--db` option, opening the project,
progress on the terminal, JSON output, argument types, and arguments built from the option
definitions of core.options.

Command modules import this module, never `annotator.cli.main` nor each other.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from annotator.core.options import REQUIRED, option_info, option_names
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


DB_HELP = "project file or server URL (default: $ANNOTATOR_DB, else your default project)"


def db_option(parser: argparse.ArgumentParser, help: str = DB_HELP) -> None:
    """Add `--db` to `parser`; it is set only where given, so a later parser keeps it."""
    parser.add_argument("--db", type=db_target, default=argparse.SUPPRESS, help=help)


def db_everywhere(parser: argparse.ArgumentParser) -> None:
    """Give `--db` to `parser` and to every sub-command parser below it that lacks one, so it
    goes at any position (`annotator --db P labels list`, `labels --db P list`, `labels list
    --db P`); without one anywhere, `args.db` is None."""
    parser.set_defaults(db=None)
    for each in _with_subparsers(parser):
        if "--db" not in each._option_string_actions:
            db_option(each)


def _with_subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """`parser` and every parser under it (argparse offers no public walk)."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _with_subparsers(child)


def require_db(parser: argparse.ArgumentParser) -> None:
    """Make `--db` required by `parser`'s command, wherever on the line it is given."""
    parser.set_defaults(db_required_by=parser)


def check_required_db(args: argparse.Namespace) -> None:
    """A usage error (exit 2) when the command requires `--db` and none was given."""
    command = getattr(args, "db_required_by", None)
    if command is not None and args.db is None:
        command.error("the following arguments are required: --db")


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


class LazyChoices:
    """argparse `choices` read on first use (checking a value, printing help or an error), so
    building the parser loads no format registry."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load

    def __contains__(self, value: object) -> bool:
        return value in tuple(self._load())

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._load()))


def add_options(
    parser: argparse.ArgumentParser, options: type, **types: Callable[[str], Any]
) -> None:
    """Add every option of the options dataclass `options` (core.options) to `parser`, with
    the flag, default, help, choices and metavar of that one definition: a yes/no option is a
    flag, one without a default is required. `types` name what reads an option's text (by
    default the type of its default value)."""
    for name in option_names(options):
        info = option_info(options, name)
        if isinstance(info.default, bool):
            parser.add_argument(info.flag, dest=name, action="store_true", help=info.help)
            continue
        given: dict[str, Any] = {"dest": name, "help": info.help, "metavar": info.metavar}
        if info.many:
            given |= {"nargs": "+", "action": "extend"}
        if info.default is REQUIRED:
            given["required"] = True
        elif info.default is not None:
            given["default"] = info.default
            given["help"] += " (default: %(default)s)"
        default_type = (
            None if info.default is REQUIRED or info.default is None else type(info.default)
        )
        given["type"] = types.get(name, default_type)
        if info.choices is not None:
            given["choices"] = LazyChoices(info.choices)
            given["help"] += ": %(choices)s"
        parser.add_argument(info.flag, **given)


def options_from(args: argparse.Namespace, options: type[T], **read: Any) -> T:
    """The options dataclass `options` filled from parsed `args`, `read` taking precedence
    (values that need more than argparse to read, such as a split's fractions)."""
    return options(**{name: getattr(args, name) for name in option_names(options)} | read)


FORMAT_HELP = "how to print it: %(choices)s (default: %(default)s)"
"""The help of a `--format` option that chooses the output's form (table, json, ...)."""


def print_json(data: object) -> None:
    """`data` as indented JSON on stdout (non-ASCII kept as is)."""
    print(json.dumps(data, ensure_ascii=False, indent=1))


def print_json_list(items: Iterable[object]) -> None:
    """The items as print_json prints their list, each written as it comes (a list of any
    length is never held whole)."""
    opened = False
    for item in items:
        lines = json.dumps(item, ensure_ascii=False, indent=1).splitlines()
        sys.stdout.write(("," if opened else "[") + "\n " + "\n ".join(lines))
        opened = True
    sys.stdout.write("\n]\n" if opened else "[]\n")


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
