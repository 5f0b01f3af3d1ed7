"""What `annotator merge` reads: project files (core.merge_sources) and JSONL from other tools.

A JSONL file (the contract in docs/architecture.md, one line per document per annotator) is
checked whole by the JSONL reader when it is opened, then read again a line at a time and
adapted to merge records: a line's spans go to the span's annotator, else the line's, else
`annotator` (default: the "import" layer); its status is that layer's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

from annotator.core.errors import ImportFailed, InputError, ProjectError
from annotator.core.importing import IMPORT_ANNOTATOR
from annotator.core.merge_records import MergeDocument, MergeRelation, MergeReport, MergeSpan
from annotator.core.merge_sources import ProjectFileSource, is_sqlite_file
from annotator.core.model import ImportedDocument, Status
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project
from annotator.core.schema import LabelSpec, RelationTypeSpec
from annotator.core.sync import LayerSource
from annotator.io.base import input_lines
from annotator.io.readers.jsonl import iter_jsonl

JSONL_SUFFIXES = (".jsonl", ".ndjson")


class JsonlSource:
    """The documents of a JSONL file as a MergeSource, read a line at a time: the whole file
    is checked when the source is opened (bad input refuses it, every bad line named), then
    read again line by line as the merge stores it, so it is never held whole."""

    def __init__(self, path: Path, annotator: str) -> None:
        self.path = path
        self.name = str(path)
        self._annotator = annotator
        try:
            self._count = sum(1 for _ in self._read())
        except InputError as exc:
            raise ImportFailed([exc]) from None

    def _read(self) -> Iterator[ImportedDocument]:
        return iter_jsonl(self.path, input_lines(self.path), [])

    def labels(self) -> list[LabelSpec]:
        """None: labels come by name with the spans (new ones get palette colours)."""
        return []

    def annotators(self) -> dict[str, bool]:
        """None declared: annotators come by name with the spans and statuses."""
        return {}

    def relation_types(self) -> list[RelationTypeSpec]:
        """None declared: relation types come by name with the relations (new ones directed,
        allowing any labels)."""
        return []

    def count(self) -> int:
        """How many lines hold a document."""
        return self._count

    def documents(self) -> Iterator[MergeDocument]:
        """One merge record per line."""
        for doc in self._read():
            layer = doc.annotator or self._annotator
            spans = [
                MergeSpan(span.annotator or layer, span.label, span.start, span.end)
                for span in doc.spans
            ]
            states = {layer: Status(doc.status)} if doc.status else {}
            relations = [
                _relation(link.type, spans[link.head], spans[link.tail]) for link in doc.relations
            ]
            yield MergeDocument(
                doc.text,
                doc.title,
                doc.source,
                doc.meta,
                "",
                spans,
                states,
                doc.line,
                relations=relations,
            )

    def close(self) -> None:
        """Nothing to release."""


def _relation(type_name: str, head: MergeSpan, tail: MergeSpan) -> MergeRelation:
    """A JSONL relation between two spans of a line, in the head span's layer."""
    return MergeRelation(
        head.annotator,
        type_name,
        (head.label, head.start, head.end),
        (tail.label, tail.start, tail.end),
    )


def open_source(path: Path, annotator: str | None = None) -> ProjectFileSource | JsonlSource:
    """A merge source for a project file or a JSONL file (by suffix); bad input is refused."""
    path = Path(path)
    if path.suffix.lower() in JSONL_SUFFIXES and not (path.is_file() and is_sqlite_file(path)):
        return JsonlSource(path, annotator or IMPORT_ANNOTATOR)
    return ProjectFileSource(path)


def merge_files(
    project: Project,
    paths: Sequence[Path],
    *,
    annotator: str | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge project files and JSONL files into `project` in one transaction; every file is
    read and checked first, so a bad one leaves the project unchanged. With `layer`, only that
    annotator's layer comes in (core.sync.LayerSource: what a push carries)."""
    with ExitStack() as stack:
        sources = []
        for path in paths:
            if project.path is not None and Path(path).resolve() == project.path:
                raise ProjectError(f"{path}: is this project itself; nothing to merge")
            source = open_source(Path(path), annotator)
            stack.callback(source.close)
            sources.append(source if layer is None else LayerSource(source, layer))
        return project.merge(sources, progress=progress or NullProgress())
