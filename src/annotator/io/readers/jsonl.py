"""JSONL (docs/architecture.md, "Contracts"): one verbatim document per line; every bad line is
reported."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, ImportedSpan, Status
from annotator.io.base import title_from_text
from annotator.io.readers.json_values import json_kind as _kind
from annotator.io.readers.json_values import reject_constant as _reject_constant

_KNOWN_KEYS = frozenset({"text", "meta", "spans", "annotator", "status", "title"})
_STATUSES = tuple(status.value for status in Status)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def read_jsonl(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read one document per non-blank line, raising ImportFailed with every problem found."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(str(path), None, "JSONL must be UTF-8, but this file is UTF-16 or UTF-32")
    docs: list[ImportedDocument] = []
    errors: list[InputError] = []
    lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        problems: list[str] = []
        doc = _document(raw, problems)
        if doc is None or problems:
            errors.extend(InputError(str(path), number, problem) for problem in problems)
            continue
        doc.source, doc.line = str(path), number
        doc.title = doc.title or title_from_text(doc.text, f"{path.name}:{number}")
        docs.append(doc)
    if errors:
        raise ImportFailed(errors)
    if not docs:
        raise InputError(str(path), None, "empty file")
    return docs


def _document(raw: bytes, problems: list[str]) -> ImportedDocument | None:
    """Parse and validate one line; problems are appended, None when nothing usable."""
    obj = _parse(raw, problems)
    if problems:
        return None
    if not isinstance(obj, dict):
        problems.append(f"expected a JSON object, got {_kind(obj)}")
        return None
    text = _text(obj.get("text"), problems)
    meta = obj.get("meta")
    if meta is not None and not isinstance(meta, dict):
        problems.append(f'"meta" must be an object, got {_kind(meta)}')
    extras = {key: value for key, value in obj.items() if key not in _KNOWN_KEYS}
    meta = {**extras, **(meta if isinstance(meta, dict) else {})}
    title = _string(obj.get("title"), '"title"', problems, required=False)
    status = obj.get("status")
    if status is not None and status not in _STATUSES:
        choices = ", ".join(_STATUSES)
        problems.append(f'"status" must be one of {choices}; got {json.dumps(status)}')
    return ImportedDocument(
        text=text or "",
        title=title or _meta_title(meta),
        meta=meta,
        spans=_spans(obj.get("spans"), text, problems),
        annotator=_string(obj.get("annotator"), '"annotator"', problems, required=False),
        status=status,
        verbatim=True,
    )


def _parse(raw: bytes, problems: list[str]) -> Any:
    """The line's JSON value; on failure the decoder's reason is appended (and None returned)."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        problems.append(f"not valid UTF-8: {exc.reason} at byte {exc.start + 1} of the line")
    except json.JSONDecodeError as exc:
        problems.append(f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        problems.append("invalid JSON: nested too deeply")
    except ValueError as exc:
        problems.append(f"invalid JSON: {exc}")
    return None


def _text(value: Any, problems: list[str]) -> str | None:
    """The document text, or None with the reason appended."""
    if value is None:
        problems.append('"text" is missing')
    elif not isinstance(value, str):
        problems.append(f'"text" must be a string, got {_kind(value)}')
    elif not value.strip():
        problems.append('"text" is empty')
    elif match := _SURROGATE.search(value):
        code = f"U+{ord(match.group()):04X}"
        problems.append(f'"text" has a lone surrogate ({code}) at character {match.start()}')
    else:
        return value
    return None


def _spans(value: Any, text: str | None, problems: list[str]) -> list[ImportedSpan]:
    """The valid spans; each bad one appends its reasons, numbered from 1."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f'"spans" must be a list, got {_kind(value)}')
        return []
    spans = []
    for number, item in enumerate(value, start=1):
        span = _span(f"span {number}", item, text, problems)
        if span is not None:
            spans.append(span)
    return spans


def _span(where: str, item: Any, text: str | None, problems: list[str]) -> ImportedSpan | None:
    """One span; extra keys (Prodigy's token_start, text, ...) are ignored."""
    if not isinstance(item, dict):
        problems.append(f"{where}: expected an object, got {_kind(item)}")
        return None
    before = len(problems)
    start = _offset(item.get("start"), f'{where}: "start"', problems)
    end = _offset(item.get("end"), f'{where}: "end"', problems)
    label = _string(item.get("label"), f'{where}: "label"', problems, required=True)
    annotator = _string(item.get("annotator"), f'{where}: "annotator"', problems, required=False)
    if start is not None and end is not None:
        if start < 0:
            problems.append(f"{where}: start {start} is negative")
        if start >= end:
            problems.append(f"{where}: start {start} is not before end {end}")
        if text is not None and end > len(text):
            problems.append(f"{where}: end {end} is beyond the text's {len(text)} characters")
    if len(problems) > before or start is None or end is None or label is None:
        return None
    return ImportedSpan(start=start, end=end, label=label, annotator=annotator)


def _offset(value: Any, what: str, problems: list[str]) -> int | None:
    """An integer offset (true/false and 3.0 are not), or None with the reason appended."""
    if value is None:
        problems.append(f"{what} is missing")
    elif isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{what} must be an integer, got {_kind(value)}")
    else:
        return value
    return None


def _string(value: Any, what: str, problems: list[str], *, required: bool) -> str | None:
    """A non-empty name without control characters, or None (with a reason if it was bad)."""
    if value is None:
        if required:
            problems.append(f"{what} is missing")
        return None
    if not isinstance(value, str):
        problems.append(f"{what} must be a string, got {_kind(value)}")
    elif not value.strip():
        problems.append(f"{what} is empty")
    elif match := _CONTROL_OR_SURROGATE.search(value):
        char = match.group()
        kind = "a lone surrogate" if _SURROGATE.match(char) else "a control character"
        problems.append(f"{what} contains {kind} (U+{ord(char):04X})")
    else:
        return value
    return None


def _meta_title(meta: dict[str, Any]) -> str:
    """meta.title when it is a usable string, else ""."""
    title = meta.get("title")
    return title.strip() if isinstance(title, str) else ""
