"""Commands on the project's labels: add, change (rename, recolour, re-key, describe), remove
with their spans; each undone exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.commands.base import BULK_ROWS
from annotator.core.commands.field_edit import FieldEdit
from annotator.core.errors import NotFoundError
from annotator.core.model import (
    Changes,
    Label,
    Relation,
    RelationType,
    Span,
)
from annotator.core.project import Project
from annotator.core.project.rules import changed_since
from annotator.core.project.spans import span_values


@dataclass
class AddLabelCommand:
    name: str
    color: str | None = None
    hotkey: str | None = None
    description: str = ""
    label: Label | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add label {self.name}"

    def apply(self, project: Project) -> Changes:
        if self.label is not None:
            return _put_back(project, self.label)
        changes = project.add_label(self.name, self.color, self.hotkey, self.description)
        self.label = project.label(self.name)
        return changes

    def revert(self, project: Project) -> Changes:
        with project.transaction():
            if _label_or_none(project, self.name) != self.label:
                raise changed_since(f"label {self.name!r}")
            return project.remove_label(self.name)


@dataclass
class UpdateLabelCommand(FieldEdit):
    """Rename, recolour, re-key or describe a label: `fields` uses Project.update_label's names."""

    WHAT = "label"
    RENAME = "new_name"

    def _values(self, project: Project, name: str) -> dict[str, Any] | None:
        label = _label_or_none(project, name)
        if label is None:
            return None
        return {
            "new_name": label.name,
            "color": label.color,
            "hotkey": label.hotkey,
            "description": label.description,
        }

    def _update(self, project: Project, name: str, fields: dict[str, Any]) -> Changes:
        return project.update_label(name, **fields)


@dataclass
class RemoveLabelCommand:
    name: str
    force: bool = False
    label: Label | None = field(default=None, init=False)
    spans: list[Span] = field(default_factory=list, init=False)
    relations: tuple[Relation, ...] = field(default=(), init=False)
    """The relations its spans' removal took along."""
    kinds: list[RelationType] = field(default_factory=list, init=False)
    """The relation types that allowed the label at an end, as they were."""

    @property
    def text(self) -> str:
        return f"Remove label {self.name}"

    @property
    def bulk(self) -> bool:
        return len(self.spans) > BULK_ROWS

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            label, spans = project.label(self.name), project.spans_with_label(self.name)
            now, then = (label, _records(spans)), (self.label, _records(self.spans))
            if self.label is not None and now != then:  # redo: only what the first apply removed
                raise changed_since(f"label {self.name!r} or its spans")
            self.label, self.spans = label, spans
            self.kinds = [
                kind
                for kind in project.relation_types()
                if label.name in kind.head_labels + kind.tail_labels
            ]
            changes = project.remove_label(self.name, force=self.force)
            self.relations = changes.relations_before
            return changes

    def revert(self, project: Project) -> Changes:
        assert self.label is not None, "revert before apply"
        with project.transaction():
            changes = _put_back(project, self.label) | project.restore_removed_spans(self.spans)
            for kind in self.kinds:
                changes |= project.update_relation_type(
                    kind.name, head_labels=kind.head_labels, tail_labels=kind.tail_labels
                )
            return changes | project.restore_removed_relations(self.relations)


def _put_back(project: Project, label: Label) -> Changes:
    """Add a removed label again exactly as it was (same id, position and values)."""
    return project.add_label(
        label.name,
        label.color,
        label.hotkey,
        label.description,
        label.kind,
        label_id=label.id,
        position=label.position,
    )


def _label_or_none(project: Project, name: str) -> Label | None:
    try:
        return project.label(name)
    except NotFoundError:
        return None


def _records(spans: list[Span]) -> list[dict[str, Any]]:
    return [{"id": span.id, **span_values(span)} for span in spans]
