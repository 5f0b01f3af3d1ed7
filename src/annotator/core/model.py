"""Frozen dataclasses: the only shapes that leave storage (no ORM rows cross layers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Status(StrEnum):
    """Where one annotator stands with one document."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


class SpanSource(StrEnum):
    """How a span came to be."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"
    IMPORT = "import"


class SuggestionStatus(StrEnum):
    """What the annotator did with a suggestion."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class LabelKind(StrEnum):
    """Whether a label marks spans of text or whole documents."""

    SPAN = "span"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    name: str
    color: str
    hotkey: str | None = None
    description: str = ""
    kind: LabelKind = LabelKind.SPAN
    position: int = 0


@dataclass(frozen=True, slots=True)
class Annotator:
    id: int
    name: str
    is_gold: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    title: str
    source: str
    text: str
    sha256: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: everything but the text."""

    id: int
    title: str
    source: str
    length: int
    span_count: int
    status: Status
    done_by: int = 0
    """How many annotators have finished the document."""
    date: str = ""
    """The article's date: ISO `YYYY-MM-DD`, else as its file wrote it, else ""."""


@dataclass(frozen=True, slots=True)
class Span:
    id: int
    document_id: int
    annotator: str
    label: str
    start: int
    end: int
    source: SpanSource = SpanSource.MANUAL
    note: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RelationType:
    """A kind of link between two spans: directed (head → tail) or symmetric, with the labels
    allowed at each end (none listed for an end: any label)."""

    id: int
    name: str
    color: str
    hotkey: str | None
    directed: bool
    head_labels: tuple[str, ...]
    tail_labels: tuple[str, ...]
    description: str = ""
    position: int = 0

    def allows(self, head_label: str, tail_label: str) -> bool:
        """Whether spans of these labels may be its head and tail (a symmetric type: in
        either order)."""
        if _fits(self, head_label, tail_label):
            return True
        return not self.directed and _fits(self, tail_label, head_label)

    def mismatch(self, head_label: str, tail_label: str) -> str | None:
        """Why spans of these labels cannot be its head and tail, or None when they can."""
        if self.allows(head_label, tail_label):
            return None
        arrow = "→" if self.directed else "↔"
        return (
            f"{self.name} does not link {head_label} {arrow} {tail_label}"
            f" (it links {self.ends_text()})"
        )

    def ends_text(self) -> str:
        """The labels it links, for messages: `ACTOR → PLATFORM`, `ACTOR ↔ ACTOR`."""
        heads = "|".join(self.head_labels) or "any label"
        tails = "|".join(self.tail_labels) or "any label"
        return f"{heads} {'→' if self.directed else '↔'} {tails}"


def _fits(kind: RelationType, head_label: str, tail_label: str) -> bool:
    head = not kind.head_labels or head_label in kind.head_labels
    return head and (not kind.tail_labels or tail_label in kind.tail_labels)


@dataclass(frozen=True, slots=True)
class Relation:
    """A link of one annotator from span `head` to span `tail` (span ids) of one document."""

    id: int
    document_id: int
    annotator: str
    type: str
    head: int
    tail: int
    source: SpanSource = SpanSource.MANUAL
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RelationSuggestion:
    """A proposed relation between two spans (ids) of one annotator's layer, and that
    annotator's decision on it."""

    id: int
    document_id: int
    annotator: str
    type: str
    head: int
    tail: int
    score: float
    model: str
    status: SuggestionStatus = SuggestionStatus.PENDING


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A model's proposal, kept apart from human spans until accepted (or rejected for good)."""

    id: int
    document_id: int
    label: str
    start: int
    end: int
    score: float
    model: str
    status: SuggestionStatus = SuggestionStatus.PENDING


class NewSuggestion(NamedTuple):
    """What a suggester proposes for one text: code-point offsets, a label and a score (a
    named tuple: a corpus run makes one per match, and a frozen dataclass cost 4x as much to
    build)."""

    start: int
    end: int
    label: str
    score: float = 1.0


@dataclass(slots=True)
class MarkedDocument:
    """A document's text with the spans people marked in it and the suggestions they rejected
    there, each as (start, end, label): what the lexicon learns contexts from."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    rejected: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One annotator's status of one document, before and after a mutation."""

    document_id: int
    annotator: str
    was: Status
    now: Status


@dataclass(frozen=True, slots=True)
class Decision:
    """An annotator's decision on a suggestion, with the suggestion's values; its `status` is
    the decision now (PENDING: the decision was undone)."""

    annotator: str
    suggestion: Suggestion


