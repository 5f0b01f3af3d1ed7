"""The CLI's `language` command: show or set the project's language, whose tokenizer rules the
token exports (spacy, conll, hf) apply."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.common import EXIT_OK, open_project

LANGUAGE_HELP = """\
The token exports (spacy, conll, hf) cut each text into tokens by spaCy's rules for the
project's language (a code such as en, de, fr; the default is en). Chinese, Japanese and Korean
are recognised by their characters in any project: every Han or Kana character is a token, a
Korean word is cut where a span starts or ends inside it, and a document written mostly in CJK
without spaces gets a token per Hangul syllable too. So zh, ja and ko only choose the
multi-language rules for the rest of the text."""


def register(commands: Any) -> None:
    """Register `language` on the sub-command parsers."""
    language = commands.add_parser(
        "language", help="show or set the project's language", description=LANGUAGE_HELP
    )
    language.add_argument("code", nargs="?", metavar="CODE", help="the language to set, e.g. de")
    language.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Set the language when one is given (refused if spaCy cannot tokenise it), then print the
    language that applies."""
    from annotator.core.language import LANGUAGE_SETTING, project_language
    from annotator.nlp.languages import check_language

    with open_project(args) as project:
        if args.code is not None:
            project.set_setting(LANGUAGE_SETTING, check_language(args.code))
        stored = project.get_setting(LANGUAGE_SETTING) is not None
        print(f"language: {project_language(project)}" + ("" if stored else " (the default)"))
    return EXIT_OK
