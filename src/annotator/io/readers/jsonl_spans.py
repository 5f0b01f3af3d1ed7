"""The annotation shapes a JSONL record may carry: the spans read, the relations counted, and
every other annotation shape refused by name (never 0 spans in silence).

Read (offsets are code points into the record's "text"):
- "spans": [{"start", "end", "label"}] (ours and Prodigy's; a span's "text", when given, must
  be the text at its offsets);
- doccano sequence labelling: "label": [[start, end, "LABEL"], ...] ("labels" in doccano 1.x,
  and "entities" in that shape too, as spaCy's training tuples have it);
- doccano relation extraction: "entities": [{"id", "start_offset", "end_offset", "label"}].
Relations ("relations"), between those spans:
- ours: {"head": span index, "tail": span index, "type"} (indices into "spans");
- doccano: {"id", "from_id", "to_id", "type"} naming entities by their "id";
- Prodigy: {"head", "child" (token indices), "head_span", "child_span", "label"}, each end the
  record's span of the same offsets (and label).
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.model import ImportedRelation, ImportedSpan
from annotator.io.readers.json_values import json_kind, name_value, offset_value

SPAN_KEYS = ("spans", "label", "labels", "entities")
"""Record keys that hold spans, in one of the shapes above."""

REFUSED_KEYS = {
    "annotations": "task annotations (Label Studio's shape)",
    "predictions": "predictions (Label Studio's shape)",
    "accept": "choice answers (Prodigy's classification shape)",
    "cats": "document categories (a classification)",
}
"""Record keys that carry annotations in a shape annotator does not read, and what they are."""

_DOCCANO_KEYS = ("start_offset", "end_offset", "label")


def record_spans(
    record: dict[str, Any], text: str | None, problems: list[str]
) -> list[ImportedSpan]:
    """The spans of a record, whichever supported key holds them; a refused annotation key, or
    more than one span key, appends its reason."""
    for key, what in REFUSED_KEYS.items():
        if key in record:
            problems.append(f'"{key}" holds {what}, which annotator does not read')
    present = [key for key in SPAN_KEYS if key in record]
    for key in present:
        if _is_classification(key, record[key], problems):
            return []
    if len(present) > 1:
        named = " and ".join(f'"{key}"' for key in present)
        problems.append(f"has both {named}; a record may hold its spans under one key only")
        return []
    if not present:
        return []
    key = present[0]
    if key == "spans":
        return _list_of(key, record[key], text, problems, _span_object)
    return _list_of(key, record[key], text, problems, _tuple_or_doccano_entity)


def _is_classification(key: str, value: Any, problems: list[str]) -> bool:
    """Whether "label", "labels" or "entities" holds document labels rather than spans (the
    reason appended)."""
    if key == "spans":
        return False
    if isinstance(value, str):
        problems.append(f'"{key}" is a single label ({json.dumps(value)}), not spans')
        return True
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        problems.append(
            f'"{key}" is a list of label names (a document classification), not spans '
            '[start, end, "LABEL"]'
        )
        return True
    return False


def record_relations(
    record: dict[str, Any], spans: list[ImportedSpan], problems: list[str]
) -> list[ImportedRelation]:
    """The relations of a record's "relations" list, between its spans, in any of the three
    shapes (module docstring); a bad one appends its reason."""
    value = record.get("relations")
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f'"relations" must be a list, got {json_kind(value)}')
        return []
    entity_ids = _entity_ids(record.get("entities"))
    places: dict[tuple[int, int], list[int]] = {}
    for n, span in enumerate(spans):
        places.setdefault((span.start, span.end), []).append(n)
    relations = []
    for number, item in enumerate(value, start=1):
        where = f"relation {number}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected an object, got {json_kind(item)}")
            continue
        if "from_id" in item or "to_id" in item:
            ends = [_by_id(item, key, entity_ids, where, problems) for key in ("from_id", "to_id")]
            kind = name_value(item.get("type"), f'{where}: "type"', problems, required=True)
        elif "child" in item or "child_span" in item:
            ends = [_by_span(item, key, spans, places, where, problems) for key in PRODIGY_ENDS]
            kind = name_value(item.get("label"), f'{where}: "label"', problems, required=True)
        else:
            ends = [_by_index(item, key, spans, where, problems) for key in ("head", "tail")]
            kind = name_value(item.get("type"), f'{where}: "type"', problems, required=True)
        head, tail = ends
        if head is not None and tail is not None and kind is not None:
            relations.append(ImportedRelation(kind, head, tail))
    return relations


PRODIGY_ENDS = ("head_span", "child_span")
"""Where a Prodigy relation states its two spans."""


def _entity_ids(entities: Any) -> dict[Any, int]:
    """doccano's entity "id" -> the entity's index among the record's spans."""
    if not isinstance(entities, list):
        return {}
    return {
        item["id"]: n
        for n, item in enumerate(entities)
        if isinstance(item, dict) and isinstance(item.get("id"), int | str)
    }