@dataclass(frozen=True, slots=True)
class Changes:
    """What one mutation touched, by id, so views refresh only that."""

    documents: frozenset[int] = frozenset()
    spans_added: tuple[int, ...] = ()
    spans_removed: tuple[int, ...] = ()
    spans_updated: tuple[int, ...] = ()
    labels: frozenset[str] = frozenset()
    states: frozenset[tuple[int, str]] = frozenset()
    suggestions: frozenset[int] = frozenset()
    """Documents whose suggestions changed."""
    gold: frozenset[str] = frozenset()
    """Annotators whose gold flag changed (the layer that stopped being gold, the new one)."""
    spans: tuple[Span, ...] = ()
    """Values of added or updated spans as stored (core.commands.carried_out reads them inside
    the command's transaction), so views update without reading again; a later one wins."""
    spans_before: tuple[Span, ...] = ()
    """Values before the change of the spans a single-span edit or removal touched (so its
    command can undo it without reading them first)."""
    statuses: tuple[StatusChange, ...] = ()
    """The statuses among `states` whose values the mutation knows (merges and imports leave
    them out), so views update without reading again."""
    decided: tuple[Decision, ...] = ()
    """The decisions among `suggestions` with their values (runs and bulk decisions leave them
    out), so the open document's pending suggestions update without reading again."""
    relations_added: tuple[int, ...] = ()
    relations_removed: tuple[int, ...] = ()
    relations: tuple[Relation, ...] = ()
    """Values of the added relations as stored."""
    relations_before: tuple[Relation, ...] = ()
    """Values of the removed relations (those of a removed span included), for undo."""
    relation_types: frozenset[str] = frozenset()
    """Relation types whose definition changed (added, edited, removed)."""
    relation_suggestions: frozenset[int] = frozenset()
    """Documents whose relation suggestions changed (a run, a decision or its undo)."""

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            spans=self.spans + other.spans,
            documents=self.documents | other.documents,
            spans_added=self.spans_added + other.spans_added,
            spans_removed=self.spans_removed + other.spans_removed,
            spans_updated=self.spans_updated + other.spans_updated,
            labels=self.labels | other.labels,
            states=self.states | other.states,
            suggestions=self.suggestions | other.suggestions,
            gold=self.gold | other.gold,
            spans_before=self.spans_before + other.spans_before,
            statuses=self.statuses + other.statuses,
            decided=self.decided + other.decided,
            relations_added=self.relations_added + other.relations_added,
            relations_removed=self.relations_removed + other.relations_removed,
            relations=self.relations + other.relations,
            relations_before=self.relations_before + other.relations_before,
            relation_types=self.relation_types | other.relation_types,
            relation_suggestions=self.relation_suggestions | other.relation_suggestions,
        )


@dataclass(slots=True)
class ImportedSpan:
    """A span as a file states it: code-point offsets into its document's text."""

    start: int
    end: int
    label: str
    annotator: str | None = None


@dataclass(slots=True)
class ImportedSuggestion:
    """A model's proposal as a file states it (Label Studio's predictions): code-point offsets,
    a label, its score and the model that made it."""

    start: int
    end: int
    label: str
    score: float
    model: str


@dataclass(slots=True)
class ImportedRelation:
    """A relation as a file states it: its type's name, and its head and tail as indices into
    the same document's `ImportedDocument.spans`; `symmetric` when the file says the type has
    no direction (brat's equivalences), so a type an import adds is added symmetric; `path` and
    `line` where the file states it, when that is not where its document starts (brat's .ann
    beside the .txt), for error messages."""

    type: str
    head: int
    tail: int
    symmetric: bool = False
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Tokenisation:
    """A document's tokens as a file gave them (CoNLL, a spaCy DocBin): each token's
    [start, end) in code points into the text, in order, and the indices of the tokens that
    start a sentence (empty when the file did not say)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentence_starts: tuple[int, ...] = ()


@dataclass(slots=True)
class ImportedDocument:
    """One document read from a file.

    `verbatim` documents (formats that carry offsets) keep their text exactly; the others are
    canonicalised (LF, NFC) by the importer. `line` is where the document starts in its file,
    for error messages.
    """

    text: str
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[ImportedSpan] = field(default_factory=list)
    annotator: str | None = None
    status: str | None = None
    line: int | None = None
    verbatim: bool = False
    skipped: list[str] = field(default_factory=list)
    """What the file held for this document that the import leaves out, one phrase per item
    left out (the same phrase for items of a kind), for the import report."""
    tokens: Tokenisation | None = None
    """The file's own tokens and sentences, which token exports write back unchanged."""
    suggestions: list[ImportedSuggestion] = field(default_factory=list)
    """Models' proposals the file carries, stored as pending suggestions."""
    relations: list[ImportedRelation] = field(default_factory=list)
    """Relations between the document's `spans` (by index), stored with them."""
