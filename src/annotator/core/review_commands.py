"""Undoable reviewer decisions: accept a candidate into gold, reject it, accept all agreed.

A relation candidate is accepted by linking gold spans of its two ends with its type (the
spans gold lacks are added in the same step), and rejected by recording the rejection and
removing that relation from gold (its spans stay).

Each decision is planned on its first apply (against the gold layer as it is then) as a few
core commands; redo replays the same plan and revert unwinds it, so ids come back unchanged.
Like every command (core.commands), a decision is one transaction, and its revert and redo
refuse, changing nothing, when another reviewer changed what it decided since.
Making the gold layer is an undo step too (MarkGoldCommand): review mode runs it on entry
when the project has none, and the first accept of a project without one includes it, so undo
unmarks it and forgets a `gold` annotator it created, as long as nothing uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.adjudication import DocumentReview, Key, rival
from annotator.core.commands import (
    AddRelationCommand,
    AddSpanCommand,
    Command,
    MacroCommand,
    RelabelSpanCommand,
    RemoveRelationCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
)
from annotator.core.model import Changes
from annotator.core.project import Project
from annotator.core.project.review import DEFAULT_GOLD
from annotator.core.project.rules import changed_since
from annotator.core.relation_keys import RelationKey, relation_key


@dataclass
class _Rejection:
    """Record or withdraw a rejection (the subclass's `rejected`); revert restores whatever
    was stored before."""

    document_id: int
    was: bool | None = field(default=None, init=False)
    rejected: bool = field(default=True, kw_only=True)

    @property
    def place(self) -> str:
        """What is decided, for the refusal when someone else changed it since."""
        raise NotImplementedError

    def _is_rejected(self, project: Project) -> bool:
        raise NotImplementedError

    def _set(self, project: Project, rejected: bool) -> Changes:
        raise NotImplementedError

    def apply(self, project: Project) -> Changes:
        if self.was is not None:  # redo
            return self._replace(project, self.was, self.rejected)
        self.was = self._is_rejected(project)
        return self._set(project, self.rejected)

    def revert(self, project: Project) -> Changes:
        assert self.was is not None, "revert before apply"
        return self._replace(project, self.rejected, self.was)

    def _replace(self, project: Project, was: bool, now: bool) -> Changes:
        with project.transaction():
            if self._is_rejected(project) != was:
                raise changed_since(f"the review decision on {self.place}")
            return self._set(project, now)


@dataclass
class SetRejectedCommand(_Rejection):
    """Record or withdraw the rejection of a label on these offsets."""

    label: str
    start: int
    end: int

    @property
    def text(self) -> str:
        return f"Reject {self.label}" if self.rejected else f"Reopen {self.label}"

    @property
    def place(self) -> str:
        return f"{self.label} [{self.start}, {self.end})"

    def _is_rejected(self, project: Project) -> bool:
        return (self.label, self.start, self.end) in project.rejections(self.document_id)

    def _set(self, project: Project, rejected: bool) -> Changes:
        return project.set_rejected(self.document_id, self.label, self.start, self.end, rejected)


@dataclass
class SetRelationRejectedCommand(_Rejection):
    """Record or withdraw the rejection of a relation candidate (type, head, tail)."""

    key: RelationKey

    @property
    def text(self) -> str:
        return f"Reject {self.key[0]}" if self.rejected else f"Reopen {self.key[0]}"

    @property
    def place(self) -> str:
        return f"the {self.key[0]} relation"

    def _is_rejected(self, project: Project) -> bool:
        return self.key in project.relation_rejections(self.document_id)

    def _set(self, project: Project, rejected: bool) -> Changes:
        return project.set_relation_rejected(self.document_id, self.key, rejected)


@dataclass
class MarkGoldCommand:
    """Make `name` the gold layer (created when new); revert restores the previous marking and
    forgets `name` again when this created it and it has no spans or statuses."""

    name: str = DEFAULT_GOLD
    was: str | None = field(default=None, init=False)
    created: bool = field(default=False, init=False)
    applied: bool = field(default=False, init=False)

    @property
    def text(self) -> str:
        return f"Make {self.name!r} the gold layer"

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            current = project.gold_annotator()
            if self.applied and current != self.was:  # redo
                raise changed_since("the gold layer")
            self.was, self.applied = current, True
            self.created = all(a.name != self.name for a in project.annotators())
            return project.set_gold(self.name)

    def revert(self, project: Project) -> Changes:
        with project.transaction():
            if project.gold_annotator() != self.name:
                raise changed_since("the gold layer")
            changes = project.unmark_gold() if self.was is None else project.set_gold(self.was)
            if self.created:
                project.forget_unused_annotator(self.name)
            return changes


@dataclass
class _PlannedCommand:
    """A decision carried out as steps planned on the first apply."""

    document_id: int
    steps: list[Command] | None = field(default=None, init=False)
    new_gold: str = field(default=DEFAULT_GOLD, kw_only=True)
    """The annotator marked gold by the first accept when the project has no gold layer."""

    def _plan(self, project: Project) -> list[Command]:
        raise NotImplementedError

    def _gold(self, project: Project, steps: list[Command]) -> str:
        """The gold layer's name; when there is none, the step making `new_gold` it is added."""
        gold = project.gold_annotator()
        if gold is None:
            gold = self.new_gold
            steps.append(MarkGoldCommand(gold))
        return gold

    def apply(self, project: Project) -> Changes:
        changes = Changes(documents=frozenset({self.document_id}))
        with project.transaction():
            if self.steps is None:
                self.steps = self._plan(project)
            for step in self.steps:
                changes |= step.apply(project)
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.steps is not None, "revert before apply"
        changes = Changes(documents=frozenset({self.document_id}))
        with project.transaction():
            for step in reversed(self.steps):
                changes |= step.revert(project)
        return changes


@dataclass
class _SpanDecision(_PlannedCommand):
    """A decision on the span candidate (label, start, end)."""

    label: str
    start: int
    end: int


@dataclass
class AcceptCandidateCommand(_SpanDecision):
    """Put (label, start, end) into gold: add it, or relabel / resize the rival gold span of a
    label or extent choice; a rejection of it is withdrawn."""

    @property
    def text(self) -> str:
        return f"Accept {self.label} into gold"

    def _plan(self, project: Project) -> list[Command]:
        steps: list[Command] = []
        gold = self._gold(project, steps)
        key = (self.label, self.start, self.end)
        if key in project.rejections(self.document_id):
            steps.append(SetRejectedCommand(self.document_id, *key, rejected=False))
        spans = {(s.label, s.start, s.end): s for s in project.spans(self.document_id, gold)}
        if key in spans:
            return steps
        other = rival(key, spans)
        if other is None:
            steps.append(AddSpanCommand(self.document_id, gold, *key))
        elif (other[1], other[2]) == (self.start, self.end):
            steps.append(RelabelSpanCommand(spans[other].id, self.label))
        else:
            steps.append(ResizeSpanCommand(spans[other].id, self.start, self.end))
        return steps


@dataclass
class RejectCandidateCommand(_SpanDecision):
    """Keep (label, start, end) out of gold: record the rejection and drop it from gold."""

    @property
    def text(self) -> str:
        return f"Reject {self.label}"

    def _plan(self, project: Project) -> list[Command]:
        gold = project.gold_annotator()
        key = (self.label, self.start, self.end)
        steps: list[Command] = [SetRejectedCommand(self.document_id, *key)]
        if gold is not None:
            steps += [
                RemoveSpanCommand(s.id)
                for s in project.spans(self.document_id, gold)
                if (s.label, s.start, s.end) == key
            ]
        return steps


@dataclass
class _RelationDecision(_PlannedCommand):
    """A decision on the relation candidate `key` (type, head, tail)."""

    key: RelationKey

    def _gold_relations(self, project: Project, gold: str) -> list[tuple[int, RelationKey]]:
        """(id, key) of the gold layer's relations in the document."""
        ends = {s.id: (s.label, s.start, s.end) for s in project.spans(self.document_id, gold)}
        directed = {t.name: t.directed for t in project.relation_types()}
        return [
            (r.id, relation_key(r.type, ends[r.head], ends[r.tail], directed=directed[r.type]))
            for r in project.relations(self.document_id, gold)
        ]


@dataclass
class AcceptRelationCandidateCommand(_RelationDecision):
    """Put the relation into gold: the gold spans of its ends (added when gold lacks them)
    linked with its type; a rejection of it is withdrawn."""

    @property
    def text(self) -> str:
        return f"Accept {self.key[0]} relation into gold"

    def _plan(self, project: Project) -> list[Command]:
        steps: list[Command] = []
        gold = self._gold(project, steps)
        if self.key in project.relation_rejections(self.document_id):
            steps.append(SetRelationRejectedCommand(self.document_id, self.key, rejected=False))
        if any(key == self.key for _, key in self._gold_relations(project, gold)):
            return steps
        type_name, head, tail = self.key
        spans = {(s.label, s.start, s.end) for s in project.spans(self.document_id, gold)}
        steps += [
            AddSpanCommand(self.document_id, gold, *end)
            for end in dict.fromkeys((head, tail))
            if end not in spans
        ]
        steps.append(_LinkGoldSpans(self.document_id, gold, type_name, head, tail))
        return steps


@dataclass
class RejectRelationCandidateCommand(_RelationDecision):
    """Keep the relation out of gold: record the rejection and remove it from gold (its spans
    stay)."""

    @property
    def text(self) -> str:
        return f"Reject {self.key[0]} relation"

    def _plan(self, project: Project) -> list[Command]:
        steps: list[Command] = [SetRelationRejectedCommand(self.document_id, self.key)]
        gold = project.gold_annotator()
        if gold is not None:
            steps += [
                RemoveRelationCommand(relation_id)
                for relation_id, key in self._gold_relations(project, gold)
                if key == self.key
            ]
        return steps


@dataclass
class _LinkGoldSpans:
    """Link the annotator's spans of `head` and `tail` (found when first applied: an earlier
    step of the same plan may add them) with a relation of `type`."""

    document_id: int
    annotator: str
    type: str
    head: Key
    tail: Key
    link: AddRelationCommand | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add {self.type} relation"

    def apply(self, project: Project) -> Changes:
        if self.link is None:
            ids = {
                (s.label, s.start, s.end): s.id
                for s in project.spans(self.document_id, self.annotator)
            }
            self.link = AddRelationCommand(
                self.document_id, self.annotator, self.type, ids[self.head], ids[self.tail]
            )
        return self.link.apply(project)

    def revert(self, project: Project) -> Changes:
        assert self.link is not None, "revert before apply"
        return self.link.revert(project)


def accept_agreed_command(
    review: DocumentReview, new_gold: str = DEFAULT_GOLD
) -> MacroCommand | None:
    """One undo step accepting every open agreed candidate of a document, spans then
    relations (None: none left)."""
    spans, relations = review.open_agreed(), review.open_agreed_relations()
    if not spans and not relations:
        return None
    commands: list[Command] = [
        AcceptCandidateCommand(review.document_id, c.label, c.start, c.end, new_gold=new_gold)
        for c in spans
    ]
    commands += [
        AcceptRelationCandidateCommand(review.document_id, r.key, new_gold=new_gold)
        for r in relations
    ]
    text = f"Accept {len(spans):,} agreed {'span' if len(spans) == 1 else 'spans'}"
    if relations:
        text += f" and {len(relations):,} {'relation' if len(relations) == 1 else 'relations'}"
    return MacroCommand(text, commands)
