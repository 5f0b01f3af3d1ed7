"""Relations of a merge: relation types by name, relations by their two spans, deletions.

- A relation type matches by name without regard to case; a new name that looks like one here
  (look-alike letters) refuses the merge. A new one keeps its definition
  (directed or symmetric, the labels allowed at each end, its guideline); its colour and
  hotkey as a new label's (core.merge_names.settle_style). A type whose direction or allowed
  labels differ here is reported; this project's definition is kept.
- A relation matches by (document, annotator, type, head, tail), each end its span's (label,
  start, end); a symmetric type's ends in either order. It is added between this project's
  spans of that identity (brought by the same merge, or here already); one whose span is
  missing here, or whose labels the type does not allow here, is not added and is reported.
- Review relation rejections match by (document, type, head, tail), as review rejections of
  spans do (core.merge_decisions): one the gold layer here contradicts is reported, not added.
- Deletions (`relation_tombstone`) travel as span deletions do: a source's deletion is stored
  here and removes the relation here unless it changed after the deletion; a source's relation
  deleted here after it last changed is not brought back. A span deleted by a merge takes its
  relations along, and each gets a tombstone of the span's deletion time.
Merging the same source again adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import InputError
from annotator.core.importing import chunks
from annotator.core.merge_names import MergeNames, settle_style
from annotator.core.merge_records import (
    MergeDocument,
    MergeRelation,
    MergeRelationRejection,
    MergeReport,
)
from annotator.core.model import RelationType
from annotator.core.relation_keys import End, RelationKey, relation_key
from annotator.core.schema import RelationTypeSpec
from annotator.core.storage import relation_rows, tombstones
from annotator.core.storage.orm import (
    AnnotatorRow,
    RelationRow,
    RelationTypeLabelRow,
    RelationTypeRow,
    ReviewRelationRejectionRow,
    utcnow,
)
from annotator.core.storage.relation_marks import (
    RelationIdentity,
    bury_relations,
    identity,
    rejection_marks,
    relation_marks,
    relation_tombstones,
)


class MergeRelationTypes:
    """This project's relation types by name, adding what a source brings."""

    def __init__(self, s: Session, report: MergeReport, names: MergeNames) -> None:
        self._s = s
        self._report = report
        self._names = names
        self._types = {kind.name: kind for kind in relation_rows.relation_types(s)}
        self._colors: dict[str, str] = {}
        self._hotkeys: dict[str, str] = {}
        for kind in self._types.values():
            self._colors.setdefault(kind.color.upper(), kind.name)
            if kind.hotkey:
                self._hotkeys[kind.hotkey] = kind.name
        self._folded = {name.casefold(): name for name in self._types}
        self._position = s.scalar(select(func.max(RelationTypeRow.position))) or 0
        self._seen: set[tuple[str, str]] = set()

    def ours(self, name: str) -> RelationType:
        """This project's relation type of that name (as `type_of` spelled it)."""
        return self._types[name]

    def directed(self) -> dict[str, bool]:
        """Whether each relation type here is directed, by name."""
        return {name: kind.directed for name, kind in self._types.items()}

    def declare(self, source: str, specs: list[RelationTypeSpec]) -> None:
        """Match (or add) every relation type a source defines."""
        for spec in specs:
            self.type_of(source, spec.name, None, spec)

    def type_of(
        self, source: str, name: str, line: int | None, spec: RelationTypeSpec | None = None
    ) -> RelationType:
        """This project's relation type that `source` calls `name` (added when unknown)."""
        name = labelrules.normal_name(name)
        ours = self._types.get(self._folded.get(name.casefold(), name))
        first = (source, name) not in self._seen
        self._seen.add((source, name))
        if ours is None:
            problem = labelrules.name_problem(name, "relation type") or (
                labelrules.lookalike_problem("relation type", name, self._types)
            )
            if problem is not None:
                raise InputError(source, line, problem)
            return self._add(source, name, spec)
        if first:
            self._report.counts["relation types"].present += 1
            if ours.name != name:
                self._conflict(source, f"relation type {name!r} taken as {ours.name!r}")
            if spec is not None:
                self._compare(source, ours, spec)
        return ours

    def _compare(self, source: str, ours: RelationType, spec: RelationTypeSpec) -> None:
        """Report where a source defines one of our types otherwise (ours is kept)."""
        if spec.directed != ours.directed:
            here, there = ("directed", "symmetric") if ours.directed else ("symmetric", "directed")
            self._conflict(
                source, f"relation type {ours.name!r} is {there} there, {here} here; kept {here}"
            )
        for role, theirs, mine in (
            ("head", spec.head, ours.head_labels),
            ("tail", spec.tail, ours.tail_labels),
        ):
            theirs = tuple(self._names.our_label(label) for label in theirs)
            if set(theirs) != set(mine):
                self._conflict(
                    source,
                    f"relation type {ours.name!r} allows {_labels(theirs)} at its {role} there, "
                    f"{_labels(mine)} here; kept this project's",
                )

    def _add(self, source: str, name: str, spec: RelationTypeSpec | None) -> RelationType:
        color, hotkey, description = settle_style(
            self._report,
            "relation types",
            source,
            "relation type",
            name,
            (spec.color, spec.hotkey, spec.description) if spec is not None else None,
            self._colors,
            self._hotkeys,
        )
        self._position += 1
        directed = spec.directed if spec is not None else True
        row = {
            "name": name,
            "color": color,
            "hotkey": hotkey,
            "directed": directed,
            "description": description,
            "position": self._position,
        }
        query = insert(RelationTypeRow).returning(RelationTypeRow.id)
        type_id = self._s.execute(query, [row]).scalar_one()
        ends = {"head": spec.head if spec else (), "tail": spec.tail if spec else ()}
        allowed = [
            {
                "relation_type_id": type_id,
                "label_id": self._names.label_id(source, label, None),
                "role": role,
            }
            for role, labels in ends.items()
            for label in dict.fromkeys(labels)
        ]
        if allowed:
            self._s.execute(insert(RelationTypeLabelRow), allowed)
        kind = RelationType(
            type_id,
            name,
            color,
            hotkey,
            directed,
            tuple(self._names.our_label(label) for label in ends["head"]),
            tuple(self._names.our_label(label) for label in ends["tail"]),
            description,
            self._position,
        )
        self._types[name] = kind
        self._folded[name.casefold()] = name
        self._colors.setdefault(color, name)
        if hotkey is not None:
            self._hotkeys[hotkey] = name
        self._report.counts["relation types"].added += 1
        return kind

    def _conflict(self, source: str, message: str) -> None:
        self._report.conflict("relation types", source, message)


