"""The project's labels: the palette, its names, colours, hotkeys and kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select

from annotator.core import labelrules
from annotator.core.errors import ConflictError
from annotator.core.model import Changes, Label, LabelKind
from annotator.core.project.part import Part
from annotator.core.project.rules import require
from annotator.core.storage import relation_rows, repo, tombstones
from annotator.core.storage.orm import (
    LabelRow,
    RelationTypeLabelRow,
    RelationTypeRow,
    SpanRow,
    SuggestionRow,
)

_KEEP = object()
"""Sentinel: leave this field as it is."""


class Labels(Part):
    """Reads and edits of the label palette."""

    def labels(self) -> list[Label]:
        """Every label in palette order."""
        with self._read() as s:
            rows = s.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
            return [repo.to_label(row) for row in rows]

    def label(self, name: str) -> Label:
        """The label of that name, or NotFoundError."""
        with self._read() as s:
            return repo.to_label(repo.label_row(s, name))

    def add_labels(self, specs: Sequence[Any]) -> Changes:
        """Add several labels (objects with name, color, hotkey, description, kind) at once."""
        changes = Changes()
        for spec in specs:
            changes |= self.add_label(
                spec.name, spec.color, spec.hotkey, spec.description, LabelKind(spec.kind)
            )
        return changes

    def add_label(
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        description: str = "",
        kind: LabelKind = LabelKind.SPAN,
        *,
        label_id: int | None = None,
        position: int | None = None,
    ) -> Changes:
        """Add a label; a colour is picked from the colour-blind-safe palette when not given."""
        name = labelrules.normal_name(name)
        require(labelrules.name_problem(name))
        require(labelrules.hotkey_problem(hotkey))
        require(labelrules.description_problem(description))
        with self._write() as s:
            existing = s.execute(select(LabelRow.name, LabelRow.color, LabelRow.hotkey)).all()
            if any(row.name.casefold() == name.casefold() for row in existing):
                raise ConflictError(f"a label named {name!r} already exists")
            require(labelrules.lookalike_problem("label", name, (row.name for row in existing)))
            if hotkey is not None and any(row.hotkey == hotkey for row in existing):
                raise ConflictError(f"hotkey {hotkey!r} is already used by another label")
            if color is None:
                from annotator.core.labelrules import next_color

                color = next_color(row.color for row in existing)
            normal = labelrules.normalize_color(color)
            if normal is None:
                raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
            if position is None:
                position = (s.scalar(select(func.max(LabelRow.position))) or 0) + 1
            s.add(
                LabelRow(
                    id=label_id,
                    name=name,
                    color=normal,
                    hotkey=hotkey,
                    description=description,
                    kind=LabelKind(kind).value,
                    position=position,
                )
            )
        return Changes(labels=frozenset({name}))

    def update_label(
        self,
        name: str,
        *,
        new_name: Any = _KEEP,
        color: Any = _KEEP,
        hotkey: Any = _KEEP,
        description: Any = _KEEP,
    ) -> Changes:
        """Rename, recolour, re-key or describe a label (only the fields given change)."""
        with self._write() as s:
            row = repo.label_row(s, name)
            if new_name is not _KEEP:
                new_name = labelrules.normal_name(new_name)
            if new_name is not _KEEP and new_name != row.name:
                require(labelrules.name_problem(new_name))
                clash = s.scalar(
                    select(LabelRow.id).where(
                        func.lower(LabelRow.name) == new_name.lower(), LabelRow.id != row.id
                    )
                )
                if clash is not None:
                    raise ConflictError(f"a label named {new_name!r} already exists")
                others = s.scalars(select(LabelRow.name).where(LabelRow.id != row.id))
                require(labelrules.lookalike_problem("label", new_name, others))
                row.name = new_name
            if color is not _KEEP:
                normal = labelrules.normalize_color(color)
                if normal is None:
                    raise ConflictError(f"colour {color!r} is not of the form #RRGGBB")
                row.color = normal
            if hotkey is not _KEEP:
                require(labelrules.hotkey_problem(hotkey))
                holder = s.scalar(
                    select(LabelRow.name).where(LabelRow.hotkey == hotkey, LabelRow.id != row.id)
                )
                if hotkey is not None and holder is not None:
                    raise ConflictError(f"hotkey {hotkey!r} is already used by label {holder!r}")
                row.hotkey = hotkey
            if description is not _KEEP:
                require(labelrules.description_problem(description))
                row.description = description
            return Changes(labels=frozenset({name, row.name}))

    def label_usage(self, name: str) -> int:
        """How many spans (of any annotator) carry the label."""
        with self._read() as s:
            label_id = repo.label_row(s, name).id
            return s.scalar(select(func.count(SpanRow.id)).where(SpanRow.label_id == label_id)) or 0

    def remove_label(self, name: str, *, force: bool = False) -> Changes:
        """Remove a label; refused while spans use it unless `force`, which removes them too,
        with their relations (carried in `relations_before`). Relation types no longer list
        it among the labels allowed at their ends."""
        with self._write() as s:
            row = repo.label_row(s, name)
            span_ids = s.scalars(select(SpanRow.id).where(SpanRow.label_id == row.id)).all()
            if span_ids and not force:
                raise ConflictError(
                    f"label {name!r} is used by {len(span_ids)} span(s); "
                    "remove them first or force the removal"
                )
            buried = tombstones.span_keys(s, SpanRow.label_id == row.id)
            linked = relation_rows.of_spans(select(SpanRow.id).where(SpanRow.label_id == row.id))
            relations = relation_rows.relations_where(s, linked)
            relation_rows.bury_now(s, relation_rows.relation_keys(s, linked))
            kinds = s.scalars(
                select(RelationTypeRow.name)
                .join(RelationTypeLabelRow)
                .where(RelationTypeLabelRow.label_id == row.id)
            ).all()
            s.execute(delete(SpanRow).where(SpanRow.label_id == row.id))
            tombstones.bury_now(s, buried)
            s.execute(delete(SuggestionRow).where(SuggestionRow.label_id == row.id))
            s.delete(row)
            return Changes(
                labels=frozenset({name}),
                spans_removed=tuple(span_ids),
                relations_removed=tuple(relation.id for relation in relations),
                relations_before=tuple(relations),
                relation_types=frozenset(kinds),
            )
