"""The command line as a package: `main` runs it; `common` holds what the commands share and
every other module is one command (see `annotator.cli.main`)."""

from annotator.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
