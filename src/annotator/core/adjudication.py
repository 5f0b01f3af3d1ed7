"""Adjudication: what several annotators marked in a document, and what the reviewer decided.

A candidate is a distinct (label, start, end) marked by at least one of the compared
annotators. It is agreed when all of them marked it, else it is a disagreement. Overlapping
candidates form a group, so a label or extent choice is shown together. Two candidates compete
only in a label choice (the same extent, other labels) or an extent choice (the same label over
extents that overlap while neither contains the other); a candidate nested inside another is a
separate decision. A state comes from the gold layer and the stored rejections: accepted (gold
has it), rejected (the reviewer kept it out), superseded (gold took a competitor) or open.

A relation candidate is a distinct (type, head, tail) that at least one compared annotator
linked, each end a span's (label, start, end); a symmetric type's ends in text order. It is
agreed when all of them have it; accepted when gold links spans of those ends with that type,
rejected when the reviewer kept it out, else open. Relation candidates count in a document's
progress beside span candidates.
Pure functions over plain tuples; no storage, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.core.relation_keys import RelationKey

Key = tuple[str, int, int]
"""(label, start, end) of a candidate or a gold span."""
Mark = tuple[str, str, int, int]
"""(annotator, label, start, end) of one annotator's span."""
RelationMark = tuple[str, RelationKey]
"""(annotator, relation key) of one annotator's relation."""


