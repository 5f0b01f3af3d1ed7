"""What every export format writer gets and fills in: items to write and a report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.core.language import DEFAULT_LANGUAGE
from annotator.core.model import (
    Document,
    Relation,
    RelationType,
    Span,
    Status,
    Suggestion,
    Tokenisation,
)
from annotator.io.writers.span_growth import SHOWN_ERRORS


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One document of the chosen layer: its text, spans and (single-annotator layers) status;
    its pending suggestions only for a writer that asks for them (`wants_suggestions`), and
    the tokens and sentences its file came with only for one that asks (`wants_tokens`)."""

    document: Document
    spans: list[Span]
    annotator: str | None
    status: Status | None
    suggestions: tuple[Suggestion, ...] = ()
    language: str = DEFAULT_LANGUAGE
    """The project's language: whose tokenizer rules the token formats apply."""
    tokens: Tokenisation | None = None
    relations: tuple[Relation, ...] = ()
    """The layer's relations between spans of `spans` (both ends exported)."""


def article_fields(doc: Document) -> dict[str, str]:
    """The document's title, date (ISO `YYYY-MM-DD`), source and URL, "" where unknown: the
    metadata every export carries (DocBin user_data, HF columns, XMI; JSONL's meta has it)."""
    return {
        "title": doc.title,
        "date": _string(doc.meta.get("date")),
        "source": doc.source,
        "url": _string(doc.meta.get("url")),
    }


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class ExportReport:
    """What an export wrote, and every span it had to adjust or drop, with the reason."""

    path: Path
    layer: str = ""
    """The layer exported (named in the summary when set)."""
    documents: int = 0
    spans_per_label: Counter = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    documents_per_file: dict[Path, int] = field(default_factory=dict)
    spans_per_file: dict[Path, int] = field(default_factory=dict)
    adjusted: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    also_wrote: Counter = field(default_factory=Counter)
    """What else a format carries (e.g. suggestions as predictions), by what it is."""
    errors: list[str] = field(default_factory=list)
    """Spans left out because writing them would change them too much, one line each."""
    notes: Counter = field(default_factory=Counter)
    """How a format laid out what it wrote (e.g. records cut under a token limit), by what."""
    relations_per_type: Counter = field(default_factory=Counter)
    relation_types: tuple[RelationType, ...] = ()
    """The project's relation types when the layer exported holds relations, else none: formats
    whose shape or configuration carries relations (doccano, hf, brat's annotation.conf, Label
    Studio's config, XMI's type system, CSV's relations table) take it only then, so an export
    without relations stays as it was."""

    def summary(self) -> str:
        """A few lines for people: documents, spans per label, split parts, adjustments, drops."""
        per_label = ", ".join(f"{k} {v}" for k, v in sorted(self.spans_per_label.items()))
        layer = f" of layer {self.layer!r}" if self.layer else ""
        spans = per_label or "none"
        lines = [f"wrote {self.documents} document(s){layer} to {self.path}; spans: {spans}"]
        if +self.relations_per_type:
            written = sorted((+self.relations_per_type).items())  # writers take off the dropped
            per_type = ", ".join(f"{k} {v}" for k, v in written)
            lines.append(f"relations: {per_type}")
        if len(self.documents_per_file) > 1:  # a split: what each part got
            lines += [
                f"{p.name}: {n} document(s), {self.spans_per_file.get(p, 0)} span(s)"
                for p, n in self.documents_per_file.items()
            ]
            lines += [f"warning: {p.name} is empty" for p in self.empty_parts()]
        lines += [f"adjusted {n} span(s): {why}" for why, n in sorted(self.adjusted.items())]
        lines += [f"dropped {n} span(s): {why}" for why, n in sorted(self.dropped.items())]
        lines += [f"also wrote {n} {what}" for what, n in sorted(self.also_wrote.items())]
        lines += [f"{n} {what}" for what, n in sorted(self.notes.items())]
        lines += [f"error: {error}" for error in self.errors[:SHOWN_ERRORS]]
        if len(self.errors) > SHOWN_ERRORS:
            lines.append(f"error: {len(self.errors) - SHOWN_ERRORS} more span(s) left out alike")
        return "\n".join(lines)

    def empty_parts(self) -> list[Path]:
        """The parts of a split that got no document (too few documents for the fractions)."""
        if len(self.documents_per_file) < 2:
            return []
        return [path for path, n in self.documents_per_file.items() if n == 0]


class FormatWriter(Protocol):
    """Writes items to one target: a file, or a folder for formats made of many files."""

    name: str
    suffix: str
    """The file suffix (".jsonl"), or "" when the target is a folder."""

    def recognises(self, head: bytes) -> bool:
        """File formats: whether a file starting with `head` (its first few KiB, not empty) is
        one this writer wrote, so an export with overwriting allowed may replace it."""
        ...

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None: ...
