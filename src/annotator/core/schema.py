"""Label schemas: the default ACTOR/PLATFORM/MOTIVATION set and user schema files, with the
relation types between labels' spans (BUYS, SUPPLIES, PARTNERS_WITH, MOTIVATES by default).

The rules for a label's name, colour and hotkey live in `labelrules`; this module parses schema
files, applies the file format's leniencies, and reports problems with their line and label
number. The default labels take the three most separable hues of the Okabe–Ito palette (see
`labelrules.PALETTE`): ACTOR blue #0072B2, PLATFORM orange #E69F00 and MOTIVATION bluish green
#009E73.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from annotator.core import labelrules
from annotator.core.errors import InputError
from annotator.core.input_file import read_regular_file
from annotator.core.lookalike import skeleton
from annotator.core.model import LabelKind

RESOURCES = "annotator.resources"
MAX_SCHEMA_BYTES = 16 * 1024 * 1024
"""Schema files above this size are refused rather than read into memory."""

_LABEL_KEYS = ("name", "color", "hotkey", "description", "kind")
_RELATION_KEYS = ("name", "color", "hotkey", "directed", "head", "tail", "description")
_SCHEMA_KEYS = ("name", "description", "labels", "relations")
_Fail = Callable[[str], InputError]


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """A label as a schema defines it, before it is stored in a project."""

    name: str
    color: str
    hotkey: str | None = None
    description: str = ""
    kind: LabelKind = LabelKind.SPAN


@dataclass(frozen=True, slots=True)
class RelationTypeSpec:
    """A relation type as a schema defines it: the labels allowed at its head and tail (none
    listed: any), directed or symmetric."""

    name: str
    color: str
    hotkey: str | None = None
    directed: bool = True
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Schema:
    """A whole schema file: its labels and the relation types between their spans."""

    labels: list[LabelSpec]
    relations: list[RelationTypeSpec]


def load_schema(path: Path) -> list[LabelSpec]:
    """The labels of a schema file (read_schema)."""
    return read_schema(path).labels


def read_schema(path: Path) -> Schema:
    """Read and strictly validate a schema file; every problem is an InputError(path, line)."""
    try:
        raw = read_regular_file(Path(path), MAX_SCHEMA_BYTES)
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read the schema: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(str(path), line, "the schema is not UTF-8 text") from exc
    return schema_from_text(text, str(path))


def parse_schema(text: str, source: str = "<schema>") -> list[LabelSpec]:
    """The labels of schema JSON text (schema_from_text)."""
    return schema_from_text(text, source).labels


def schema_from_text(text: str, source: str = "<schema>") -> Schema:
    """Validate schema JSON text: {"name": ..., "labels": [...], "relations": [...]} or a bare
    list of labels."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise InputError(source, exc.lineno, reason) from None
    except RecursionError:
        raise InputError(source, None, "invalid JSON: nested too deeply") from None
    relations: list[Any] = []
    if isinstance(data, dict):
        unknown = sorted(set(data) - set(_SCHEMA_KEYS))
        if unknown:
            reason = f"unknown key {unknown[0]!r} (expected {', '.join(_SCHEMA_KEYS)})"
            raise InputError(source, 1, reason)
        if "labels" not in data:
            raise InputError(source, 1, 'the schema has no "labels" list')
        items = data["labels"]
        if not isinstance(items, list):
            raise InputError(source, 1, f'"labels" must be a list, not {_kind_of(items)}')
        for key in ("name", "description"):
            if not isinstance(data.get(key, ""), str):
                raise InputError(source, 1, f'"{key}" must be a string')
        relations = data.get("relations", [])
        if not isinstance(relations, list):
            raise InputError(source, 1, f'"relations" must be a list, not {_kind_of(relations)}')
    elif isinstance(data, list):
        items = data
    else:
        reason = (
            f'expected an object with a "labels" list, or a list of labels; got {_kind_of(data)}'
        )
        raise InputError(source, 1, reason)
    if not items:
        raise InputError(source, 1, "the schema has no labels")
    labels = _validate_labels(items, _item_starts(text, "labels"), source)
    kinds = _validate_relations(relations, _item_starts(text, "relations"), source, labels)
    return Schema(labels, kinds)


