"""Export a layer of a project: choose documents, split them, stream them to a format writer.

Every target is written beside itself under a temporary name and moved into place only when
complete, so an export never leaves half a file, and never replaces one unless asked.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.layers import ALL, Layer
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import DocumentFilter, Project
from annotator.io.writers.base import ExportItem, ExportReport, FormatWriter
from annotator.io.writers.registry import WRITERS, writer_for

FORMATS = tuple(WRITERS)
"""Export formats available in this version."""
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
    project: Project,
    fmt: str,
    out: Path,
    *,
    layer: str = ALL,
    only_done: bool = False,
    labels: Sequence[str] | None = None,
    split: Sequence[float] | None = None,
    seed: int = 0,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write `layer` of every (or every finished) document to `out` in format `fmt`; with
    `split`, `out` is a folder that receives train/dev/test files."""
    writer = writer_for(fmt)
    out = Path(out)
    with project.snapshot():  # every part and document as the project was at one moment
        chosen = Layer(project, layer)
        names = _label_names(project, labels)
        where = chosen.done_filter() if only_done else DocumentFilter()
        ids = project.document_ids(where)
        parts = split_ids(ids, split, seed) if split else [ids]
        targets = _targets(writer, out, len(parts), overwrite)
        report = ExportReport(out)
        progress = progress or NullProgress()
        progress.report(0, len(ids))
        for part_ids, target in zip(parts, targets, strict=True):
            with _staged(target, folder=not writer.suffix) as staging:
                items = _items(project, chosen, part_ids, set(names), report, len(ids), progress)
                writer.write(items, staging, names, report)
            report.files.append(target)
    return report


def _label_names(project: Project, labels: Sequence[str] | None) -> list[str]:
    known = [label.name for label in project.labels()]
    if labels is None:
        return known
    unknown = [name for name in labels if name not in known]
    if unknown:
        raise AnnotatorError(f"no label named {', '.join(map(repr, unknown))} in this project")
    return [name for name in known if name in labels]


def _targets(writer: FormatWriter, out: Path, parts: int, overwrite: bool) -> list[Path]:
    if parts == 1:
        targets = [out]
    else:
        if out.exists() and not out.is_dir():
            raise InputError(out, None, "with --split, --out must be a folder")
        out.mkdir(parents=True, exist_ok=True)
        targets = [out / f"{name}{writer.suffix}" for name in PARTS[:parts]]
    for target in targets:
        if not target.parent.is_dir():
            raise InputError(target.parent, None, "no such folder")
        if target.exists() and not overwrite:
            raise InputError(target, None, "exists; choose another name or allow overwriting")
    return targets


def _items(
    project: Project,
    layer: Layer,
    ids: Sequence[int],
    labels: set[str],
    report: ExportReport,
    total: int,
    progress: Progress,
) -> Iterator[ExportItem]:
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        layer_spans = layer.spans_of_documents(chunk)
        for doc in project.iter_documents(DocumentFilter(ids=tuple(chunk))):
            check_cancelled(progress)
            spans = [span for span in layer_spans[doc.id] if span.label in labels]
            status = project.status(doc.id, layer.annotator) if layer.annotator else None
            yield ExportItem(doc, spans, layer.annotator, status)
            report.documents += 1
            report.spans_per_label.update(span.label for span in spans)
            progress.report(report.documents, total)


@contextmanager
def _staged(target: Path, *, folder: bool) -> Iterator[Path]:
    """A temporary path beside `target` that replaces it only when the block succeeds."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    path = staging if folder else staging / target.name
    try:
        yield path
        if not folder:
            _fsync(path)
        _replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace(path: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        old = target.with_name(f".{target.name}.old")
        os.replace(target, old)
        os.replace(path, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(path, target)
