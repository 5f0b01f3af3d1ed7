"""The command line: `annotator SUBCOMMAND ...` (DESIGN.md, Contracts). Qt loads only for `gui`.

Exit codes: 0 success, 1 input or data error (message on stderr, database unchanged),
2 usage error.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.labelrules import normal_name
from annotator.core.model import Status

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


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=db_target,
        default=None,
        help="project file or server URL (default: $ANNOTATOR_DB, else your default project)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    from annotator import cli_agreement, cli_lexicon, cli_merge, cli_suggest, cli_sync, cli_train

    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Highlight, tag and export spans in articles, offline.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check the installation in a temporary project (one line per step), then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    _db_option(gui)

    init = sub.add_parser("init", help="create a new project file")
    init.add_argument(
        "--db", type=db_target, required=True, help="where to create the project (file or URL)"
    )
    init.add_argument("--labels", type=Path, help="label schema JSON (default: ACTOR, ...)")
    init.add_argument("--samples", action="store_true", help="add the sample articles")

    labels = sub.add_parser("labels", help="list, add, change or remove labels")
    _db_option(labels)
    lsub = labels.add_subparsers(dest="action", metavar="ACTION")
    lsub.add_parser("list", help="list labels (the default)")
    add = lsub.add_parser("add", help="add a label")
    add.add_argument("name", type=normal_name)
    add.add_argument("--color", help="#RRGGBB (default: next colour-blind-safe colour)")
    add.add_argument("--key", help="hotkey: one of 1-9 or a-z")
    add.add_argument("--description", default="", help="annotation guidelines for the label")
    change = lsub.add_parser("set", help="rename, recolour, re-key or describe a label")
    change.add_argument("name", type=normal_name)
    change.add_argument("--rename", metavar="NEW_NAME", type=normal_name)
    change.add_argument("--color")
    change.add_argument("--key", help="hotkey; 'none' clears it")
    change.add_argument("--description")
    remove = lsub.add_parser("remove", help="remove a label")
    remove.add_argument("name", type=normal_name)
    remove.add_argument("--force", action="store_true", help="also remove the spans using it")
    cli_lexicon.add_parsers(sub, _db_option)

    imp = sub.add_parser("import", help="import files or folders of articles")
    _db_option(imp)
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--format", default="auto", help="auto|txt|md|html|pdf|docx|csv|jsonl|brat|conll|spacy|xmi"
    )
    imp.add_argument(
        "--annotator", type=normal_name, help="layer for spans whose file names no annotator"
    )
    imp.add_argument("--text-column", help="CSV column that holds the text (default: guess)")
    imp.add_argument(
        "--skip-bad", action="store_true", help="store the good files and report the bad ones"
    )

    docs = sub.add_parser("docs", help="list documents")
    _db_option(docs)
    docs.add_argument("--status", choices=[s.value for s in Status])
    docs.add_argument("--label", type=normal_name)
    docs.add_argument("--search", metavar="TEXT")
    docs.add_argument(
        "--annotator", type=normal_name, help="whose status and spans to show (default: everyone)"
    )
    docs.add_argument("--limit", type=int)
    docs.add_argument("--offset", type=int, default=0)
    docs.add_argument("--format", choices=["table", "json"], default="table")

    stats = sub.add_parser("stats", help="counts of documents, spans and progress")
    _db_option(stats)
    stats.add_argument("--format", choices=["table", "json"], default="table")
    stats.add_argument(
        "--annotator",
        help="whose suggestion decisions the suggester precision counts (default: everyone's)",
    )

    exp = sub.add_parser("export", help="export annotations")
    _db_option(exp)
    exp.add_argument("--format", required=True, help="spacy|jsonl|conll|brat|csv|hf|xmi")
    exp.add_argument("--out", required=True, type=Path)
    exp.add_argument(
        "--layer",
        default="all",
        type=normal_name,
        help="gold|ANNOTATOR|all|majority|suggestions",
    )
    exp.add_argument("--only-done", action="store_true", help="only documents marked done")
    exp.add_argument("--labels", metavar="A,B", help="only these labels (default: all)")
    exp.add_argument(
        "--split", metavar="0.8,0.1,0.1", help="train/dev(/test) by document; --out is a folder"
    )
    exp.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    exp.add_argument(
        "--force", action="store_true", help="replace an earlier export of the same format"
    )
    cli_suggest.add_parsers(sub, _db_option)
    cli_train.add_parsers(sub, _db_option)
    cli_agreement.add_parsers(sub, _db_option)
    cli_merge.add_parsers(sub, _db_option)
    cli_sync.add_parsers(sub, _db_option)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    gc.disable()  # start-up imports allocate much and free little: collecting is wasted time
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except BaseException:  # --help, --version, a usage error
        gc.enable()
        raise
    if args.selftest or args.command not in (None, "gui"):
        gc.enable()  # the gui resumes it once its window shows (ui.app.run)
    from annotator.nlp.formats import register_formats

    register_formats()  # the spaCy-backed formats join io's registries before any command
    if args.selftest:
        from annotator.selftest import run_selftest

        return run_selftest()
    command = args.command or "gui"
    try:
        return _command(command)(args)
    except AnnotatorError as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("annotator: interrupted; nothing was stored", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # whoever read the output stopped early (`annotator docs | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet exit flush
        return EXIT_DATA


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs a sub-command (the suggestion commands live in their modules)."""
    from annotator import cli_agreement, cli_lexicon, cli_merge, cli_suggest, cli_sync, cli_train

    return {
        **_COMMANDS,
        "labelmap": cli_lexicon.cmd_labelmap,
        "terms": cli_lexicon.cmd_terms,
        "suggest": cli_suggest.cmd_suggest,
        "train": cli_train.cmd_train,
        "agreement": cli_agreement.cmd_agreement,
        "merge": cli_merge.cmd_merge,
        "copy": cli_merge.cmd_copy,
        "push": cli_sync.cmd_push,
        "pull": cli_sync.cmd_pull,
    }[name]


