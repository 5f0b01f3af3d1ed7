"""The annotation shapes a JSONL record may carry: the spans read, the relations counted, and
every other annotation shape refused by name (never 0 spans in silence).

Read (offsets are code points into the record's "text"):
- "spans": [{"start", "end", "label"}] (ours and Prodigy's; a span's "text", when given, must
  be the text at its offsets);
- doccano sequence labelling: "label": [[start, end, "LABEL"], ...] ("labels" in doccano 1.x,
  and "entities" in that shape too, as spaCy's training tuples have it);
- doccano relation extraction: "entities": [{"id", "start_offset", "end_offset", "label"}].
"relations" (doccano's and Prodigy's) are counted by type, since annotator has no relations.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from annotator.core.model import ImportedSpan
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


def relation_types(record: dict[str, Any], problems: list[str]) -> list[str]:
    """The type of each relation of the record ("type" in doccano, "label" in Prodigy; "relation"
    when it names none); "relations" that is not a list appends its reason."""
    value = record.get("relations")
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f'"relations" must be a list, got {json_kind(value)}')
        return []
    types = []
    for item in value:
        name = item.get("type", item.get("label")) if isinstance(item, dict) else None
        types.append(name if isinstance(name, str) and name.strip() else "relation")
    return types


def relations_note(types: Counter[str]) -> str:
    """The report line for relations left out: how many, and of which types."""
    named = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in sorted(types.items()))
    total = sum(types.values())
    return f"{total} relation(s) skipped ({named}): annotator has no relations"


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
