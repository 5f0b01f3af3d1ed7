"""Export a layer of a project: choose documents, split them, stream them to a format writer.

Every export is written beside its target under a temporary name and put in place in one step
only when complete (io.staging): a file, or a folder holding the whole export with a marker file
(a split's parts, brat and XMI collections), so an export never leaves half a file nor part of a
set. It replaces only what io.export_target recognises as an earlier export of the same format.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.labelrules import spelling_in
from annotator.core.language import project_language
from annotator.core.layer_names import ALL, MAJORITY, SUGGESTIONS
from annotator.core.layers import CHUNK, Layer, layer_or_default
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import DocumentFilter, Project
from annotator.io import staging
from annotator.io.export_options import ExportOptions
from annotator.io.export_target import MARKER, check_target, refuse, write_marker
from annotator.io.writers.base import ExportItem, ExportReport, FormatWriter
from annotator.io.writers.registry import writer_for

PARTS = ("train", "dev", "test")


def parse_split(text: str) -> tuple[float, ...]:
    """'0.8,0.1,0.1' -> fractions for train/dev(/test); they must be >= 0 and add up to 1."""
    try:
        fractions = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise AnnotatorError(f"--split {text!r}: give 2 or 3 numbers like 0.8,0.1,0.1") from None
    if not 2 <= len(fractions) <= 3 or any(f < 0 for f in fractions):
        raise AnnotatorError(f"--split {text!r}: give 2 or 3 non-negative numbers")
    if abs(sum(fractions) - 1) > 1e-6:
        raise AnnotatorError(f"--split {text!r}: the parts add up to {sum(fractions):g}, not 1")
    return fractions


def split_ids(ids: Sequence[int], fractions: Sequence[float], seed: int) -> list[list[int]]:
    """Deterministic split by document: shuffle with the seed, cut by the fractions."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    parts, start = [], 0
    for n, fraction in enumerate(fractions):
        end = len(shuffled) if n == len(fractions) - 1 else start + round(fraction * len(ids))
        parts.append(sorted(shuffled[start:end]))
        start = end
    return parts


def export(
    project: Project, fmt: str, out: Path, *, progress: Progress | None = None, **choices: Any
) -> ExportReport:
    """Write a layer of every (or every finished) document to `out` in format `fmt`; with a
    split, `out` is a folder that receives train/dev/test files. `choices` are the other
    fields of ExportOptions (layer, only_done, labels, split, seed, overwrite, max_tokens,
    shard_size),
    defaulting there (no layer: core.layers.default_layer's, refused when there is none;
    nothing is written).

    `out` receives the whole export or keeps what it held; with `overwrite` it may replace only
    an earlier export of the same format (io.export_target). A failure to write is an
    InputError `OUT: reason; nothing was written`.
    """
    options = ExportOptions(fmt, Path(out), **choices)
    writer = _sharded(_limited(writer_for(fmt), options.max_tokens), options.shard_size)
    out = Path(os.path.abspath(options.out.expanduser()))
    split = options.split
    try:
        with project.snapshot():  # every part and document as the project was at one moment
            layer = layer_or_default(project, options.layer, "export", (ALL, MAJORITY, SUGGESTIONS))
            chosen = Layer(project, layer)
            names = _label_names(project, options.labels)
            where = chosen.done_filter() if options.only_done else DocumentFilter()
            ids = project.document_ids(where)
            parts = split_ids(ids, split, options.seed) if split else [ids]
            folder = bool(split) or not writer.suffix or _in_shards(writer, len(ids))
            staging.clear_leftovers(out, MARKER)
            overwrite = options.overwrite
            check_target(out, writer, folder=folder, overwrite=overwrite, project=project.path)
            report = ExportReport(out, layer=layer)
            progress = progress or NullProgress()
            progress.report(0, len(ids))
            with _staged(out, folder=folder) as staged:
                paths = [staged / f"{part}{writer.suffix}" for part in PARTS[: len(parts)]]
                with_suggestions = getattr(writer, "wants_suggestions", False)
                with_suggestions = with_suggestions and layer != SUGGESTIONS
                wants = _Wants(with_suggestions, getattr(writer, "wants_tokens", False))
                for part_ids, path in zip(parts, paths if split else [staged], strict=True):
                    if split and _in_shards(writer, len(part_ids)):
                        path.mkdir()
                    items = _items(chosen, part_ids, set(names), report, len(ids), progress, wants)
                    written_before = report.documents
                    spans_before = sum(report.spans_per_label.values())
                    writer.write(items, path, names, report)
                    written = out / path.relative_to(staged)
                    report.files.append(written)
                    report.documents_per_file[written] = report.documents - written_before
                    spans = sum(report.spans_per_label.values()) - spans_before
                    report.spans_per_file[written] = spans
                if folder:
                    write_marker(staged, fmt)
    except OSError as exc:
        raise refuse(out, staging.os_reason(exc)) from None
    return report