def _open(args: argparse.Namespace):
    """The project named by --db, or the default project (made, with samples, on first use)."""
    from annotator.core.project import Project
    from annotator.core.samples import open_default_project

    if args.db is None:
        return open_default_project()
    return Project.open(args.db)


def _run_with_progress(
    args: argparse.Namespace, doing: str, task: Callable[..., T], *task_args: Any, **options: Any
) -> T:
    """`task(project, *task_args, **options)` on the --db project, with a terminal progress bar."""
    from annotator.terminal import TerminalProgress

    with _open(args) as project:
        return task(project, *task_args, progress=TerminalProgress(doing), **options)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1))


def cmd_gui(args: argparse.Namespace) -> int:
    # storage (SQLAlchemy) before PySide6: PySide6's import hook reads the source of every
    # module imported after it (30-70 ms of a launch for SQLAlchemy's)
    import annotator.core.project  # noqa: F401
    from annotator.ui.app import run

    return run(getattr(args, "db", None))


def cmd_init(args: argparse.Namespace) -> int:
    from annotator.core.project import Project
    from annotator.core.samples import add_samples
    from annotator.core.schema import load_schema

    specs = load_schema(args.labels) if args.labels else None
    with Project.create(args.db, specs) as project:
        if args.samples:
            add_samples(project)
        names = ", ".join(label.name for label in project.labels())
        print(f"created {project.location} with labels {names}")
    return EXIT_OK


