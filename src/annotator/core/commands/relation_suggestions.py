"""Commands that decide relation suggestions: accept one (it becomes a relation of the
annotator) or reject one; undo puts the decision back and, for an accept, removes the relation."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.model import Changes, Relation, SuggestionStatus
from annotator.core.project import Project


@dataclass
class AcceptRelationSuggestionCommand:
    """Accept a relation suggestion; undo removes the relation it made and makes it pending."""

    suggestion_id: int
    type: str
    """The suggestion's type, for the Edit menu."""
    relation: Relation | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Accept {self.type} relation suggestion"

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            if self.relation is not None:  # redo: the very same relation comes back
                changes = project.replace_relation_suggestion_status(
                    self.suggestion_id, SuggestionStatus.PENDING, SuggestionStatus.ACCEPTED
                )
                return changes | project.restore_relations([self.relation])
            changes = project.accept_relation_suggestion(self.suggestion_id)
            (self.relation,) = changes.relations
            return changes

    def revert(self, project: Project) -> Changes:
        assert self.relation is not None, "revert before apply"
        with project.transaction():
            changes = project.remove_unchanged_relation(self.relation)
            return changes | project.replace_relation_suggestion_status(
                self.suggestion_id, SuggestionStatus.ACCEPTED, SuggestionStatus.PENDING
            )


@dataclass
class RejectRelationSuggestionCommand:
    """Reject a relation suggestion; undo makes it pending again."""

    suggestion_id: int
    type: str

    @property
    def text(self) -> str:
        return f"Reject {self.type} relation suggestion"

    def apply(self, project: Project) -> Changes:
        return project.replace_relation_suggestion_status(
            self.suggestion_id, SuggestionStatus.PENDING, SuggestionStatus.REJECTED
        )

    def revert(self, project: Project) -> Changes:
        return project.replace_relation_suggestion_status(
            self.suggestion_id, SuggestionStatus.REJECTED, SuggestionStatus.PENDING
        )