def _limited(writer: FormatWriter, max_tokens: int | None) -> FormatWriter:
    """The writer with records of at most `max_tokens` tokens (a writer that offers
    `with_max_tokens`); the writer itself without a limit."""
    if max_tokens is None:
        return writer
    if not hasattr(writer, "with_max_tokens"):
        raise AnnotatorError(f"--max-tokens applies to the hf format, not {writer.name}")
    if max_tokens < 1:
        raise AnnotatorError(f"--max-tokens {max_tokens}: give a number of at least 1")
    limited: FormatWriter = writer.with_max_tokens(max_tokens)
    return limited


def _sharded(writer: FormatWriter, shard_size: int) -> FormatWriter:
    """The writer with at most `shard_size` documents per file (a writer that offers
    `with_shard_size`); any other writer as it is."""
    if shard_size < 1:
        raise AnnotatorError(f"--shard-size {shard_size}: give a number of at least 1")
    if not hasattr(writer, "with_shard_size"):
        return writer
    sharded: FormatWriter = writer.with_shard_size(shard_size)
    return sharded


def _in_shards(writer: FormatWriter, documents: int) -> bool:
    """Whether `documents` documents make a folder of files of `writer.shard_size` each
    (a writer that shards and more documents than one file takes); the writer writes into a
    target that is a folder."""
    return documents > getattr(writer, "shard_size", documents)


def _label_names(project: Project, labels: Sequence[str] | None) -> list[str]:
    """The project's labels to export, in palette order (`labels` matched without regard to
    case), or an error naming those the project does not have."""
    known = [label.name for label in project.labels()]
    if labels is None:
        return known
    spellings = {name: spelling_in(name, known) for name in labels}
    unknown = [name for name, spelling in spellings.items() if spelling is None]
    if unknown:
        raise AnnotatorError(f"no label named {', '.join(map(repr, unknown))} in this project")
    return [name for name in known if name in spellings.values()]


@dataclass(frozen=True, slots=True)
class _Wants:
    """What a writer asks for beyond a layer's documents and spans."""

    suggestions: bool
    tokens: bool


def _items(
    layer: Layer,
    ids: Sequence[int],
    labels: set[str],
    report: ExportReport,
    total: int,
    progress: Progress,
    wants: _Wants,
) -> Iterator[ExportItem]:
    """The layer's documents as export items, read a chunk at a time (Layer.read), with their
    pending suggestions of the chosen labels and their imported tokens when the writer wants
    them, and the project's language."""
    project = layer.project
    language = project_language(project)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        pending = project.suggestions_of_documents(chunk) if wants.suggestions else {}
        tokens = project.tokenisations(chunk) if wants.tokens else {}
        for read in layer.read(chunk):
            check_cancelled(progress)
            doc_id = read.document.id
            spans = [span for span in read.spans if span.label in labels]
            suggestions = tuple(x for x in pending.get(doc_id, ()) if x.label in labels)
            yield ExportItem(
                read.document,
                spans,
                layer.annotator,
                read.status,
                suggestions,
                language,
                tokens.get(doc_id),
            )
            report.documents += 1
            report.spans_per_label.update(span.label for span in spans)
            progress.report(report.documents, total)


@contextmanager
def _staged(target: Path, *, folder: bool) -> Iterator[Path]:
    """A path beside `target` (a new folder, or a file in one) that is put in place only when
    the block succeeds; whatever the block leaves or displaces is deleted."""
    holder = staging.make_staging(target)
    path = holder if folder else holder / target.name
    displaced = None
    try:
        yield path
        _to_disk(path, folder=folder)
        displaced = staging.put_in_place(path, target)
    finally:
        staging.remove_quietly(holder)
        staging.remove_quietly(displaced)


def _to_disk(path: Path, *, folder: bool) -> None:
    """Flush what was written before it is put in place: the file's fsync, or for a folder one
    sync of every file system (an fsync per file made a 4,000-file brat export 4x slower)."""
    if folder:
        if hasattr(os, "sync"):  # not on Windows
            os.sync()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
