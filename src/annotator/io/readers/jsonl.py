"""JSONL (docs/architecture.md, "Contracts"): one verbatim document per line; every bad line is
reported.

Peers' JSONL comes in too: doccano's sequence labelling and relation exports and Prodigy's
annotated examples (jsonl_spans has the span shapes). A Prodigy example answered "reject" or
"ignore" is skipped, and its `_annotator_id` (else `_session_id`) names the layer when the record
has no "annotator": `ner_news-alice` becomes `alice` in a file named `ner_news.jsonl` (as
`prodigy db-out ner_news DIR` names it), else stays whole."""

from __future__ import annotations

import codecs
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, Status
from annotator.io.base import ReadResult, title_from_text
from annotator.io.readers.article_meta import meta_title, normalise_meta, split_header
from annotator.io.readers.json_values import SURROGATE, json_kind, name_value, reject_constant
from annotator.io.readers.jsonl_spans import (
    REFUSED_KEYS,
    SPAN_KEYS,
    record_relations,
    record_spans,
)

_KNOWN_KEYS = frozenset(
    {"text", "meta", "annotator", "status", "title", "relations", "tokens", *SPAN_KEYS}
    | set(REFUSED_KEYS)
    | {"document_id"}  # the id our export gives a document in its project: not metadata
)
"""Keys that are not the document's metadata ("tokens": a Prodigy example's token list)."""
_STATUSES = tuple(status.value for status in Status)
_ANSWERS = ("accept", "reject", "ignore")
_PRODIGY_ANNOTATOR_KEYS = ("_annotator_id", "_session_id")


def read_jsonl(path: Path, data: bytes) -> ReadResult:
    """Read one document per non-blank line, raising ImportFailed with every problem found; the
    result notes the examples skipped."""
    notes: list[str] = []
    documents = list(iter_jsonl(path, data.split(b"\n"), notes))
    return ReadResult(documents, notes)


def iter_jsonl(path: Path, lines: Iterable[bytes], notes: list[str]) -> Iterator[ImportedDocument]:
    """The documents of a JSONL file's lines, as they are read (io.base.LineReader): after a
    bad line nothing more is yielded, but every line is checked and ImportFailed names every
    problem; the notes of the examples skipped are appended at the end."""
    errors: list[InputError] = []
    answers: Counter[str] = Counter()
    read = 0
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                reason = "JSONL must be UTF-8, but this file is UTF-16 or UTF-32"
                raise InputError(str(path), None, reason)
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        problems: list[str] = []
        record = _record(raw, problems)
        answer = _answer(record, problems) if record is not None else None
        if record is None or problems:
            errors.extend(InputError(str(path), number, problem) for problem in problems)
            continue
        if answer in ("reject", "ignore"):
            answers[answer] += 1
            continue
        doc = _document(record, path, problems)
        if problems:
            errors.extend(InputError(str(path), number, problem) for problem in problems)
            continue
        doc.source, doc.line = str(path), number
        doc.title = doc.title or title_from_text(doc.text, f"{path.name}:{number}")
        read += 1
        if not errors:
            yield doc
    if errors:
        raise ImportFailed(errors)
    if not read and not answers:
        raise InputError(str(path), None, "empty file")
    notes += _skipped_notes(answers)


def _record(raw: bytes, problems: list[str]) -> dict[str, Any] | None:
    """The line's JSON object, or None with the reason appended."""
    obj = _parse(raw, problems)
    if problems:
        return None
    if not isinstance(obj, dict):
        problems.append(f"expected a JSON object, got {json_kind(obj)}")
        return None
    return obj


def _answer(record: dict[str, Any], problems: list[str]) -> str | None:
    """Prodigy's "answer" (accept, reject or ignore), None when absent."""
    answer = record.get("answer")
    if answer is not None and answer not in _ANSWERS:
        problems.append(f'"answer" must be one of {", ".join(_ANSWERS)}; got {json.dumps(answer)}')
    return answer if isinstance(answer, str) else None


def _document(record: dict[str, Any], path: Path, problems: list[str]) -> ImportedDocument:
    """The document of one record; problems are appended. Its metadata is the record's "meta"
    and other top-level keys, else what a header block opening the text states (the text is
    kept whole: offsets point into it)."""
    text = _text(record.get("text"), problems)
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, dict):
        problems.append(f'"meta" must be an object, got {json_kind(meta)}')
    extras = {key: value for key, value in record.items() if key not in _KNOWN_KEYS}
    header, body = split_header(text or "")
    stated = normalise_meta({**extras, **(meta if isinstance(meta, dict) else {})})
    meta = {**header.meta(), **stated}
    title = name_value(record.get("title"), '"title"', problems, required=False)
    status = record.get("status")
    if status is not None and status not in _STATUSES:
        choices = ", ".join(_STATUSES)
        problems.append(f'"status" must be one of {choices}; got {json.dumps(status)}')
    spans = record_spans(record, text, problems)
    return ImportedDocument(
        text=text or "",
        title=title or meta_title(meta) or header.title or title_from_text(body, ""),
        meta=meta,
        spans=spans,
        annotator=_annotator(record, path, problems),
        status=status,
        verbatim=True,
        relations=record_relations(record, spans, problems),
    )


def _annotator(record: dict[str, Any], path: Path, problems: list[str]) -> str | None:
    """The record's "annotator", else Prodigy's annotator or session id (less the
    `{file name}-` prefix Prodigy's dataset name gives it), else None."""
    if "annotator" in record:
        return name_value(record["annotator"], '"annotator"', problems, required=False)
    for key in _PRODIGY_ANNOTATOR_KEYS:
        if key in record:
            name = name_value(record[key], f'"{key}"', problems, required=False)
            dataset = f"{path.stem}-"
            if name is not None and name.startswith(dataset) and name[len(dataset) :].strip():
                return name[len(dataset) :]
            return name
    return None


def _skipped_notes(answers: Counter[str]) -> list[str]:
    """The report lines for what the file holds but was not imported."""
    if answers:
        return [f"{answers['reject']} rejected, {answers['ignore']} ignored examples skipped"]
    return []


def _parse(raw: bytes, problems: list[str]) -> Any:
    """The line's JSON value; on failure the decoder's reason is appended (and None returned)."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=reject_constant)
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
        problems.append(f'"text" must be a string, got {json_kind(value)}')
    elif not value.strip():
        problems.append('"text" is empty')
    elif match := SURROGATE.search(value):
        code = f"U+{ord(match.group()):04X}"
        problems.append(f'"text" has a lone surrogate ({code}) at character {match.start()}')
    else:
        return value
    return None