class MergeRelations:
    """Merges one batch's relations and relation deletions; `describe` names a document of this
    project in conflict messages."""

    def __init__(
        self,
        s: Session,
        report: MergeReport,
        names: MergeNames,
        types: MergeRelationTypes,
        describe: Callable[[int], str],
    ) -> None:
        self._s = s
        self._report = report
        self._names = names
        self._types = types
        self._describe = describe

    def deletions(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Take a source's relation deletions: each is stored (so it travels on), and removes
        the relation here when that relation was not changed after it."""
        incoming: dict[RelationIdentity, datetime] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for gone in doc.relation_deletions:
                key = self._identity(
                    source, doc, doc_id, gone.annotator, gone.type, gone.head, gone.tail
                )
                incoming[key] = max(gone.deleted_at, incoming.get(key, gone.deleted_at))
        if not incoming:
            return
        documents = {key[0] for key in incoming}
        directed = self._types.directed()
        known = relation_tombstones(self._s, documents, directed)
        live = self._live(documents)
        counts, newer, doomed = self._report.counts["relation deletions"], {}, []
        for key, deleted_at in incoming.items():
            ours = known.get(key)
            if ours is None or deleted_at > ours:
                newer[key] = deleted_at
                counts.added += ours is None
                counts.updated += ours is not None
            else:
                counts.present += 1
            relation = live.get(key)
            if relation is not None and relation[1] <= deleted_at:
                doomed.append(relation[0])
                self._report.document_ids.add(key[0])
        for chunk in chunks(doomed, 500):
            self._s.execute(delete(RelationRow).where(RelationRow.id.in_(chunk)))
        bury_relations(self._s, newer)
        self._report.relation_deletions_applied += len(doomed)

    def spans_removed(self, deleted: Mapping[int, datetime]) -> None:
        """Spans (id → when deleted) the merge is about to remove: their relations go with
        them, each recorded as deleted then."""
        if not deleted:
            return
        ids = sorted(deleted)
        directed, found = self._types.directed(), {}
        for chunk in chunks(ids, 500):
            query = relation_marks(
                RelationRow.id, RelationRow.head_span_id, RelationRow.tail_span_id
            ).where(RelationRow.head_span_id.in_(chunk) | RelationRow.tail_span_id.in_(chunk))
            for d, a, _, kind, hl, hs, he, tl, ts, te, rel_id, head, tail in self._s.execute(query):
                key = identity(d, a, kind, (hl, hs, he), (tl, ts, te), directed=directed[kind])
                found[rel_id] = (key, deleted[head] if head in deleted else deleted[tail])
        bury_relations(self._s, dict(found.values()))
        self._report.relation_deletions_applied += len(found)

    def relations(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Add a source's relations this project lacks, between its spans of the same identity."""
        wanted: dict[RelationIdentity, MergeRelation] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for item in doc.relations:
                key = self._identity(
                    source, doc, doc_id, item.annotator, item.type, item.head, item.tail
                )
                wanted.setdefault(key, item)
        if not wanted:
            return
        documents = {key[0] for key in wanted}
        live = self._live(documents)
        buried = relation_tombstones(self._s, documents, self._types.directed())
        spans = tombstones.live_spans(self._s, documents)
        counts, now = self._report.counts["relations"], utcnow()
        rows: list[dict[str, Any]] = []
        for key, item in wanted.items():
            if key in live:
                counts.present += 1
                continue
            if _deleted_since(item, buried.get(key)):
                self._report.relations_kept_deleted += 1
                continue
            doc_id, annotator_id, type_name, head, tail = key
            kind = self._types.ours(type_name)
            head_span = spans.get((doc_id, annotator_id, *head))
            tail_span = spans.get((doc_id, annotator_id, *tail))
            where = (
                f"{self._describe(doc_id)}: {item.annotator}'s {type_name} relation "
                f"{_end(head)} → {_end(tail)}"
            )
            if head_span is None or tail_span is None:
                self._report.conflict(
                    "relations", source, f"{where}: a span of it is not here; not added"
                )
                continue
            if not kind.allows(head[0], tail[0]):
                self._report.conflict(
                    "relations",
                    source,
                    f"{where}: {type_name} does not allow these labels here; not added",
                )
                continue
            first, second = (head_span[0], head), (tail_span[0], tail)
            if not kind.directed and (second[1][1:], second[0]) < (first[1][1:], first[0]):
                first, second = second, first  # symmetric: the span earlier in text order heads
            rows.append(
                {
                    "document_id": doc_id,
                    "annotator_id": annotator_id,
                    "type_id": kind.id,
                    "head_span_id": first[0],
                    "tail_span_id": second[0],
                    "source": item.source.value,
                    "created_at": item.created_at or now,
                    "updated_at": item.updated_at or now,
                }
            )
        for chunk in chunks(rows, 5000):
            self._s.connection().execute(insert(RelationRow.__table__), chunk)
        counts.added += len(rows)
        self._report.document_ids.update(row["document_id"] for row in rows)

    def rejections(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Add a source's review relation rejections this project lacks; one the gold layer
        here contradicts (it holds that relation) is reported and not added."""
        wanted: dict[tuple[int, RelationKey], MergeRelationRejection] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for item in doc.relation_rejections:
                kind = self._types.type_of(source, item.type, doc.line)
                head, tail = (
                    self._our_end(source, end, doc.line) for end in (item.head, item.tail)
                )
                key = relation_key(kind.name, head, tail, directed=kind.directed)
                wanted.setdefault((doc_id, key), item)
        if not wanted:
            return
        documents = sorted({doc_id for doc_id, _ in wanted})
        present = {
            (d, relation_key(kind, (hl, hs, he), (tl, ts, te), directed=directed))
            for d, kind, directed, hl, hs, he, tl, ts, te, _ in self._s.execute(
                rejection_marks().where(ReviewRelationRejectionRow.document_id.in_(documents))
            )
        }
        directed = self._types.directed()
        gold = {
            (d, relation_key(kind, (hl, hs, he), (tl, ts, te), directed=directed[kind]))
            for d, _, _, kind, hl, hs, he, tl, ts, te in self._s.execute(
                relation_marks().where(
                    RelationRow.document_id.in_(documents), AnnotatorRow.is_gold.is_(True)
                )
            )
        }
        counts, now = self._report.counts["rejected relations"], utcnow()
        rows: list[dict[str, Any]] = []
        for (doc_id, key), item in wanted.items():
            type_name, head, tail = key
            if (doc_id, key) in present:
                counts.present += 1
            elif (doc_id, key) in gold:
                self._report.conflict(
                    "rejected relations",
                    source,
                    f"{self._describe(doc_id)}: {type_name} {_end(head)} → {_end(tail)} was "
                    "rejected in review there and is in the gold layer here; kept the gold "
                    "relation",
                )
            else:
                rows.append(
                    {
                        "document_id": doc_id,
                        "type_id": self._types.ours(type_name).id,
                        "head_label_id": self._names.label_id(source, head[0], None),
                        "head_start": head[1],
                        "head_end": head[2],
                        "tail_label_id": self._names.label_id(source, tail[0], None),
                        "tail_start": tail[1],
                        "tail_end": tail[2],
                        "decided_at": item.decided_at or now,
                    }
                )
        if rows:
            self._s.connection().execute(insert(ReviewRelationRejectionRow.__table__), rows)
        counts.added += len(rows)
        self._report.document_ids.update(row["document_id"] for row in rows)

    def _our_end(self, source: str, end: End, line: int | None) -> End:
        """A source's relation end with this project's spelling of its label (added when
        unknown)."""
        self._names.label_id(source, end[0], line)
        return (self._names.our_label(end[0]), end[1], end[2])

    def _identity(
        self,
        source: str,
        doc: MergeDocument,
        doc_id: int,
        annotator: str,
        type_name: str,
        head: End,
        tail: End,
    ) -> RelationIdentity:
        annotator_id = self._names.annotator_id(source, annotator, doc.line)
        kind = self._types.type_of(source, type_name, doc.line)
        ours = (
            (self._names.our_label(head[0]), *head[1:]),
            (self._names.our_label(tail[0]), *tail[1:]),
        )
        return identity(doc_id, annotator_id, kind.name, *ours, directed=kind.directed)

    def _live(self, documents: set[int]) -> dict[RelationIdentity, tuple[int, datetime]]:
        """(id, updated_at) of every relation of these documents, by identity."""
        directed = self._types.directed()
        query = relation_marks(RelationRow.id, RelationRow.updated_at).where(
            RelationRow.document_id.in_(sorted(documents))
        )
        found = {}
        for d, a, _, kind, hl, hs, he, tl, ts, te, rel_id, at in self._s.execute(query):
            key = identity(d, a, kind, (hl, hs, he), (tl, ts, te), directed=directed[kind])
            found[key] = (rel_id, at)
        return found


def _deleted_since(item: MergeRelation, deleted_at: datetime | None) -> bool:
    """Whether this project deleted the relation after the source's copy last changed (a copy
    without times counts as older)."""
    if deleted_at is None:
        return False
    changed = item.updated_at or item.created_at
    return changed is None or changed <= deleted_at


def _end(end: End) -> str:
    label, start, stop = end
    return f"{label} [{start}, {stop})"


def _labels(labels: tuple[str, ...]) -> str:
    return ", ".join(labels) if labels else "any label"
