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
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from annotator.core.errors import AnnotatorError
from annotator.core.labelrules import spelling_in
from annotator.core.language import project_language
from annotator.core.layer_names import ALL, MAJORITY, SUGGESTIONS
from annotator.core.layers import CHUNK, Layer, layer_or_default
from annotator.core.model import Relation, Span, Suggestion
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
    fields of ExportOptions (layer, only_done, documents, labels, split, seed, overwrite,
    max_tokens, shard_size),
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
            if options.documents is not None:
                where = replace(where, ids=_known_ids(project, options.documents))
            ids = project.document_ids(where)
            parts = split_ids(ids, split, options.seed) if split else [ids]
            folder = bool(split) or not writer.suffix or _in_shards(writer, len(ids))
            staging.clear_leftovers(out, MARKER)
            overwrite = options.overwrite
            check_target(out, writer, folder=folder, overwrite=overwrite, project=project.path)
            report = ExportReport(out, layer=layer)
            if chosen.has_relations():
                report.relation_types = tuple(project.relation_types())
            side = _side_file(writer, out, folder, project.path, options.overwrite, report)
            progress = progress or NullProgress()
            progress.report(0, len(ids))
            with _staged(out, folder=folder, side=side) as staged:
                paths = [staged / f"{part}{writer.suffix}" for part in PARTS[: len(parts)]]
                with_suggestions = getattr(writer, "wants_suggestions", False)
                with_suggestions = with_suggestions and layer != SUGGESTIONS
                wants = _Wants(
                    with_suggestions,
                    getattr(writer, "wants_tokens", False),
                    bool(report.relation_types),
                    getattr(writer, "cannot_hold_relations", None),
                )
                for part_ids, path in zip(parts, paths if split else [staged], strict=True):
                    if split and _in_shards(writer, len(part_ids)):
                        path.mkdir()
                    chosen_labels = None if options.labels is None else set(names)
                    items = _items(
                        chosen, part_ids, chosen_labels, report, len(ids), progress, wants
                    )
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
                if side is not None and report.relation_types:
                    report.files.append(side)
    except OSError as exc:
        raise refuse(out, staging.os_reason(exc)) from None
    return report


def _known_ids(project: Project, documents: Sequence[int]) -> tuple[int, ...]:
    """`documents` (the --doc ids), or an error naming those the project does not have."""
    ids = tuple(dict.fromkeys(documents))
    missing = sorted(set(ids) - set(project.document_ids(DocumentFilter(ids=ids))))
    if missing:
        raise AnnotatorError(f"no document with id {', '.join(map(str, missing))}")
    return ids


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
    """What a writer asks for beyond a layer's documents and spans: suggestions, tokens, and
    relations (when the layer may hold some: Layer.has_relations); a
    writer whose format cannot hold relations says why (`cannot_hold_relations`), and they are
    counted as left out."""

    suggestions: bool
    tokens: bool
    relations: bool = False
    cannot_hold_relations: str | None = None


def _items(
    layer: Layer,
    ids: Sequence[int],
    labels: set[str] | None,
    report: ExportReport,
    total: int,
    progress: Progress,
    wants: _Wants,
) -> Iterator[ExportItem]:
    """The layer's documents as export items, read a chunk at a time (Layer.read), with their
    pending suggestions of the chosen labels (None: every label) and their imported tokens
    when the writer wants them, their relations between the spans exported, and the
    project's language."""
    project = layer.project
    language = project_language(project)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        pending = project.suggestions_of_documents(chunk) if wants.suggestions else {}
        tokens = project.tokenisations(chunk) if wants.tokens else {}
        for read in layer.read(chunk, relations=wants.relations):
            check_cancelled(progress)
            doc_id = read.document.id
            spans = _of_labels(read.spans, labels)
            suggestions = tuple(_of_labels(pending.get(doc_id, ()), labels))
            relations = _relations_between(read.relations, read.spans, spans, report)
            yield ExportItem(
                read.document,
                spans,
                layer.annotator,
                read.status,
                suggestions,
                language,
                tokens.get(doc_id),
                () if wants.cannot_hold_relations else relations,
            )
            report.documents += 1
            report.spans_per_label.update(map(_LABEL_OF, spans))
            if wants.cannot_hold_relations and relations:
                report.notes[f"relations left out ({wants.cannot_hold_relations})"] += len(
                    relations
                )
            elif relations:
                report.relations_per_type.update(relation.type for relation in relations)
            progress.report(report.documents, total)


_LABEL_OF = attrgetter("label")
Labelled = TypeVar("Labelled", Span, Suggestion)


def _of_labels(found: Sequence[Labelled], labels: set[str] | None) -> list[Labelled]:
    """The spans or suggestions of these labels (None: all of them, as they are)."""
    if labels is None:
        return found if isinstance(found, list) else list(found)
    return [x for x in found if x.label in labels]


LABEL_LEFT_OUT = "relation(s) left out: a span they link has a label not exported"


def _relations_between(
    relations: Sequence[Relation], layer_spans: list[Span], spans: list[Span], report: ExportReport
) -> tuple[Relation, ...]:
    """The relations between the spans exported; those of the layer's spans that link a span of
    a label not exported are counted in the report."""
    if not relations:
        return ()
    exported = {span.id for span in spans}
    of_layer = {span.id for span in layer_spans}
    kept = tuple(r for r in relations if r.head in exported and r.tail in exported)
    left_out = sum(1 for r in relations if r.head in of_layer and r.tail in of_layer) - len(kept)
    if left_out:
        report.notes[LABEL_LEFT_OUT] += left_out
    return kept


class _SideTable:
    """A writer's side file (CSV's relations table) seen as a file target of its own."""

    def __init__(self, writer: FormatWriter) -> None:
        self.name = f"{writer.name} relations table"
        self.recognises = writer.recognises_side


def _side_file(
    writer: FormatWriter,
    out: Path,
    folder: bool,
    project: Path | None,
    overwrite: bool,
    report: ExportReport,
) -> Path | None:
    """The side file of a file export (`writer.side_file`: CSV's relations table beside the
    spans table), checked like the target when it will be written; None when the writer has
    none, or it is neither written nor an earlier one to replace (then it is left alone)."""
    if folder or not hasattr(writer, "side_file"):
        return None
    side: Path = writer.side_file(out)
    side_writer = _SideTable(writer)
    if report.relation_types:
        check_target(side, side_writer, folder=False, overwrite=overwrite, project=project)
        return side
    earlier = overwrite and out.is_file() and side.is_file() and not side.is_symlink()
    if earlier:
        with side.open("rb") as stream:
            earlier = side_writer.recognises(stream.read(4096))
    return side if earlier else None


@contextmanager
def _staged(target: Path, *, folder: bool, side: Path | None = None) -> Iterator[Path]:
    """A path beside `target` (a new folder, or a file in one) that is put in place only when
    the block succeeds; whatever the block leaves or displaces is deleted. A file export's
    side file (`side`), when the block wrote it beside the staged file, is put in place after
    it; when it did not, the earlier one `side` names is removed."""
    holder = staging.make_staging(target)
    path = holder if folder else holder / target.name
    displaced = None
    try:
        yield path
        _to_disk(path, folder=folder)
        displaced = staging.put_in_place(path, target)
        if side is not None:
            staged_side = holder / side.name
            if staged_side.exists():
                _to_disk(staged_side, folder=False)
                staging.put_in_place(staged_side, side)
            else:
                staging.remove_quietly(side)
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
