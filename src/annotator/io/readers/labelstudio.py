"""Label Studio import: its JSON export (a list of tasks) and its JSON-MIN export (a list of flat
records); text tasks, whose `labels` regions become spans, and whose predictions' `labels`
regions become suggestions.

- JSON task: `{"id", "data": {"text": ...}, "annotations": [{"completed_by", "was_cancelled",
  "result": [{"type": "labels", "value": {"start", "end", "text", "labels": [...]}}]}],
  "predictions": [...]}`. JSON-MIN record: `{"id", "text", "annotator", "label": [{"start",
  "end", "text", "labels": [...]}]}` (the region list is named after the labelling control,
  so every list of regions is read, whatever its key).
- The text is the `text` field (of `data`, or of the record), else the only string field; a
  record with neither is an error naming its keys. It is stored verbatim.
- Offsets are code points into the text (Label Studio's since 2021); a region whose `text`
  is not found there but is at the same offsets counted in UTF-16 units (older versions) is
  converted; one matching neither is an error.
- The annotator layer: `completed_by` (JSON) or `annotator` (JSON-MIN) gives the user's email,
  else `label-studio-user-ID`; without it, `created_username` (which our Label Studio export
  writes, since Label Studio refuses unknown users in `completed_by`); without one, spans go to
  `--annotator` (or `import`).
- Predictions: `{"model_version", "score", "result": [...]}`; each `labels` region is a pending
  suggestion of the model `model_version` (`labelstudio` without one), scored by the region's
  `score`, else the prediction's, else 1. Offsets are read as the annotations' are.
- Relations: an annotation's `relation` results `{"from_id", "to_id", "direction", "labels"}`
  between its regions (by the regions' `id`): the head is `from_id` (`to_id` when the direction
  is "left"), one relation per label. A prediction's relations are not read (noted).
- Left out and reported (ImportedDocument.skipped): cancelled annotations, results of other
  types (choices, textarea, ...), relations without a label and regions without offsets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import (
    ImportedDocument,
    ImportedRelation,
    ImportedSpan,
    ImportedSuggestion,
)
from annotator.io.base import title_from_text
from annotator.io.decode import decode_utf8
from annotator.io.readers.article_meta import meta_title, normalise_meta
from annotator.io.readers.json_values import json_kind, reject_constant

_MIN_RECORD_KEYS = frozenset(
    {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}
)
"""JSON-MIN's own keys beside the task's data fields and region lists."""
_TASK_KEYS = frozenset({"data", "annotations", "predictions"})
DEFAULT_MODEL = "labelstudio"
"""The model of a prediction without `model_version`."""
_CANCELLED_SKIPPED = "cancelled annotations (was_cancelled)"
RELATION = "relation"
"""The type of Label Studio's relation results."""
PREDICTED_RELATIONS = "relations of predictions (suggestions are spans only)"


