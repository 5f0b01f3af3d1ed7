"""What a merge reads and reports: neutral records any source produces (a project file, JSONL).

A `MergeSource` names its labels, relation types and annotators and yields `MergeDocument`s: a
text with the spans, relations, statuses, suggestions and review rejections one source holds
for it. The same text may
come several times (JSONL has one line per document per annotator); the merge matches it by its
hash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from annotator.core.model import SpanSource, Status, SuggestionStatus, Tokenisation
from annotator.core.schema import LabelSpec, RelationTypeSpec

KINDS = (
    "documents",
    "document tokens",
    "labels",
    "annotators",
    "spans",
    "span deletions",
    "relation types",
    "relations",
    "relation deletions",
    "rejected relations",
    "states",
    "notes",
    "suggestions",
    "review rejections",
)
"""What a merge counts, in report order."""


@dataclass(frozen=True, slots=True)
class MergeSpan:
    """One span of a source; its identity is (document, annotator, label, start, end)."""

    annotator: str
    label: str
    start: int
    end: int
    source: SpanSource = SpanSource.IMPORT
    note: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeDeletion:
    """That a span (same identity as MergeSpan's) was deleted at `deleted_at`."""

    annotator: str
    label: str
    start: int
    end: int
    deleted_at: datetime


SpanEnd = tuple[str, int, int]
"""One end of a relation: its span's (label, start, end); the annotator is the relation's."""


@dataclass(frozen=True, slots=True)
class MergeRelation:
    """One relation of a source: an annotator's link of `type` between two of their spans; its
    identity is (document, annotator, type, head, tail), a symmetric type's ends in any order."""

    annotator: str
    type: str
    head: SpanEnd
    tail: SpanEnd
    source: SpanSource = SpanSource.IMPORT
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeRelationDeletion:
    """That a relation (same identity as MergeRelation's) was deleted at `deleted_at`."""

    annotator: str
    type: str
    head: SpanEnd
    tail: SpanEnd
    deleted_at: datetime


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """What one annotator decided on a suggestion."""

    annotator: str
    status: SuggestionStatus
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeSuggestion:
    """A model's proposal and who decided what on it; identity (document, label, start, end,
    model)."""

    label: str
    start: int
    end: int
    model: str
    score: float = 1.0
    decisions: tuple[MergeDecision, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeRejection:
    """A reviewer kept this label on these offsets out of gold; identity (document, label,
    start, end)."""

    label: str
    start: int
    end: int
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeRelationRejection:
    """A reviewer kept this relation (type, head, tail; any annotator's) out of gold."""

    type: str
    head: SpanEnd
    tail: SpanEnd
    decided_at: datetime | None = None


@dataclass(slots=True)
class MergeDocument:
    """A document of a source with the spans, statuses, suggestions, review rejections, span
    deletions and imported tokens that source holds for it (JSONL brings none of the last four)."""

    text: str
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    normalization: str = ""
    spans: list[MergeSpan] = field(default_factory=list)
    states: dict[str, Status] = field(default_factory=dict)
    line: int | None = None
    """Where the document starts in its file (JSONL), for error messages."""
    suggestions: list[MergeSuggestion] = field(default_factory=list)
    rejections: list[MergeRejection] = field(default_factory=list)
    deletions: list[MergeDeletion] = field(default_factory=list)
    tokens: Tokenisation | None = None
    """The tokens and sentences its file came with (core.tokenisation), if stored."""
    relations: list[MergeRelation] = field(default_factory=list)
    relation_deletions: list[MergeRelationDeletion] = field(default_factory=list)
    relation_rejections: list[MergeRelationRejection] = field(default_factory=list)


class MergeSource(Protocol):
    """Anything a project can merge: its name (for messages), labels, annotators, documents."""

    name: str

    def labels(self) -> list[LabelSpec]:
        """Labels the source defines (labels its spans use but it does not define get defaults)."""
        ...

    def annotators(self) -> dict[str, bool]:
        """Annotators the source defines, with their gold flag."""
        ...

    def relation_types(self) -> list[RelationTypeSpec]:
        """Relation types the source defines (types its relations use but it does not define
        are added as directed, allowing any labels)."""
        ...

    def count(self) -> int:
        """How many documents `documents()` yields (for progress)."""
        ...

    def documents(self) -> Iterator[MergeDocument]:
        """Every document with its spans and statuses."""
        ...


@dataclass(frozen=True, slots=True)
class Conflict:
    """Where a source disagrees with this project, in words."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class KindCount:
    """For one kind of thing: how many were added, updated, already present, and the conflicts."""

    added: int = 0
    updated: int = 0
    present: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class MergeReport:
    """What a merge brought in, what was already there, and where the files disagreed."""

    sources: list[str] = field(default_factory=list)
    counts: dict[str, KindCount] = field(default_factory=lambda: {k: KindCount() for k in KINDS})
    document_ids: set[int] = field(default_factory=set)
    """Documents of this project that gained or changed something (for views to refresh)."""
    suggestion_document_ids: set[int] = field(default_factory=set)
    """Documents whose suggestions gained or changed something."""
    labels_added: list[str] = field(default_factory=list)
    deletions_applied: int = 0
    """Spans here deleted because a source deleted them after their last change."""
    spans_kept_deleted: int = 0
    """Spans of a source not added because they were deleted here after their last change."""
    relation_deletions_applied: int = 0
    """Relations here removed because a source deleted them (or one of their spans) after
    their last change."""
    relations_kept_deleted: int = 0
    """Relations of a source not added because they were deleted here after their last change."""

    def conflict(self, kind: str, source: str, message: str) -> None:
        """Record a disagreement between this project and a source (this project's value kept
        unless the message says otherwise)."""
        self.counts[kind].conflicts.append(Conflict(source, message))

    def conflicts(self) -> list[Conflict]:
        """Every conflict, kind by kind."""
        return [conflict for kind in KINDS for conflict in self.counts[kind].conflicts]

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(kind, added, updated, already present, conflicts) per kind, for tables."""
        return [
            (kind, c.added, c.updated, c.present, len(c.conflicts))
            for kind, c in self.counts.items()
        ]

    def changed(self) -> bool:
        """Whether the merge wrote anything."""
        return (
            self.deletions_applied > 0
            or self.relation_deletions_applied > 0
            or any(c.added or c.updated for c in self.counts.values())
        )

    def deletions_line(self) -> str:
        """The deletions in one sentence, for the end of a report (relations named when a
        relation was removed or kept out)."""
        line = (
            f"{self.deletions_applied} deletion(s) applied, "
            f"{self.spans_kept_deleted} deleted span(s) not brought back"
        )
        if self.relation_deletions_applied or self.relations_kept_deleted:
            line += (
                f"; {self.relation_deletions_applied} relation(s) removed, "
                f"{self.relations_kept_deleted} deleted relation(s) not brought back"
            )
        return line
