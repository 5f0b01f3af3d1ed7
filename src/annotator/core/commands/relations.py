"""Commands on relations and relation types: add, remove, edit; each one transaction, undone
exactly (same ids) by the compare-and-set writes of core.project.undo."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.commands.field_edit import FieldEdit
from annotator.core.errors import NotFoundError
from annotator.core.model import Changes, Relation, RelationType
from annotator.core.project import Project
from annotator.core.project.relations import RELATION_FIELDS
from annotator.core.project.rules import changed_since


@dataclass
class AddRelationCommand:
    document_id: int
    annotator: str
    type: str
    head_span_id: int
    tail_span_id: int
    relation: Relation | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add {self.type} relation"

    def apply(self, project: Project) -> Changes:
        if self.relation is not None:  # redo: the very same relation comes back
            return project.restore_relations([self.relation])
        changes = project.add_relation(
            self.document_id, self.annotator, self.type, self.head_span_id, self.tail_span_id
        )
        (self.relation,) = changes.relations
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.relation is not None, "revert before apply"
        return project.remove_unchanged_relation(self.relation)


@dataclass
class RemoveRelationCommand:
    relation_id: int
    relation: Relation | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Remove {self.relation.type} relation" if self.relation else "Remove relation"

    def apply(self, project: Project) -> Changes:
        if self.relation is not None:  # redo: only the relation as it was removed
            return project.remove_unchanged_relation(self.relation)
        changes = project.remove_relation(self.relation_id)
        (self.relation,) = changes.relations_before
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.relation is not None, "revert before apply"
        return project.restore_removed_relations([self.relation])


@dataclass
class AddRelationTypeCommand:
    name: str
    color: str | None = None
    hotkey: str | None = None
    directed: bool = True
    head_labels: tuple[str, ...] = ()
    tail_labels: tuple[str, ...] = ()
    description: str = ""
    kind: RelationType | None = field(default=None, init=False)

    @property
    def text(self) -> str:
        return f"Add relation type {self.name}"

    def apply(self, project: Project) -> Changes:
        if self.kind is not None:
            return put_back_type(project, self.kind)
        changes = project.add_relation_type(
            self.name,
            self.color,
            self.hotkey,
            directed=self.directed,
            head_labels=self.head_labels,
            tail_labels=self.tail_labels,
            description=self.description,
        )
        self.kind = project.relation_type(self.name)
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.kind is not None, "revert before apply"
        with project.transaction():
            if type_or_none(project, self.kind.name) != self.kind:
                raise changed_since(f"relation type {self.kind.name!r}")
            return project.remove_relation_type(self.kind.name)


_TYPE_FIELDS = {
    "rename": "name",
    "color": "color",
    "hotkey": "hotkey",
    "directed": "directed",
    "head_labels": "head_labels",
    "tail_labels": "tail_labels",
    "description": "description",
}
"""Project.update_relation_type's argument names and the RelationType fields they set."""


@dataclass
class UpdateRelationTypeCommand(FieldEdit):
    """Rename, recolour, re-key, redirect, re-constrain or describe a relation type: `fields`
    uses Project.update_relation_type's names."""

    WHAT = "relation type"
    RENAME = "rename"

    def _values(self, project: Project, name: str) -> dict[str, Any] | None:
        kind = type_or_none(project, name)
        if kind is None:
            return None
        values = {key: getattr(kind, attribute) for key, attribute in _TYPE_FIELDS.items()}
        values["hotkey"] = values["hotkey"] or ""  # "" clears it when written back
        return values

    def _update(self, project: Project, name: str, fields: dict[str, Any]) -> Changes:
        return project.update_relation_type(name, **fields)


@dataclass
class RemoveRelationTypeCommand:
    name: str
    force: bool = False
    kind: RelationType | None = field(default=None, init=False)
    relations: tuple[Relation, ...] = field(default=(), init=False)

    @property
    def text(self) -> str:
        return f"Remove relation type {self.name}"

    def apply(self, project: Project) -> Changes:
        with project.transaction():
            kind = project.relation_type(self.name)
            if self.kind is not None and kind != self.kind:  # redo: only what was removed
                raise changed_since(f"relation type {self.name!r}")
            changes = project.remove_relation_type(self.name, force=self.force)
            if self.kind is not None and _records(changes.relations_before) != _records(
                self.relations
            ):
                raise changed_since(f"the relations of type {self.name!r}")
            self.kind, self.relations = kind, changes.relations_before
            return changes

    def revert(self, project: Project) -> Changes:
        assert self.kind is not None, "revert before apply"
        with project.transaction():
            changes = put_back_type(project, self.kind)
            return changes | project.restore_removed_relations(self.relations)


def put_back_type(project: Project, kind: RelationType) -> Changes:
    """Add a removed relation type again exactly as it was (same id, position and values)."""
    return project.add_relation_type(
        kind.name,
        kind.color,
        kind.hotkey,
        directed=kind.directed,
        head_labels=kind.head_labels,
        tail_labels=kind.tail_labels,
        description=kind.description,
        type_id=kind.id,
        position=kind.position,
    )


def _records(relations: tuple[Relation, ...]) -> list[tuple[Any, ...]]:
    """Relations' ids and values, their timestamps aside (a restored one is updated now)."""
    return [(r.id, *(getattr(r, key) for key in RELATION_FIELDS)) for r in relations]


def type_or_none(project: Project, name: str) -> RelationType | None:
    """The relation type of that name, or None."""
    try:
        return project.relation_type(name)
    except NotFoundError:
        return None
