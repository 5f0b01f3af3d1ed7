"""The CLI's `init` command: create a new project file (or server project)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.common import EXIT_OK, db_option, require_db


def register(commands: Any) -> None:
    """Register `init` on the sub-command parsers."""
    init = commands.add_parser("init", help="create a new project file")
    db_option(init, help="where to create the project (file or URL)")
    require_db(init)
    init.add_argument(
        "--labels",
        type=Path,
        help="schema JSON: labels and relation types (default: ACTOR, ..., BUYS, ...)",
    )
    init.add_argument("--samples", action="store_true", help="add the sample articles")
    init.add_argument(
        "--language",
        metavar="CODE",
        help="the texts' language, e.g. de (default: en; see `annotator language --help`)",
    )
    init.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Create the project, optionally with the sample articles, and name its labels."""
    from annotator.core.language import LANGUAGE_SETTING
    from annotator.core.project import Project
    from annotator.core.samples import add_samples
    from annotator.core.schema import read_schema
    from annotator.nlp.languages import check_language

    schema = read_schema(args.labels) if args.labels else None
    language = check_language(args.language) if args.language else None
    labels, relation_types = (schema.labels, schema.relations) if schema else (None, [])
    with Project.create(args.db, labels, relation_types) as project:
        if language:
            project.set_setting(LANGUAGE_SETTING, language)
        if args.samples:
            add_samples(project)
        names = ", ".join(label.name for label in project.labels())
        kinds = ", ".join(kind.name for kind in project.relation_types())
        with_kinds = f"; relation types {kinds}" if kinds else ""
        in_language = f"; language {language}" if language else ""
        print(f"created {project.location} with labels {names}{with_kinds}{in_language}")
    return EXIT_OK
