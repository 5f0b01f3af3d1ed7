"""`--help` explains everything: every option and argument of every command has help text, and
`export --help` names every format (issue 19, item 10)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from annotator.cli.main import build_parser
from annotator.io.export_options import export_formats


def _parsers(
    parser: argparse.ArgumentParser, path: str = "annotator"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """(command line so far, parser) for the parser and every sub-command parser below it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, f"{path} {name}")


def _subcommand(*names: str) -> argparse.ArgumentParser:
    found = dict(_parsers(build_parser()))
    return found[" ".join(["annotator", *names])]


def test_every_option_and_argument_of_every_command_has_help():
    missing = []
    commands = 0
    for path, parser in _parsers(build_parser()):
        commands += 1
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                listed = {choice.dest for choice in action._choices_actions}
                missing += [f"{path} {name}" for name in action.choices if name not in listed]
            elif not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert commands > 20  # every sub-command and its actions were walked
    assert missing == []


def test_export_help_names_every_format_including_csv_excel():
    text = " ".join(_subcommand("export").format_help().split())
    assert "csv-excel" in export_formats()
    listed = text.split("--format FORMAT the export format: ", 1)[1].split(" --out", 1)[0]
    assert listed.split(", ") == list(export_formats())


@pytest.mark.parametrize("command", ["docs", "stats", "agreement"])
def test_output_format_options_say_what_they_choose(command):
    text = " ".join(_subcommand(command).format_help().split())
    assert "--format {table,json" in text and "how to print it: table, json" in text