def cmd_labels(args: argparse.Namespace) -> int:
    from annotator.terminal import table

    with _open(args) as project:
        action = args.action or "list"
        if action == "add":
            project.add_label(args.name, args.color, args.key, args.description)
        elif action == "set":
            fields = {}
            if args.rename is not None:
                fields["new_name"] = args.rename
            if args.color is not None:
                fields["color"] = args.color
            if args.key is not None:
                fields["hotkey"] = None if args.key.lower() == "none" else args.key
            if args.description is not None:
                fields["description"] = args.description
            project.update_label(args.name, **fields)
        elif action == "remove":
            project.remove_label(args.name, force=args.force)
        usage = project.stats().spans_per_label
        rows = [
            (lab.name, lab.color, lab.hotkey or "", usage.get(lab.name, 0), _first_line(lab))
            for lab in project.labels()
        ]
        print(table(["name", "color", "key", "spans", "description"], rows))
    return EXIT_OK


def _first_line(label) -> str:
    return label.description.strip().splitlines()[0] if label.description.strip() else ""


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.io.importer import import_files

    report = _run_with_progress(
        args,
        "importing",
        import_files,
        args.paths,
        args.format,
        annotator=args.annotator,
        text_column=args.text_column,
        skip_bad=args.skip_bad,
    )
    stored = report.stored
    print(
        f"read {len(report.files)} file(s): {stored.documents_added} new document(s), "
        f"{stored.documents_existing} already present; {stored.spans_added} span(s) added, "
        f"{stored.spans_existing} already present"
    )
    if stored.labels_added:
        print(f"new labels: {', '.join(stored.labels_added)}")
    for error in report.skipped:
        print(f"skipped {error}", file=sys.stderr)
    return EXIT_DATA if report.skipped else EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from annotator.core.project import DocumentFilter
    from annotator.terminal import table

    where = DocumentFilter(args.annotator, args.status, args.label, args.search)
    with _open(args) as project:
        rows = project.documents(where, offset=args.offset, limit=args.limit)
    if args.format == "json":
        _print_json([asdict(row) for row in rows])
    else:
        data = [(r.id, r.status.value, r.span_count, r.length, r.title) for r in rows]
        print(table(["id", "status", "spans", "chars", "title"], data))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from annotator.terminal import table

    with _open(args) as project:
        stats = project.stats()
        quality = project.suggester_quality(args.annotator)
    if args.format == "json":
        _print_json({**asdict(stats), "suggesters": [_quality_dict(q) for q in quality]})
        return EXIT_OK
    print(f"documents: {stats.documents} ({stats.characters:,} characters)")
    print(f"spans: {stats.spans}\n")
    print(table(["label", "spans"], list(stats.spans_per_label.items())))
    if stats.spans_per_annotator:
        print()
        statuses = [s.value for s in Status if s is not Status.TODO]
        rows = [
            (name, count, *(stats.status_per_annotator.get(name, {}).get(s, 0) for s in statuses))
            for name, count in stats.spans_per_annotator.items()
        ]
        print(table(["annotator", "spans", *statuses], rows))
    if quality:
        print()
        rows = [
            (q.model, q.pending, q.accepted, q.rejected, _ratio(q.precision), _ratio(q.recall))
            for q in quality
        ]
        headers = ["suggester", "pending", "accepted", "rejected", "precision", "recall (gold)"]
        print(table(headers, rows))
    return EXIT_OK


def _quality_dict(quality) -> dict[str, Any]:
    """A suggester's decisions, precision and recall against gold, JSON-ready."""
    return {**asdict(quality), "precision": quality.precision, "recall": quality.recall}


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.io.exporter import export, parse_split

    labels = [name.strip() for name in args.labels.split(",")] if args.labels else None
    report = _run_with_progress(
        args,
        "exporting",
        export,
        args.format,
        args.out,
        layer=args.layer,
        only_done=args.only_done,
        labels=labels,
        split=parse_split(args.split) if args.split else None,
        seed=args.seed,
        overwrite=args.force,
    )
    print(report.summary())
    return EXIT_OK


_COMMANDS = {
    "gui": cmd_gui,
    "init": cmd_init,
    "labels": cmd_labels,
    "import": cmd_import,
    "docs": cmd_docs,
    "stats": cmd_stats,
    "export": cmd_export,
}
