"""Undoable reviewer decisions: accept a candidate into gold, reject it, accept all agreed.

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

from annotator.core.adjudication import DocumentReview, rival
from annotator.core.commands import (
    AddSpanCommand,
    Command,
    MacroCommand,
    RelabelSpanCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
)
from annotator.core.model import Changes
from annotator.core.project import Project
from annotator.core.project.review import DEFAULT_GOLD
from annotator.core.project.rules import changed_since


@dataclass
class SetRejectedCommand:
    """Record or withdraw a rejection; revert restores whatever was stored before."""

    document_id: int
    label: str
    start: int
    end: int
    rejected: bool = True
    was: bool | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Reject {self.label}" if self.rejected else f"Reopen {self.label}"

    def apply(self, project: Project) -> Changes:
        if self.was is not None:  # redo
            return self._replace(project, self.was, self.rejected)
        self.was = self._is_rejected(project)
        return project.set_rejected(
            self.document_id, self.label, self.start, self.end, self.rejected
        )

    def revert(self, project: Project) -> Changes:
        assert self.was is not None, "revert before apply"
        return self._replace(project, self.rejected, self.was)

    def _is_rejected(self, project: Project) -> bool:
        return (self.label, self.start, self.end) in project.rejections(self.document_id)

    def _replace(self, project: Project, was: bool, now: bool) -> Changes:
        with project.transaction():
            if self._is_rejected(project) != was:
                raise changed_since(
                    f"the review decision on {self.label} [{self.start}, {self.end})"
                )
            return project.set_rejected(self.document_id, self.label, self.start, self.end, now)


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
    label: str
    start: int
    end: int
    new_gold: str = DEFAULT_GOLD
    """The annotator marked gold by the first accept when the project has no gold layer."""
    steps: list[Command] | None = field(default=None, init=False)

    def _plan(self, project: Project) -> list[Command]:
        raise NotImplementedError

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
class AcceptCandidateCommand(_PlannedCommand):
    """Put (label, start, end) into gold: add it, or relabel / resize the rival gold span of a
    label or extent choice; a rejection of it is withdrawn."""

    @property
    def text(self) -> str:
        return f"Accept {self.label} into gold"

    def _plan(self, project: Project) -> list[Command]:
        gold = project.gold_annotator()
        steps: list[Command] = []
        if gold is None:
            gold = self.new_gold
            steps.append(MarkGoldCommand(gold))
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
class RejectCandidateCommand(_PlannedCommand):
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


def accept_agreed_command(
    review: DocumentReview, new_gold: str = DEFAULT_GOLD
) -> MacroCommand | None:
    """One undo step accepting every open agreed candidate of a document (None: none left)."""
    chosen = review.open_agreed()
    if not chosen:
        return None
    commands: list[Command] = [
        AcceptCandidateCommand(review.document_id, c.label, c.start, c.end, new_gold)
        for c in chosen
    ]
    spans = "span" if len(chosen) == 1 else "spans"
    return MacroCommand(f"Accept {len(chosen):,} agreed {spans}", commands)