class CandidateState(StrEnum):
    """Where the reviewer stands with one candidate."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    start: int
    end: int
    annotators: tuple[str, ...]
    """Who marked it, sorted."""
    agreed: bool
    group: int
    """Number of its overlap group in the document (0, 1, ...)."""
    state: CandidateState = CandidateState.OPEN

    @property
    def key(self) -> Key:
        return (self.label, self.start, self.end)

    @property
    def decided(self) -> bool:
        return self.state is not CandidateState.OPEN


@dataclass(frozen=True, slots=True)
class RelationCandidate:
    type: str
    head: Key
    tail: Key
    annotators: tuple[str, ...]
    """Who linked it, sorted."""
    agreed: bool
    state: CandidateState = CandidateState.OPEN

    @property
    def key(self) -> RelationKey:
        return (self.type, self.head, self.tail)

    @property
    def decided(self) -> bool:
        return self.state is not CandidateState.OPEN


@dataclass(frozen=True, slots=True)
class DocumentReview:
    """Every candidate of one document for a set of compared annotators, by position: spans,
    then relations."""

    document_id: int
    annotators: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    relations: tuple[RelationCandidate, ...] = ()

    @property
    def decided(self) -> int:
        return sum(c.decided for c in self.candidates) + sum(r.decided for r in self.relations)

    @property
    def total(self) -> int:
        return len(self.candidates) + len(self.relations)

    @property
    def adjudicated(self) -> bool:
        """Every candidate decided (a document nobody marked anything in counts as done)."""
        return self.decided == self.total

    def open_agreed(self) -> list[Candidate]:
        """Agreed candidates still waiting for a decision (what "accept all agreed" takes)."""
        return [c for c in self.candidates if c.agreed and not c.decided]

    def open_agreed_relations(self) -> list[RelationCandidate]:
        """Agreed relation candidates still waiting for a decision (also taken by "accept all
        agreed")."""
        return [r for r in self.relations if r.agreed and not r.decided]

    def open_relation_disagreements(self) -> list[RelationCandidate]:
        """Relation disagreements still waiting for a decision, in list order."""
        return [r for r in self.relations if not r.agreed and not r.decided]

    def next_stop(
        self, span: Key | None, relation: RelationKey | None, step: int
    ) -> Candidate | RelationCandidate | None:
        """The open disagreement after (step > 0) or before (step < 0) the current candidate
        (a span's key, or a relation's when one is current), span disagreements first, then
        relation ones; None when there is no more in that direction."""
        links = self.open_relation_disagreements()
        if relation is None:
            found = self.neighbour_disagreement(span, step)
            if found is not None or step < 0:
                return found
            return links[0] if links else None
        order = [r.key for r in self.relations]
        here = order.index(relation) if relation in order else -1
        if step > 0:
            return next((r for r in links if order.index(r.key) > here), None)
        before = [r for r in links if order.index(r.key) < here]
        return before[-1] if before else self.neighbour_disagreement(None, -1)

    def first_stop(self, step: int) -> Candidate | RelationCandidate | None:
        """The first open disagreement (step > 0) or the last (step < 0), spans before
        relations; None when there is none."""
        stops: list[Candidate | RelationCandidate] = [
            *self.open_disagreements(),
            *self.open_relation_disagreements(),
        ]
        return (stops[0] if step > 0 else stops[-1]) if stops else None

    def find_relation(self, key: RelationKey | None) -> RelationCandidate | None:
        """The relation candidate with that key, if any."""
        return next((r for r in self.relations if r.key == key), None)

    def open_disagreements(self) -> list[Candidate]:
        """Disagreements still waiting for a decision, by position."""
        return [c for c in self.candidates if not c.agreed and not c.decided]

    def find(self, key: Key | None) -> Candidate | None:
        """The candidate with that key, if any."""
        return next((c for c in self.candidates if c.key == key), None)

    def neighbour_disagreement(self, after: Key | None, step: int) -> Candidate | None:
        """The open disagreement after (step > 0) or before `after` (None: from the edge);
        None when there is no more in that direction."""
        order = [c.key for c in self.candidates]
        targets = self.open_disagreements()
        if after not in order:
            return (targets[0] if step > 0 else targets[-1]) if targets else None
        here = order.index(after)
        if step > 0:
            return next((c for c in targets if order.index(c.key) > here), None)
        return next((c for c in reversed(targets) if order.index(c.key) < here), None)


@dataclass(frozen=True, slots=True)
class ReviewProgress:
    documents: int
    adjudicated: int
    decided: int
    total: int


def review_document(
    document_id: int,
    marks: Iterable[Mark],
    annotators: Sequence[str],
    gold: Iterable[Key] = (),
    rejected: Iterable[Key] = (),
    relations: Iterable[RelationMark] = (),
    gold_relations: Iterable[RelationKey] = (),
    rejected_relations: Iterable[RelationKey] = (),
) -> DocumentReview:
    """The candidates of a document: `marks` and `relations` of any layer (others are
    ignored); the gold layer's keys and the stored rejections decide their states."""
    chosen = tuple(sorted(set(annotators)))
    who: dict[Key, set[str]] = {}
    for annotator, label, start, end in marks:
        if annotator in chosen:
            who.setdefault((label, start, end), set()).add(annotator)
    gold_keys, rejected_keys = set(gold), set(rejected)
    candidates = []
    group, reach = -1, -1
    for key in sorted(who, key=lambda k: (k[1], k[2], k[0])):
        label, start, end = key
        if start >= reach:
            group += 1
        reach = max(reach, end)
        candidates.append(
            Candidate(
                label,
                start,
                end,
                tuple(sorted(who[key])),
                len(who[key]) == len(chosen),
                group,
                _state(key, gold_keys, rejected_keys),
            )
        )
    linked = relation_candidates(relations, chosen, gold_relations, rejected_relations)
    return DocumentReview(document_id, chosen, tuple(candidates), linked)


def relation_candidates(
    relations: Iterable[RelationMark],
    annotators: tuple[str, ...],
    gold: Iterable[RelationKey],
    rejected: Iterable[RelationKey],
) -> tuple[RelationCandidate, ...]:
    """The relation candidates of the compared `annotators`, by head then tail position."""
    who: dict[RelationKey, set[str]] = {}
    for annotator, key in relations:
        if annotator in annotators:
            who.setdefault(key, set()).add(annotator)
    gold_keys, rejected_keys = set(gold), set(rejected)
    order = sorted(who, key=lambda k: (k[1][1], k[1][2], k[2][1], k[2][2], k[0], k[1][0], k[2][0]))
    return tuple(
        RelationCandidate(
            *key,
            tuple(sorted(who[key])),
            len(who[key]) == len(annotators),
            _decision(key in gold_keys, key in rejected_keys),
        )
        for key in order
    )


def _state(key: Key, gold: set[Key], rejected: set[Key]) -> CandidateState:
    if key in gold or key in rejected:
        return _decision(key in gold, key in rejected)
    if gold and rival(key, gold) is not None:
        return CandidateState.SUPERSEDED
    return CandidateState.OPEN


def _decision(accepted: bool, rejected: bool) -> CandidateState:
    """Accepted (gold has it) before rejected, else open."""
    if accepted:
        return CandidateState.ACCEPTED
    return CandidateState.REJECTED if rejected else CandidateState.OPEN


def competes(key: Key, other: Key) -> bool:
    """Whether `key` and `other` are two sides of one choice: a label choice (the same extent,
    another label) or an extent choice (the same label, extents that overlap while neither
    contains the other). Nested candidates, and different labels elsewhere, never compete."""
    label, start, end = key
    other_label, other_start, other_end = other
    if (start, end) == (other_start, other_end):
        return label != other_label
    overlap = start < other_end and other_start < end
    nested = (start <= other_start and other_end <= end) or (
        other_start <= start and end <= other_end
    )
    return label == other_label and overlap and not nested


def rival(key: Key, gold: Iterable[Key]) -> Key | None:
    """The gold span accepting `key` would replace: one of the same extent with another label,
    else one of an extent choice (see `competes`); None when there is none (or gold has `key`)."""
    spans = sorted(gold, key=lambda k: (k[1], k[2], k[0]))
    if key in spans:
        return None
    rivals = [g for g in spans if competes(key, g)]
    same_extent = [g for g in rivals if (g[1], g[2]) == (key[1], key[2])]
    return next(iter(same_extent or rivals), None)


def progress(reviews: Iterable[DocumentReview]) -> ReviewProgress:
    """Candidates decided and documents fully adjudicated over several documents."""
    documents = adjudicated = decided = total = 0
    for review in reviews:
        documents += 1
        adjudicated += review.adjudicated
        decided += review.decided
        total += review.total
    return ReviewProgress(documents, adjudicated, decided, total)