def read_labelstudio(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read every task of a Label Studio JSON or JSON-MIN export, raising ImportFailed with
    every bad task (by the line it starts on)."""
    text = decode_utf8(path, data)
    docs: list[ImportedDocument] = []
    errors: list[InputError] = []
    for line, record in _records(path, text):
        problems: list[str] = []
        doc = _document(record, problems)
        if doc is None or problems:
            errors.extend(InputError(str(path), line, problem) for problem in problems)
            continue
        doc.source, doc.line = str(path), line
        doc.title = meta_title(doc.meta) or title_from_text(doc.text, f"{path.name}:{line}")
        docs.append(doc)
    if errors:
        raise ImportFailed(errors)
    if not docs:
        raise InputError(str(path), None, "no tasks found (an empty Label Studio export)")
    return docs


def _records(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """The export's tasks with the line each starts on: the items of its top-level list, or the
    file's one task object."""
    decoder = json.JSONDecoder(parse_constant=reject_constant)
    position = _skip_blank(text, 0)
    try:
        if text.startswith("{", position):
            task, position = decoder.raw_decode(text, position)
            yield _line_of(text, 0), task
        elif text.startswith("[", position):
            position = _skip_blank(text, position + 1)
            while not text.startswith("]", position):
                task, end = decoder.raw_decode(text, position)
                yield _line_of(text, position), task
                position = _skip_blank(text, end)
                if text.startswith(",", position):
                    position = _skip_blank(text, position + 1)
                elif not text.startswith("]", position):
                    raise json.JSONDecodeError("expected ',' or ']'", text, position)
            position += 1
        else:
            reason = "expected a Label Studio export: a JSON list of tasks"
            raise InputError(str(path), _line_of(text, position), reason)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise InputError(str(path), exc.lineno, reason) from None
    except RecursionError:
        raise InputError(str(path), None, "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise InputError(str(path), None, f"invalid JSON: {exc}") from None
    position = _skip_blank(text, position)
    if position < len(text):
        reason = "unexpected data after the export's JSON value"
        raise InputError(str(path), _line_of(text, position), reason)


def _skip_blank(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _document(record: Any, problems: list[str]) -> ImportedDocument | None:
    """A JSON task or a JSON-MIN record as a document, or None with the problems appended."""
    if not isinstance(record, dict):
        problems.append(f"expected a task (a JSON object), got {json_kind(record)}")
        return None
    if _TASK_KEYS & record.keys():
        return _task(record, problems)
    return _min_record(record, problems)


def _task(task: dict[str, Any], problems: list[str]) -> ImportedDocument | None:
    """A task of the JSON export: data, annotations, predictions."""
    data = task.get("data")
    if not isinstance(data, dict):
        problems.append(f'"data" must be an object, got {json_kind(data)}')
        return None
    key = _text_key(data, '"data"', set(), problems)
    if key is None:
        return None
    text = data[key]
    doc = ImportedDocument(text=text, meta=_meta(task, data, key), verbatim=True)
    for number, annotation in enumerate(_list(task, "annotations", problems), start=1):
        where = f"annotation {number}"
        if not isinstance(annotation, dict):
            problems.append(f"{where}: expected an object, got {json_kind(annotation)}")
        elif annotation.get("was_cancelled") is True:
            doc.skipped.append(_CANCELLED_SKIPPED)
        else:
            user = annotation.get("completed_by", annotation.get("created_username"))
            annotator = _annotator(user, where, problems)
            regions: dict[Any, int] = {}
            for _here, result, places in _labelled(annotation, where, doc, problems):
                if places and isinstance(result.get("id"), str | int):
                    regions.setdefault(result["id"], len(doc.spans))
                doc.spans.extend(ImportedSpan(*place, annotator) for place in places)
            doc.relations += _relations(annotation, where, regions, doc, problems)
    for number, prediction in enumerate(_list(task, "predictions", problems), start=1):
        _prediction(prediction, f"prediction {number}", doc, problems)
    return doc


def _prediction(prediction: Any, where: str, doc: ImportedDocument, problems: list[str]) -> None:
    """Add a prediction's `labels` regions to the document as suggestions of its model."""
    if not isinstance(prediction, dict):
        problems.append(f"{where}: expected an object, got {json_kind(prediction)}")
        return
    results = prediction.get("result")
    for result in results if isinstance(results, list) else []:
        if isinstance(result, dict) and result.get("type") == RELATION:
            doc.skipped.append(PREDICTED_RELATIONS)
    model = prediction.get("model_version")
    model = model.strip() if isinstance(model, str) and model.strip() else DEFAULT_MODEL
    default = _score(prediction, where, 1.0, problems)
    for here, result, places in _labelled(prediction, where, doc, problems):
        score = _score(result, here, default, problems)
        for start, end, label in places:
            doc.suggestions.append(ImportedSuggestion(start, end, label, score, model))


def _labelled(
    owner: dict[str, Any], where: str, doc: ImportedDocument, problems: list[str]
) -> Iterator[tuple[str, Any, list[tuple[int, int, str]]]]:
    """The places of each `labels` result of an annotation or a prediction (`owner`), with
    where the result is and the result itself; other result types are noted as left out."""
    results = owner.get("result")
    if not isinstance(results, list):
        problems.append(f'{where}: "result" must be a list, got {json_kind(results)}')
        return
    for index, result in enumerate(results, start=1):
        here = f"{where}, result {index}"
        value = _labels_value(result, here, doc, problems)
        if value is not None:
            yield here, result, _region(value, here, doc.text, problems)


def _score(owner: dict[str, Any], where: str, default: float, problems: list[str]) -> float:
    """A prediction's or region's `score`, or `default` when it has none."""
    score = owner.get("score")
    if score is None:
        return default
    if isinstance(score, bool) or not isinstance(score, int | float):
        problems.append(f'{where}: "score" must be a number, got {json_kind(score)}')
        return default
    return float(score)


def _labels_value(
    result: Any, where: str, doc: ImportedDocument, problems: list[str]
) -> dict[str, Any] | None:
    """The `value` of a `labels` result; None for other types (noted as skipped) and bad ones."""
    if not isinstance(result, dict):
        problems.append(f"{where}: expected an object, got {json_kind(result)}")
        return None
    kind = result.get("type")
    if kind == RELATION:
        return None  # an annotation's relations are read by _relations; a prediction's are not
    if kind != "labels":
        doc.skipped.append(f"{json.dumps(kind)} results (only 'labels' results are read)")
        return None
    value = result.get("value")
    if not isinstance(value, dict):
        problems.append(f'{where}: "value" must be an object, got {json_kind(value)}')
        return None
    return value


def _relations(
    annotation: dict[str, Any],
    where: str,
    regions: dict[Any, int],
    doc: ImportedDocument,
    problems: list[str],
) -> list[ImportedRelation]:
    """The annotation's `relation` results between its regions (`regions`: region id -> its
    first span's index): head `from_id` and tail `to_id` ("left": the other way round), one
    relation per label; one without a label is left out (noted)."""
    results = annotation.get("result")
    relations: list[ImportedRelation] = []
    for index, result in enumerate(results if isinstance(results, list) else [], start=1):
        if not isinstance(result, dict) or result.get("type") != RELATION:
            continue
        here = f"{where}, result {index}"
        ends = []
        for key in ("from_id", "to_id"):
            if result.get(key) not in regions:
                found = json.dumps(result.get(key))
                problems.append(f'{here}: "{key}" {found} is not the id of a labelled region')
            ends.append(regions.get(result.get(key)))
        labels = result.get("labels", [])
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            problems.append(f'{here}: "labels" must be a list of names, got {json_kind(labels)}')
            continue
        if not labels:
            doc.skipped.append("relations without a label")
            continue
        head, tail = ends
        if head is None or tail is None:
            continue
        if result.get("direction") == "left":
            head, tail = tail, head
        relations += [ImportedRelation(label, head, tail) for label in labels]
    return relations


def _min_record(record: dict[str, Any], problems: list[str]) -> ImportedDocument | None:
    """A JSON-MIN record: the task's data fields, region lists and annotator side by side."""
    regions = {key for key, value in record.items() if _is_region_list(value)}
    key = _text_key(record, "the record", _MIN_RECORD_KEYS | regions, problems)
    if key is None:
        return None
    text = record[key]
    fields = {k: v for k, v in record.items() if k not in regions and k != key}
    doc = ImportedDocument(text=text, meta=fields, verbatim=True)
    annotator = _annotator(record.get("annotator"), '"annotator"', problems)
    for name, value in fields.items():
        if isinstance(value, list) and any(isinstance(item, list) for item in value):
            problems.append(
                f'"{name}" holds lists such as {json.dumps(value[0])[:60]}, an annotation shape '
                "Label Studio does not write (doccano's [start, end, label]?); nothing read"
            )
    for name in sorted(regions):
        for number, region in enumerate(record[name], start=1):
            if {"start", "end"} <= region.keys():
                found = _region(region, f'"{name}" region {number}', text, problems)
                doc.spans.extend(ImportedSpan(*place, annotator) for place in found)
            else:
                doc.skipped.append(f'"{name}" regions without start and end (not text spans)')
    return doc


def _is_region_list(value: Any) -> bool:
    """Whether a JSON-MIN value is a list of regions (objects), as a labelling control writes."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _text_key(
    fields: dict[str, Any], where: str, excluded: set[str] | frozenset[str], problems: list[str]
) -> str | None:
    """The field holding the text: "text", else the only string field not excluded."""
    if "text" in fields:
        key = "text"
    else:
        strings = [k for k, v in fields.items() if isinstance(v, str) and k not in excluded]
        if len(strings) != 1:
            keys = ", ".join(json.dumps(k) for k in fields) or "none"
            problems.append(
                f'no text: {where} has no "text" field and not exactly one string field to take '
                f"instead (keys: {keys})"
            )
            return None
        key = strings[0]
    value = fields[key]
    if not isinstance(value, str):
        problems.append(f'"{key}" must be a string, got {json_kind(value)}')
    elif not value.strip():
        problems.append(f'"{key}" is empty')
    else:
        return key
    return None


def _region(
    value: dict[str, Any], where: str, text: str, problems: list[str]
) -> list[tuple[int, int, str]]:
    """(start, end, label) in code points for each label of a region `{"start", "end", "text",
    "labels"}`; [] with the problems appended when it is bad."""
    before = len(problems)
    start, end = value.get("start"), value.get("end")
    for name, offset in (("start", start), ("end", end)):
        if isinstance(offset, bool) or not isinstance(offset, int):
            problems.append(f'{where}: "{name}" must be an integer, got {json_kind(offset)}')
    labels = value.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        got = json_kind(labels)
        problems.append(f'{where}: "labels" must be a non-empty list of names, got {got}')
    if len(problems) > before:
        return []
    offsets = _code_point_offsets(text, start, end, value.get("text"))
    if offsets is None:
        problems.append(f"{where}: {_misplaced(text, start, end, value.get('text'))}")
        return []
    return [(*offsets, label) for label in labels]


def _misplaced(text: str, start: int, end: int, quoted: Any) -> str:
    """Why a region's offsets cannot be placed in the text."""
    if not isinstance(quoted, str):
        return f"offsets {start}..{end} do not fit the {len(text)}-character text"
    found = repr(text[start:end]) if 0 <= start < end <= len(text) else "nothing"
    return (
        f"offsets {start}..{end} do not hold the region's text {quoted!r} (found {found}), "
        "counted in code points or in UTF-16 units"
    )


def _code_point_offsets(text: str, start: int, end: int, quoted: Any) -> tuple[int, int] | None:
    """The region's code-point offsets: as given, or converted from UTF-16 units when only
    those hold its quoted text; None when neither does (or they are out of range)."""
    inside = 0 <= start < end <= len(text)
    if inside and (not isinstance(quoted, str) or text[start:end] == quoted):
        return start, end
    if not isinstance(quoted, str):
        return None
    units = text.encode("utf-16-le")
    try:
        converted = tuple(len(units[: 2 * unit].decode("utf-16-le")) for unit in (start, end))
    except UnicodeDecodeError:  # an offset inside a surrogate pair
        return None
    if 0 <= start < end <= len(units) // 2 and text[converted[0] : converted[1]] == quoted:
        return converted[0], converted[1]
    return None


def _annotator(value: Any, where: str, problems: list[str]) -> str | None:
    """The layer a Label Studio user id, email or user object names (None when absent)."""
    if isinstance(value, dict):
        email, user_id = value.get("email"), value.get("id")
        value = email if isinstance(email, str) and email.strip() else user_id
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"label-studio-user-{value}"
    problems.append(f"{where}: the annotator must be a user id or email, got {json_kind(value)}")
    return None


def _list(task: dict[str, Any], key: str, problems: list[str]) -> list[Any]:
    """A task's list field ([] when absent), or [] with the problem appended."""
    value = task.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f'"{key}" must be a list, got {json_kind(value)}')
        return []
    return value


def _meta(task: dict[str, Any], data: dict[str, Any], text_key: str) -> dict[str, Any]:
    """What the document keeps of the task: its id, its other data fields and its meta (title,
    date, source and URL as our export writes them there; the date made ISO)."""
    meta = {key: value for key, value in data.items() if key != text_key}
    if isinstance(task.get("meta"), dict):
        meta.update(task["meta"])
    if task.get("id") is not None:
        meta["label_studio_task"] = task["id"]
    return normalise_meta(meta)
