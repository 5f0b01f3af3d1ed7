"""JSONL from peers' tools: doccano's sequence labelling and relation exports (their own example
files), Prodigy's answers and annotator ids, and annotation shapes refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.core.model import ImportedSpan
from annotator.io.base import skipped_notes
from annotator.io.readers.jsonl import read_jsonl

DOCCANO = Path(__file__).parents[1] / "data" / "peers" / "doccano"
PATH = Path("data/in.jsonl")


def jsonl(*records: object) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode() + b"\n"


def reasons(data: bytes, path: Path = PATH) -> list[tuple[int | None, str]]:
    with pytest.raises(ImportFailed) as info:
        read_jsonl(path, data)
    return [(error.line, error.reason) for error in info.value.errors]


def span_texts(doc) -> list[tuple[str, str]]:
    return [(doc.text[s.start : s.end], s.label) for s in doc.spans]


def test_doccano_sequence_labelling_export_brings_its_spans():
    path = DOCCANO / "sequence_labeling.jsonl"
    docs = read_jsonl(path, path.read_bytes())
    assert [span_texts(doc) for doc in docs] == [
        [("EU", "ORG"), ("German", "MISC")],
        [("Peter Blackburn", "PERSON")],
        [("Obama", "PERSON")],
    ]
    assert skipped_notes(docs) == []


def test_doccano_relation_export_brings_entities_and_their_relations():
    path = DOCCANO / "relation_extraction.jsonl"
    docs = read_jsonl(path, path.read_bytes())
    assert span_texts(docs[0]) == [
        ("Google", "ORG"),
        ("September 4, 1998", "DATE"),
        ("Larry Page", "PERSON"),
        ("Sergey Brin", "PERSON"),
    ]
    assert [(r.type, r.head, r.tail) for r in docs[0].relations] == [
        ("foundedAt", 0, 1),
        ("foundedBy", 0, 2),
        ("foundedBy", 0, 3),
    ]
    assert "relations" not in docs[0].meta and "entities" not in docs[0].meta
    assert skipped_notes(docs) == []


def test_doccano_record_without_text_is_refused_by_line():
    path = DOCCANO / "sequence_labeling_missing_text.jsonl"
    assert reasons(path.read_bytes(), path) == [(3, '"text" is missing')]


def test_doccano_offsets_are_code_points_of_the_decoded_text_with_emoji_and_crlf():
    text = "Baykar 🚀 sold TB2\r\nto Azerbaïjan 👨‍👩‍👧 and Kaan."
    first = {"id": 7, "text": text, "label": [[0, 6, "ORG"], [22, 32, "GPE"]], "Comments": []}
    entities = [
        {"id": 1, "start_offset": 14, "end_offset": 17, "label": "WEAPON"},
        {"id": 2, "start_offset": 43, "end_offset": 47, "label": "WEAPON"},
    ]
    relations = [{"id": 0, "from_id": 1, "to_id": 2, "type": "sameAs"}]
    second = {"text": text, "entities": entities, "relations": relations, "meta": {"src": "x"}}
    docs = read_jsonl(PATH, jsonl(first, second))
    assert span_texts(docs[0]) == [("Baykar", "ORG"), ("Azerbaïjan", "GPE")]
    assert span_texts(docs[1]) == [("TB2", "WEAPON"), ("Kaan", "WEAPON")]
    assert docs[0].text == text and docs[0].verbatim
    assert docs[0].meta == {"id": 7, "Comments": []}
    assert docs[1].meta == {"src": "x"}


def test_doccano_1x_labels_export_brings_its_spans():
    record = {
        "id": 13,
        "text": "doccano是一个面向人类的开源文本标注工具。",
        "meta": {},
        "annotation_approver": None,
        "labels": [[0, 7, "名词"], [15, 19, "名词"]],
    }
    docs = read_jsonl(PATH, jsonl(record))
    assert span_texts(docs[0]) == [("doccano", "名词"), ("开源文本", "名词")]
    assert docs[0].meta == {"id": 13, "annotation_approver": None}


def test_spacy_style_entities_triples_are_spans_too():
    docs = read_jsonl(PATH, jsonl({"text": "Baykar sells", "entities": [[0, 6, "ORG"]]}))
    assert docs[0].spans == [ImportedSpan(0, 6, "ORG")]


def test_prodigy_rejected_and_ignored_examples_are_skipped_and_counted():
    records = [
        {"text": "Baykar sells", "spans": [{"start": 0, "end": 6, "label": "ORG"}]},
        {
            "text": "Kaan flies",
            "spans": [{"start": 0, "end": 4, "label": "ORG"}],
            "answer": "reject",
        },
        {"text": "TB2 drones", "spans": [{"start": 0, "end": 3, "label": "X"}], "answer": "ignore"},
        {"text": "Akinci", "spans": [{"start": 0, "end": 6, "label": "ORG"}], "answer": "accept"},
        {"text": "Anka", "spans": [{"start": 0, "end": 99, "label": "ORG"}], "answer": "reject"},
    ]
    docs = read_jsonl(PATH, jsonl(*records))
    assert [doc.text for doc in docs] == ["Baykar sells", "Akinci"]
    assert skipped_notes(docs) == ["2 rejected, 1 ignored examples skipped"]


def test_a_file_of_rejected_examples_only_is_not_an_empty_file():
    docs = read_jsonl(PATH, jsonl({"text": "Kaan", "spans": [], "answer": "reject"}))
    assert list(docs) == [] and skipped_notes(docs) == ["1 rejected, 0 ignored examples skipped"]


def test_an_unknown_answer_is_refused():
    assert reasons(jsonl({"text": "Kaan", "answer": "maybe"})) == [
        (1, '"answer" must be one of accept, reject, ignore; got "maybe"')
    ]


@pytest.mark.parametrize(
    ("path", "record", "annotator"),
    [
        (Path("ner_news.jsonl"), {"_annotator_id": "ner_news-alice"}, "alice"),
        (Path("ner_news.jsonl"), {"_session_id": "ner_news-bob"}, "bob"),
        (Path("other.jsonl"), {"_annotator_id": "ner_news-alice"}, "ner_news-alice"),
        (Path("ner_news.jsonl"), {"_annotator_id": "ner_news-al", "_session_id": "x"}, "al"),
        (Path("ner_news.jsonl"), {"annotator": "carol", "_annotator_id": "ner_news-a"}, "carol"),
        (Path("ner_news.jsonl"), {"_annotator_id": "2024-02-06_10-17-19"}, "2024-02-06_10-17-19"),
    ],
)
def test_prodigy_annotator_and_session_ids_name_the_layer(path, record, annotator):
    span = {"start": 0, "end": 4, "label": "ORG", "token_start": 0, "token_end": 0}
    docs = read_jsonl(path, jsonl({"text": "Kaan", "spans": [span], **record}))
    assert docs[0].annotator == annotator


def test_prodigy_span_text_must_be_the_text_at_its_offsets():
    record = {"text": "a 🚀 Kaan", "spans": [{"start": 4, "end": 8, "label": "X", "text": "Kaan"}]}
    assert span_texts(read_jsonl(PATH, jsonl(record))[0]) == [("Kaan", "X")]
    utf16 = {"text": "a 🚀 Kaan", "spans": [{"start": 5, "end": 9, "label": "X", "text": "Kaan"}]}
    assert reasons(jsonl(utf16)) == [
        (1, "span 1: end 9 is beyond the text's 8 characters"),
    ]
    shifted = {
        "text": "a 🚀 Kaan!",
        "spans": [{"start": 5, "end": 9, "label": "X", "text": "Kaan"}],
    }
    assert reasons(jsonl(shifted)) == [
        (1, 'span 1: the text at [5, 9) is "aan!", the span says "Kaan"'),
    ]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {"text": "Kaan", "label": ["positive", "news"]},
            '"label" is a list of label names (a document classification), not spans '
            '[start, end, "LABEL"]',
        ),
        (
            {"text": "Kaan", "label": "INSULT", "spans": []},
            '"label" is a single label ("INSULT"), not spans',
        ),
        (
            {"text": "Kaan", "annotations": [{"result": []}]},
            '"annotations" holds task annotations (Label Studio\'s shape), '
            "which annotator does not read",
        ),
        (
            {"text": "Kaan", "accept": ["A"], "options": [{"id": "A"}]},
            '"accept" holds choice answers (Prodigy\'s classification shape), '
            "which annotator does not read",
        ),
        (
            {"text": "Kaan", "spans": [{"begin": 0, "finish": 4, "tag": "X"}]},
            'span 1: an object with keys begin, finish, tag; expected "start", "end", "label"',
        ),
        (
            {"text": "Kaan", "label": [{"start": 0, "end": 4, "labels": ["X"], "text": "Kaan"}]},
            '"label" item 1: an object with keys end, labels, start, text; expected '
            '[start, end, "LABEL"] or {"start_offset", "end_offset", "label"}',
        ),
        (
            {"text": "Kaan", "entities": [[0, 4]]},
            'entity 1: is an array; expected [start, end, "LABEL"] or '
            '{"start_offset", "end_offset", "label"}',
        ),
        (
            {"text": "Kaan", "label": [[0, 9, "X"]]},
            '"label" item 1: end 9 is beyond the text\'s 4 characters',
        ),
        (
            {"text": "Kaan", "label": [["0", 4, "X"]]},
            '"label" item 1 [start, end, label]: start must be an integer, got a string',
        ),
        (
            {"text": "Kaan", "spans": [], "label": []},
            'has both "spans" and "label"; a record may hold its spans under one key only',
        ),
        ({"text": "Kaan", "relations": {}}, '"relations" must be a list, got an object'),
    ],
)
def test_annotation_shapes_we_do_not_read_are_errors_naming_the_shape(record, reason):
    assert reasons(jsonl({"text": "fine"}, record)) == [(2, reason)]
