"""Options a user chooses, each defined once: a frozen dataclass whose fields carry the default,
the help text and the choices. The CLI builds its arguments from it, the dialogs their initial
values, and the core functions their defaults, so none is written twice.

    @dataclass(frozen=True, slots=True)
    class Choices:
        seed: int = option(0, "seed of the split", metavar="N")
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

REQUIRED: Any = dataclasses.MISSING
"""The default of an option that has none (the CLI makes it a required argument)."""


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """One option as a user is told about it."""

    name: str
    default: Any  # REQUIRED when it has none
    help: str
    choices: Callable[[], Sequence[str]] | None  # read when asked: a registry may fill it
    metavar: str | None
    flag: str  # on the command line, e.g. --max-steps
    many: bool = False  # the CLI takes one or more values (a tuple)


def option(
    default: Any = REQUIRED,
    help: str = "",
    *,
    choices: Callable[[], Sequence[str]] | None = None,
    metavar: str | None = None,
    flag: str | None = None,
    many: bool = False,
) -> Any:
    """A dataclass field with its default and what a user is told about it: `help`, the
    `choices` (a function returning them), the CLI's `metavar` and `flag` (default: `--name`
    with dashes), and whether the CLI takes `many` values for it (`--doc 3 5`)."""
    about = {"help": help, "choices": choices, "metavar": metavar, "flag": flag, "many": many}
    return dataclasses.field(default=default, metadata={"option": about})


def option_info(options: type, name: str) -> OptionInfo:
    """Option `name` of the options dataclass `options`."""
    (found,) = (f for f in dataclasses.fields(options) if f.name == name)
    about = found.metadata["option"]
    flag = about["flag"] or "--" + name.replace("_", "-")
    return OptionInfo(
        name, found.default, about["help"], about["choices"], about["metavar"], flag, about["many"]
    )


def option_names(options: type) -> list[str]:
    """The names of every option of the options dataclass `options`, in order."""
    return [f.name for f in dataclasses.fields(options)]
