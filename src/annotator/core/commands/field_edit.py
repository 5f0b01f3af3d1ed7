"""The undoable edit of some fields of a named schema entry (a label, a relation type): the
first apply stores the fields before and after; undo and redo write them back by
compare-and-set on exactly those fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from annotator.core.model import Changes
from annotator.core.project import Project
from annotator.core.project.rules import changed_since


@dataclass
class FieldEdit:
    """A subclass names its entry (`WHAT`), its renaming argument (`RENAME`), and how to read
    (`_values`) and write (`_update`) the fields under the project method's argument names."""

    WHAT: ClassVar[str]
    RENAME: ClassVar[str]

    name: str
    fields: dict[str, Any]
    old: dict[str, Any] | None = field(default=None, init=False)
    new: dict[str, Any] | None = field(default=None, init=False)
    """The fields as the first apply stored them (colours normalised)."""

    @property
    def text(self) -> str:
        if self.RENAME in self.fields:
            return f"Rename {self.WHAT} {self.name} to {self.fields[self.RENAME]}"
        return f"Change {self.WHAT} {self.name}"

    def apply(self, project: Project) -> Changes:
        if self.old is not None and self.new is not None:  # redo
            return self._replace(project, self.old, self.new)
        self.old = self._current(project, self.name)
        changes = self._update(project, self.name, self.fields)
        self.new = self._current(project, self.fields.get(self.RENAME) or self.name)
        return changes

    def revert(self, project: Project) -> Changes:
        assert self.old is not None and self.new is not None, "revert before apply"
        return self._replace(project, self.new, self.old)

    def _current(self, project: Project, name: str) -> dict[str, Any] | None:
        """The edited fields of the entry called `name` as stored now (None: no such entry)."""
        values = self._values(project, name)
        return None if values is None else {key: values[key] for key in self.fields}

    def _replace(self, project: Project, was: dict[str, Any], now: dict[str, Any]) -> Changes:
        name = was.get(self.RENAME, self.name)
        with project.transaction():
            if self._current(project, name) != was:
                raise changed_since(f"{self.WHAT} {name!r}")
            return self._update(project, name, now)

    def _values(self, project: Project, name: str) -> dict[str, Any] | None:
        """Every field the entry called `name` has, by argument name; None when there is none."""
        raise NotImplementedError

    def _update(self, project: Project, name: str, fields: dict[str, Any]) -> Changes:
        """Write `fields` to the entry called `name`."""
        raise NotImplementedError