def _validate_labels(items: list[Any], starts: list[int], source: str) -> list[LabelSpec]:
    """Check every label object; colours missing from the file are assigned afterwards."""
    names: dict[str, int] = {}
    hotkeys: dict[str, int] = {}
    checked: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        line = starts[index] if index < len(starts) else None
        label = _check_label(index + 1, item, source, line)
        where = f"label {index + 1} ({label['name']!r})"
        key = skeleton(label["name"])
        if key in names:
            first = names[key]
            other = f"label {first + 1} ({checked[first]['name']!r})"
            if label["name"].casefold() == checked[first]["name"].casefold():
                reason = f"name duplicates {other} (case is ignored)"
            else:
                reason = f"name looks like {other} (look-alike letters count as the same)"
            raise InputError(source, line, f"{where}: {reason}")
        names[key] = index
        hotkey = label["hotkey"]
        if hotkey is not None:
            if hotkey in hotkeys:
                first = hotkeys[hotkey]
                other = f"label {first + 1} ({items[first]['name']!r})"
                raise InputError(source, line, f"{where}: hotkey {hotkey!r} is used by {other}")
            hotkeys[hotkey] = index
        checked.append(label)
    used = [label["color"] for label in checked if label["color"] is not None]
    specs = []
    for label in checked:
        if label["color"] is None:
            label["color"] = labelrules.next_color(used)
            used.append(label["color"])
        specs.append(LabelSpec(**label))
    return specs


