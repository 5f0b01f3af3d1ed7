"""JSONL reader: the schema of docs/architecture.md, verbatim text, and every bad line reported
at once."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedSpan
from annotator.io.readers.jsonl import read_jsonl

PATH = Path("data/in.jsonl")


def jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode() + b"\n"


def failures(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(ImportFailed) as info:
        read_jsonl(PATH, data)
    assert all(error.path == str(PATH) for error in info.value.errors)
    return [(error.line, error.reason) for error in info.value.errors]


def test_documents_with_meta_spans_annotator_status_and_title():
    data = jsonl(
        {
            "text": "Baykar builds the TB2.",
            "meta": {"url": "https://example.org/a"},
            "spans": [
                {"start": 0, "end": 6, "label": "ACTOR"},
                {"start": 18, "end": 21, "label": "PLATFORM", "annotator": "bob"},
            ],
            "annotator": "alice",
            "status": "done",
            "title": "Drones",
            "lang": "en",
        },
        {"text": "Second document\nwith two lines"},
    )
    first, second = read_jsonl(PATH, data)
    assert first.text == "Baykar builds the TB2."
    assert first.title == "Drones"
    assert first.meta == {"url": "https://example.org/a", "lang": "en"}
    assert first.spans == [
        ImportedSpan(0, 6, "ACTOR"),
        ImportedSpan(18, 21, "PLATFORM", annotator="bob"),
    ]
    assert (first.annotator, first.status, first.line, first.source) == (
        "alice",
        "done",
        1,
        str(PATH),
    )
    assert first.verbatim and second.verbatim
    assert second.title == "Second document"
    assert (second.spans, second.annotator, second.status, second.line) == ([], None, None, 2)


def test_meta_title_is_the_title_when_there_is_no_title_key():
    [doc] = read_jsonl(PATH, jsonl({"text": "Body", "meta": {"title": "From meta"}}))
    assert doc.title == "From meta"
    assert doc.meta == {"title": "From meta"}


def test_prodigy_records_keep_answer_and_hashes_in_meta_and_ignore_token_keys():
    record = {
        "text": "Bayraktar TB2",
        "_input_hash": 12,
        "answer": "accept",
        "spans": [
            {"start": 0, "end": 9, "label": "ACTOR", "token_start": 0, "token_end": 0},
            {"start": 10, "end": 13, "label": "PLATFORM", "text": "TB2", "source": "core"},
        ],
    }
    [doc] = read_jsonl(PATH, jsonl(record))
    assert doc.meta == {"_input_hash": 12, "answer": "accept"}
    assert doc.spans == [ImportedSpan(0, 9, "ACTOR"), ImportedSpan(10, 13, "PLATFORM")]


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_text_is_kept_exactly_crlf_emoji_rtl_and_combining_marks(ensure_ascii):
    text = "Line one\r\nשלום עולם 😀 cafe\u0301\rend\u00a0 "
    start = text.index("😀")
    record = {"text": text, "spans": [{"start": start, "end": start + 1, "label": "EMOJI"}]}
    [doc] = read_jsonl(PATH, json.dumps(record, ensure_ascii=ensure_ascii).encode())
    assert doc.text == text
    assert doc.text[doc.spans[0].start : doc.spans[0].end] == "😀"
    assert doc.text.encode("utf-8") == text.encode("utf-8")


def test_blank_lines_crlf_line_ends_and_a_utf8_bom_are_accepted():
    data = codecs.BOM_UTF8 + b'{"text": "one"}\r\n\r\n   \r\n{"text": "two"}\r\n'
    docs = read_jsonl(PATH, data)
    assert [(d.text, d.line) for d in docs] == [("one", 1), ("two", 4)]


def test_surrogate_pair_escapes_become_one_code_point():
    [doc] = read_jsonl(
        PATH, b'{"text": "a\\ud83d\\ude00b", "spans": [{"start": 1, "end": 2, "label": "E"}]}'
    )
    assert doc.text == "a😀b"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "a"', "invalid JSON: Expecting ',' delimiter (column 13)"),
        (b"not json", "invalid JSON: Expecting value (column 1)"),
        (b'{"text": "abc", "score": NaN}', "invalid JSON: NaN is not a JSON number"),
        (b"[" * 100_000, "invalid JSON: nested too deeply"),
        (
            b'{"text": "caf\xe9"}',
            "not valid UTF-8: invalid continuation byte at byte 14 of the line",
        ),
        (b'["text"]', "expected a JSON object, got an array"),
        (b'"text"', "expected a JSON object, got a string"),
        (b"null", "expected a JSON object, got null"),
        (b'{"meta": {}}', '"text" is missing'),
        (b'{"text": 5}', '"text" must be a string, got a number (5)'),
        (b'{"text": " \\n "}', '"text" is empty'),
        (b'{"text": "ab\\ud83dc"}', '"text" has a lone surrogate (U+D83D) at character 2'),
        (b'{"text": "abc", "meta": []}', '"meta" must be an object, got an array'),
        (b'{"text": "abc", "spans": {}}', '"spans" must be a list, got an object'),
        (b'{"text": "abc", "spans": [3]}', "span 1: expected an object, got a number (3)"),
        (
            b'{"text": "abc", "status": "finished"}',
            '"status" must be one of todo, in_progress, done, skipped; got "finished"',
        ),
        (b'{"text": "abc", "annotator": true}', '"annotator" must be a string, got a boolean'),
        (b'{"text": "abc", "annotator": ""}', '"annotator" is empty'),
        (b'{"text": "abc", "title": ["x"]}', '"title" must be a string, got an array'),
    ],
)
def test_a_bad_line_is_reported_with_its_number(line, reason):
    data = b'{"text": "fine"}\n' + line + b"\n"
    assert failures(data) == [(2, reason)]


def span_line(**span: object) -> bytes:
    return json.dumps({"text": "x" * 100, "spans": [span]}).encode()


@pytest.mark.parametrize(
    ("span", "reason"),
    [
        ({"end": 3, "label": "A"}, 'span 1: "start" is missing'),
        (
            {"start": "1", "end": 3, "label": "A"},
            'span 1: "start" must be an integer, got a string',
        ),
        (
            {"start": True, "end": 3, "label": "A"},
            'span 1: "start" must be an integer, got a boolean',
        ),
        (
            {"start": 1, "end": 3.0, "label": "A"},
            'span 1: "end" must be an integer, got a number (3.0)',
        ),
        ({"start": -1, "end": 3, "label": "A"}, "span 1: start -1 is negative"),
        ({"start": 3, "end": 3, "label": "A"}, "span 1: start 3 is not before end 3"),
        (
            {"start": 0, "end": 101, "label": "A"},
            "span 1: end 101 is beyond the text's 100 characters",
        ),
        ({"start": 0, "end": 3}, 'span 1: "label" is missing'),
        ({"start": 0, "end": 3, "label": ""}, 'span 1: "label" is empty'),
        ({"start": 0, "end": 3, "label": 7}, 'span 1: "label" must be a string, got a number (7)'),
        (
            {"start": 0, "end": 3, "label": "A\tB"},
            'span 1: "label" contains a control character (U+0009)',
        ),
        (
            {"start": 0, "end": 3, "label": "A\udc00"},
            'span 1: "label" contains a lone surrogate (U+DC00)',
        ),
        (
            {"start": 0, "end": 3, "label": "A", "annotator": 1},
            'span 1: "annotator" must be a string, got a number (1)',
        ),
    ],
)
def test_a_bad_span_is_reported(span, reason):
    assert failures(span_line(**span)) == [(1, reason)]


def test_every_error_of_every_line_is_collected():
    text = "x" * 100
    data = jsonl(
        {
            "text": text,
            "spans": [
                {"start": 0, "end": 5, "label": "A"},
                {"start": 10, "end": 120, "label": "B"},
            ],
        },
        {"text": "fine"},
        {"text": "", "status": "nope"},
        {"text": text, "spans": [{"start": 5, "end": 2, "label": ""}]},
    )
    assert failures(data) == [
        (1, "span 2: end 120 is beyond the text's 100 characters"),
        (3, '"text" is empty'),
        (3, '"status" must be one of todo, in_progress, done, skipped; got "nope"'),
        (4, 'span 1: "label" is empty'),
        (4, "span 1: start 5 is not before end 2"),
    ]


def test_the_message_renders_path_line_and_reason():
    with pytest.raises(ImportFailed) as info:
        read_jsonl(PATH, b'{"text": "a"}\n{"text": 1}\n')
    assert str(info.value) == f'{PATH}:2: "text" must be a string, got a number (1)'


@pytest.mark.parametrize("data", [b"", b"\n  \n\r\n", codecs.BOM_UTF8 + b"\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(InputError) as info:
        read_jsonl(PATH, data)
    assert (info.value.line, info.value.reason) == (None, "empty file")


def test_utf16_jsonl_is_refused_with_a_clear_reason():
    data = codecs.BOM_UTF16_LE + '{"text": "a"}\n'.encode("utf-16-le")
    with pytest.raises(InputError) as info:
        read_jsonl(PATH, data)
    assert info.value.reason == "JSONL must be UTF-8, but this file is UTF-16 or UTF-32"