def _by_id(
    item: dict[str, Any], key: str, ids: dict[Any, int], where: str, problems: list[str]
) -> int | None:
    """The span a doccano relation's "from_id" or "to_id" names (an entity's "id")."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        problems.append(f'{where}: "{key}" must be an entity id, got {json_kind(value)}')
        return None
    if value not in ids:
        problems.append(f'{where}: "{key}" {json.dumps(value)} is not the id of an entity')
        return None
    return ids[value]


def _by_index(
    item: dict[str, Any], key: str, spans: list[ImportedSpan], where: str, problems: list[str]
) -> int | None:
    """The span our relation's "head" or "tail" names (its index in "spans")."""
    index = offset_value(item.get(key), f'{where}: "{key}"', problems)
    if index is None:
        return None
    if not 0 <= index < len(spans):
        problems.append(f'{where}: "{key}" {index} is not a span of the record ({len(spans)})')
        return None
    return index


def _by_span(
    item: dict[str, Any],
    key: str,
    spans: list[ImportedSpan],
    places: dict[tuple[int, int], list[int]],
    where: str,
    problems: list[str],
) -> int | None:
    """The record's span a Prodigy relation's "head_span" or "child_span" is (same offsets,
    and label when it gives one; `places`: the spans' indices by offsets)."""
    value = item.get(key)
    if not isinstance(value, dict):
        problems.append(f'{where}: "{key}" must be an object, got {json_kind(value)}')
        return None
    start, end, label = value.get("start"), value.get("end"), value.get("label")
    found = places.get((start, end), []) if isinstance(start, int) and isinstance(end, int) else []
    for n in found:
        if label in (None, spans[n].label):
            return n
    problems.append(
        f'{where}: "{key}" [{start}, {end}) {json.dumps(label)} is not among the record\'s spans'
    )
    return None


def _list_of(
    key: str, value: Any, text: str | None, problems: list[str], read_one: Any
) -> list[ImportedSpan]:
    """The spans of a list under `key`, each read by `read_one(where, item, text, problems)`."""
    if not isinstance(value, list):
        problems.append(f'"{key}" must be a list, got {json_kind(value)}')
        return []
    item_name = {"spans": "span", "entities": "entity"}.get(key, f'"{key}" item')
    spans = []
    for number, item in enumerate(value, start=1):
        span = read_one(f"{item_name} {number}", item, text, problems)
        if span is not None:
            spans.append(span)
    return spans


def _span_object(
    where: str, item: Any, text: str | None, problems: list[str]
) -> ImportedSpan | None:
    """A {"start", "end", "label"} span; extra keys (Prodigy's token_start, ...) are ignored."""
    if not isinstance(item, dict):
        problems.append(f"{where}: expected an object, got {json_kind(item)}")
        return None
    if "start" not in item and "end" not in item:
        problems.append(f'{where}: {_keys(item)}; expected "start", "end", "label"')
        return None
    before = len(problems)
    span = _checked(
        where,
        offset_value(item.get("start"), f'{where}: "start"', problems),
        offset_value(item.get("end"), f'{where}: "end"', problems),
        name_value(item.get("label"), f'{where}: "label"', problems, required=True),
        name_value(item.get("annotator"), f'{where}: "annotator"', problems, required=False),
        text,
        problems,
    )
    stated = item.get("text")
    if span is not None and text is not None and isinstance(stated, str):
        found = text[span.start : span.end]
        if found != stated:
            problems.append(
                f"{where}: the text at [{span.start}, {span.end}) is {json.dumps(found)}, "
                f"the span says {json.dumps(stated)}"
            )
    return span if len(problems) == before else None


def _tuple_or_doccano_entity(
    where: str, item: Any, text: str | None, problems: list[str]
) -> ImportedSpan | None:
    """A [start, end, "LABEL"] triple, or a doccano {"start_offset", "end_offset", "label"}."""
    if isinstance(item, list) and len(item) == 3:
        start, end, label = item
        what = f"{where} [start, end, label]"
        return _checked(
            where,
            offset_value(start, f"{what}: start", problems),
            offset_value(end, f"{what}: end", problems),
            name_value(label, f"{what}: label", problems, required=True),
            None,
            text,
            problems,
        )
    if isinstance(item, dict) and all(key in item for key in _DOCCANO_KEYS):
        return _checked(
            where,
            offset_value(item["start_offset"], f'{where}: "start_offset"', problems),
            offset_value(item["end_offset"], f'{where}: "end_offset"', problems),
            name_value(item["label"], f'{where}: "label"', problems, required=True),
            None,
            text,
            problems,
        )
    shape = _keys(item) if isinstance(item, dict) else f"is {json_kind(item)}"
    problems.append(
        f'{where}: {shape}; expected [start, end, "LABEL"] or '
        '{"start_offset", "end_offset", "label"}'
    )
    return None


def _checked(
    where: str,
    start: int | None,
    end: int | None,
    label: str | None,
    annotator: str | None,
    text: str | None,
    problems: list[str],
) -> ImportedSpan | None:
    """The span when its parts were read and it lies inside the text, else None (reasons
    appended)."""
    if start is None or end is None:
        return None
    before = len(problems)
    if start < 0:
        problems.append(f"{where}: start {start} is negative")
    if start >= end:
        problems.append(f"{where}: start {start} is not before end {end}")
    if text is not None and end > len(text):
        problems.append(f"{where}: end {end} is beyond the text's {len(text)} characters")
    if len(problems) > before or label is None:
        return None
    return ImportedSpan(start=start, end=end, label=label, annotator=annotator)


def _keys(item: dict[str, Any]) -> str:
    """'an object with keys a, b' (or 'an empty object'), for messages naming a shape."""
    return f"an object with keys {', '.join(sorted(item))}" if item else "an empty object"