def _check_label(number: int, item: Any, source: str, line: int | None) -> dict[str, Any]:
    """Validate one label object and return its normalised fields (color None when absent)."""
    if not isinstance(item, dict):
        reason = f'label {number}: expected an object with a "name", got {_kind_of(item)}'
        raise InputError(source, line, reason)
    if "name" not in item:
        raise InputError(source, line, f'label {number}: missing "name"')
    name = item["name"]
    if not isinstance(name, str):
        raise InputError(
            source, line, f"label {number}: name must be a string, not {_kind_of(name)}"
        )
    name = labelrules.normal_name(name)
    where = f"label {number} ({name!r})"

    def fail(reason: str) -> InputError:
        return InputError(source, line, f"{where}: {reason}")

    unknown = sorted(set(item) - set(_LABEL_KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (expected {', '.join(_LABEL_KEYS)})")
    problem = labelrules.name_problem(name)
    if problem is not None:  # the reason quotes the name itself
        raise InputError(source, line, f"label {number}: {problem}")
    return {
        "name": name,
        "color": _check_color(item.get("color"), fail),
        "hotkey": _check_hotkey(item.get("hotkey"), fail),
        "description": _check_description(item.get("description", ""), fail),
        "kind": _check_kind(item.get("kind", LabelKind.SPAN.value), fail),
    }


def _validate_relations(
    items: list[Any], starts: list[int], source: str, labels: list[LabelSpec]
) -> list[RelationTypeSpec]:
    """Check every relation type object against the schema's labels; colours missing from the
    file are assigned afterwards, from the palette's colours no other relation type uses."""
    names: dict[str, str] = {}
    hotkeys: dict[str, str] = {}
    checked: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        line = starts[index] if index < len(starts) else None
        kind = _check_relation(index + 1, item, source, line, labels)
        where = f"relation {index + 1} ({kind['name']!r})"
        key = skeleton(kind["name"])
        if key in names:
            raise InputError(source, line, f"{where}: name is used by relation {names[key]}")
        names[key] = f"{index + 1} ({kind['name']!r})"
        hotkey = kind["hotkey"]
        if hotkey is not None:
            if hotkey in hotkeys:
                raise InputError(
                    source,
                    line,
                    f"{where}: hotkey {hotkey!r} is used by relation {hotkeys[hotkey]}",
                )
            hotkeys[hotkey] = f"{index + 1} ({kind['name']!r})"
        checked.append(kind)
    used = [kind["color"] for kind in checked if kind["color"] is not None]
    for kind in checked:
        if kind["color"] is None:
            kind["color"] = labelrules.next_color(used)
            used.append(kind["color"])
    return [RelationTypeSpec(**kind) for kind in checked]


def _check_relation(
    number: int, item: Any, source: str, line: int | None, labels: list[LabelSpec]
) -> dict[str, Any]:
    """Validate one relation type object and return its normalised fields."""
    if not isinstance(item, dict):
        reason = f'relation {number}: expected an object with a "name", got {_kind_of(item)}'
        raise InputError(source, line, reason)
    if "name" not in item:
        raise InputError(source, line, f'relation {number}: missing "name"')
    name = item["name"]
    if not isinstance(name, str):
        reason = f"relation {number}: name must be a string, not {_kind_of(name)}"
        raise InputError(source, line, reason)
    name = labelrules.normal_name(name)
    problem = labelrules.name_problem(name, "relation type")
    if problem is not None:
        raise InputError(source, line, f"relation {number}: {problem}")
    where = f"relation {number} ({name!r})"

    def fail(reason: str) -> InputError:
        return InputError(source, line, f"{where}: {reason}")

    unknown = sorted(set(item) - set(_RELATION_KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (expected {', '.join(_RELATION_KEYS)})")
    directed = item.get("directed", True)
    if not isinstance(directed, bool):
        raise fail(f"directed must be true or false, not {_shown(directed)}")
    return {
        "name": name,
        "color": _check_color(item.get("color"), fail),
        "hotkey": _check_hotkey(item.get("hotkey"), fail),
        "directed": directed,
        "head": _check_ends("head", item.get("head", []), labels, fail),
        "tail": _check_ends("tail", item.get("tail", []), labels, fail),
        "description": _check_description(item.get("description", ""), fail),
    }


def _check_ends(role: str, value: Any, labels: list[LabelSpec], fail: _Fail) -> tuple[str, ...]:
    """The span labels allowed at one end, as the schema's labels spell them (one name or a
    list; none: any label)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise fail(f"{role} must be a label name or a list of label names")
    spans = [label.name for label in labels if label.kind == LabelKind.SPAN]
    allowed = []
    for name in names:
        spelling = labelrules.spelling_in(labelrules.normal_name(name), spans)
        if spelling is None:
            raise fail(f"{role} label {name!r} is not a span label of this schema")
        if spelling not in allowed:
            allowed.append(spelling)
    return tuple(allowed)


def _check_color(value: Any, fail: _Fail) -> str | None:
    """'#RRGGBB' or '#RGB', normalised to upper-case '#RRGGBB'; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(f"color must be a string like '#0072B2', not {_kind_of(value)}")
    normal = labelrules.normalize_color(value)
    if normal is None:
        raise fail(f"color {value!r} is not #RRGGBB")
    return normal


def _check_hotkey(value: Any, fail: _Fail) -> str | None:
    """A hotkey by the shared rule, after the file format's leniencies; None when absent.

    Files may write a digit key as a JSON integer 1-9 and a letter key in upper case.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise fail(f"hotkey must be a string like 'a' or '1', not {_kind_of(value)}")
    if isinstance(value, int) and 1 <= value <= 9:
        value = str(value)
    elif isinstance(value, str) and len(value) == 1 and "A" <= value <= "Z":
        value = value.lower()
    problem = labelrules.hotkey_problem(value)
    if problem is not None:
        raise fail(problem)
    return str(value)  # a string by now: hotkey_problem lets nothing else through


def _check_description(value: Any, fail: _Fail) -> str:
    """Free guideline text, by the shared description rules."""
    if not isinstance(value, str):
        raise fail(f"description must be a string, not {_kind_of(value)}")
    problem = labelrules.description_problem(value)
    if problem is not None:
        raise fail(problem)
    return value


def _check_kind(value: Any, fail: _Fail) -> LabelKind:
    """'span' or 'document'."""
    if not isinstance(value, str) or value not in {k.value for k in LabelKind}:
        raise fail(f"kind {_shown(value)} is not span or document")
    return LabelKind(value)


def _shown(value: Any) -> str:
    """A value as the user wrote it: strings quoted, other scalars as JSON, containers by type."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list | dict):
        return _kind_of(value)
    return json.dumps(value)


def _kind_of(value: Any) -> str:
    """A JSON type name for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _item_starts(text: str, key: str) -> list[int]:
    """Line numbers where each object of the list under `key` (a bare list: the labels)
    starts, for error messages (text is valid JSON)."""
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\n\r":
            i += 1
        return i

    i = skip(0)
    if text.startswith("{", i):
        i, array_at = skip(i + 1), None
        while not text.startswith("}", i):
            name, i = decoder.raw_decode(text, i)
            i = skip(skip(i) + 1)  # past ':'
            if name == key:
                array_at = i
            _, i = decoder.raw_decode(text, i)
            i = skip(i)
            if text.startswith(",", i):
                i = skip(i + 1)
        if array_at is None:
            return []
        i = array_at
    elif key != "labels":
        return []
    if not text.startswith("[", i):
        return []
    starts = []
    i = skip(i + 1)
    while not text.startswith("]", i):
        starts.append(text.count("\n", 0, i) + 1)
        _, i = decoder.raw_decode(text, i)
        i = skip(i)
        if text.startswith(",", i):
            i = skip(i + 1)
    return starts


def default_schema() -> list[LabelSpec]:
    """The labels of the built-in defence-procurement schema."""
    return default_full_schema().labels


def default_relation_types() -> list[RelationTypeSpec]:
    """The relation types of the built-in defence-procurement schema."""
    return default_full_schema().relations


def default_full_schema() -> Schema:
    """The built-in defence-procurement schema, read from the installed resources package."""
    resource = files(RESOURCES) / "schemas" / "default.json"
    return schema_from_text(
        resource.read_text(encoding="utf-8"), "annotator.resources/schemas/default.json"
    )
