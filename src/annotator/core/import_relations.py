"""The relations an import carries (ImportedDocument.relations): their types matched to the
project's (added with `add_labels`, else UnknownRelationTypes), each checked against its
document's spans with the file and line in every refusal, then stored in the import's
transaction with one multi-row insert (core.storage.relation_rows.insert_new)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError, UnknownLabel, UnknownRelationTypes
from annotator.core.lookalike import LookalikeIndex
from annotator.core.model import (
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    RelationType,
    SpanSource,
)
from annotator.core.storage import relation_rows, repo
from annotator.core.storage.orm import RelationTypeRow, SpanRow

LayerOf = Callable[[ImportedDocument, ImportedSpan], str]
"""The annotator whose layer receives an imported span."""


def relation_types_for(
    s: Session, documents: Sequence[ImportedDocument], added: list[str], *, add_types: bool
) -> dict[str, RelationType]:
    """The project's relation type for each type name the relations give (apart from case);
    names it lacks are added (directed, any labels, palette colours; their names appended to
    `added`) when `add_types`, else UnknownRelationTypes names them all."""
    known = {kind.name: kind for kind in relation_rows.relation_types(s)}
    spelled: dict[str, str | None] = {}
    unknown: dict[str, UnknownLabel] = {}  # by casefolded name
    for doc in documents:
        for relation in doc.relations:
            name = labelrules.normal_name(relation.type)
            if name not in spelled:
                spelled[name] = labelrules.spelling_in(name, known)
            if spelled[name] is None:
                first = unknown.get(name.casefold())
                unknown[name.casefold()] = (
                    replace(first, spans=first.spans + 1)
                    if first
                    else UnknownLabel(name, 1, doc.source or "input", doc.line, "relation")
                )
    if unknown:
        _check_new_names(known, list(unknown.values()))
        if not add_types:
            raise UnknownRelationTypes(list(unknown.values()))
        for kind in _add_types(s, [kind.name for kind in unknown.values()]):
            known[kind.name] = kind
            added.append(kind.name)
    return {
        name: known[spelling or unknown[name.casefold()].name] for name, spelling in spelled.items()
    }


def _check_new_names(known: Mapping[str, RelationType], new: list[UnknownLabel]) -> None:
    """ImportFailed if a new type's name breaks the rules or looks like another type's."""
    index = LookalikeIndex(known)
    errors = []
    for kind in new:
        problem = labelrules.name_problem(kind.name, "relation type")
        problem = problem or labelrules.lookalike_problem("relation type", kind.name, index)
        if problem:
            errors.append(InputError(kind.path, kind.line, problem))
        index.add(kind.name)
    if errors:
        raise ImportFailed(errors)


def _add_types(s: Session, names: list[str]) -> list[RelationType]:
    """Add relation types after the project's last: directed, between spans of any labels."""
    colors = list(s.scalars(select(RelationTypeRow.color)))
    position = s.scalar(select(func.max(RelationTypeRow.position))) or 0
    kinds = []
    for name in names:
        position += 1
        color = labelrules.next_color(colors)
        colors.append(color)
        row = RelationTypeRow(
            name=name, color=color, hotkey=None, directed=True, description="", position=position
        )
        s.add(row)
        s.flush()
        kinds.append(RelationType(row.id, name, color, None, True, (), (), "", position))
    return kinds


def check_relations(
    documents: Sequence[ImportedDocument],
    kinds: Mapping[str, RelationType],
    label_names: Mapping[str, str],
    layer_of: LayerOf,
) -> None:
    """ImportFailed naming every relation that does not fit its document (file, line and the
    relation's number): an end that is not one of its spans, a span linked to itself, spans of
    two annotators, or labels its type does not allow. `label_names`: the project's spelling
    of each label name the spans give."""
    errors = [
        InputError(doc.source or "input", doc.line, f"relation {number}: {problem}")
        for doc in documents
        for number, relation in enumerate(doc.relations, 1)
        if (problem := _problem(doc, relation, kinds, label_names, layer_of))
    ]
    if errors:
        raise ImportFailed(errors)


def _problem(
    doc: ImportedDocument,
    relation: ImportedRelation,
    kinds: Mapping[str, RelationType],
    label_names: Mapping[str, str],
    layer_of: LayerOf,
) -> str | None:
    count = len(doc.spans)
    for role, index in (("head", relation.head), ("tail", relation.tail)):
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
            return f"its {role} {index!r} is not one of the document's {count} span(s)"
    head, tail = doc.spans[relation.head], doc.spans[relation.tail]
    head_label = label_names[labelrules.normal_name(head.label)]
    tail_label = label_names[labelrules.normal_name(tail.label)]
    layers = layer_of(doc, head), layer_of(doc, tail)
    if layers[0] != layers[1]:
        return f"it links spans of two annotators ({layers[0]}, {layers[1]})"
    if (head_label, head.start, head.end) == (tail_label, tail.start, tail.end):
        return "it links a span to itself"
    return kinds[labelrules.normal_name(relation.type)].mismatch(head_label, tail_label)


def store_relations(
    s: Session,
    documents: Sequence[tuple[ImportedDocument, int]],
    kinds: Mapping[str, RelationType],
    label_ids: Mapping[str, int],
    layer_of: LayerOf,
) -> tuple[int, int]:
    """Store the (checked) relations of these (document, its id) pairs between their spans,
    already stored; how many were added and how many were there already."""
    carrying = [(doc, doc_id) for doc, doc_id in documents if doc.relations]
    if not carrying:
        return 0, 0
    annotators = repo.annotator_ids(s)
    span_ids = _span_ids(s, sorted({doc_id for _, doc_id in carrying}))
    rows: list[relation_rows.NewRelation] = []
    for doc, doc_id in carrying:
        for relation in doc.relations:
            head, tail = doc.spans[relation.head], doc.spans[relation.tail]
            annotator_id = annotators[layer_of(doc, head)]
            ends = [
                (span.start, span.end, span_ids[_identity(doc_id, annotator_id, span, label_ids)])
                for span in (head, tail)
            ]
            kind = kinds[labelrules.normal_name(relation.type)]
            if not kind.directed:
                ends.sort()
            source = SpanSource.IMPORT.value
            rows.append((doc_id, annotator_id, kind.id, ends[0][2], ends[1][2], source))
    added, existing = relation_rows.insert_new(s, rows)
    return len(added), existing


def _identity(
    doc_id: int, annotator_id: int, span: ImportedSpan, label_ids: Mapping[str, int]
) -> tuple[int, int, int, int, int]:
    label = label_ids[labelrules.normal_name(span.label)]
    return (doc_id, annotator_id, label, span.start, span.end)


def _span_ids(s: Session, document_ids: list[int]) -> dict[tuple[int, ...], int]:
    """Every span's id of these documents, by its identity (repo.SPAN_IDENTITY)."""
    found: dict[tuple[int, ...], int] = {}
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        query = select(SpanRow.id, *repo.SPAN_IDENTITY).where(SpanRow.document_id.in_(chunk))
        found.update((tuple(row[1:]), row[0]) for row in s.execute(query))
    return found
