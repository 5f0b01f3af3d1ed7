"""Label Studio JSON and JSON-MIN exports: spans per annotator, predictions as pending
suggestions, code-point offsets (UTF-16 ones of older versions converted), and what is left out
reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed, UnknownLabels
from annotator.io.importer import import_files
from annotator.io.registry import detect_format

PEERS = Path(__file__).parents[1] / "data" / "peers" / "label-studio"
TEXT = "Baykar 🚀 sold TB2\r\nto Azerbaïjan 👨‍👩‍👧 and Kyiv."


def region(text: str, phrase: str, label: str, *, utf16: bool = False) -> dict:
    """A `labels` result as Label Studio writes it (offsets in code points, or UTF-16 units)."""
    start = text.index(phrase)
    if utf16:
        start = len(text[:start].encode("utf-16-le")) // 2
    end = start + (len(phrase.encode("utf-16-le")) // 2 if utf16 else len(phrase))
    value = {"start": start, "end": end, "text": phrase, "labels": [label]}
    return {"type": "labels", "from_name": "label", "to_name": "text", "value": value}


def json_export() -> list[dict]:
    """A NER project's JSON export: two annotators, a relation, a cancelled annotation, results
    of other types and a prediction."""
    relation = {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["SUPPLIES"]}
    choices = {"type": "choices", "value": {"choices": ["Relevant"]}, "from_name": "topic"}
    predicted_relation = {"type": "relation", "from_id": "p", "to_id": "p", "labels": ["X"]}
    return [
        {
            "id": 7,
            "data": {"text": TEXT, "source": "news"},
            "annotations": [
                {
                    "completed_by": {"id": 1, "email": "alice@lab.org"},
                    "result": [
                        {**region(TEXT, "Baykar", "ACTOR"), "id": "a"},
                        {**region(TEXT, "TB2", "PLATFORM"), "id": "b"},
                        relation,
                        choices,
                    ],
                    "was_cancelled": False,
                },
                {"completed_by": 2, "result": [region(TEXT, "Kyiv", "ACTOR")]},
                {"completed_by": 3, "result": [], "was_cancelled": True},
            ],
            "predictions": [
                {
                    "model_version": "m1",
                    "result": [{**region(TEXT, "TB2", "PLATFORM"), "id": "p"}, predicted_relation],
                }
            ],
        }
    ]


def write(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2), "utf-8")
    return path


def layers(project) -> dict[str, list[tuple[str, str]]]:
    """Each annotator's (text, label) spans over every document."""
    found: dict[str, list[tuple[str, str]]] = {}
    for doc in project.iter_documents():
        for span in project.spans(doc.id):
            found.setdefault(span.annotator, []).append(
                (doc.text[span.start : span.end], span.label)
            )
    return found


def suggestions(project) -> list[tuple[str, str, str, float]]:
    """Every pending suggestion as (text, label, model, score)."""
    return sorted(
        (doc.text[x.start : x.end], x.label, x.model, x.score)
        for doc in project.iter_documents()
        for x in project.suggestions(doc.id)
    )


def predicted(*predictions: dict) -> list[dict]:
    """A task of TEXT with only these predictions."""
    return [{"id": 1, "data": {"text": TEXT}, "annotations": [], "predictions": list(predictions)}]


def test_json_export_gives_each_annotator_a_layer_and_reports_what_is_left_out(project, tmp_path):
    path = write(tmp_path / "project-1.json", json_export())
    assert detect_format(path, path.read_bytes()) == "labelstudio"
    report = import_files(project, [path])
    (doc,) = project.iter_documents()
    assert doc.text == TEXT  # verbatim: emoji, ZWJ sequence and CRLF kept
    assert doc.meta == {"source": "news", "label_studio_task": 7}
    assert layers(project) == {
        "alice@lab.org": [("Baykar", "ACTOR"), ("TB2", "PLATFORM")],
        "label-studio-user-2": [("Kyiv", "ACTOR")],
    }
    assert suggestions(project) == [("TB2", "PLATFORM", "m1", 1.0)]
    (relation,) = project.relations(doc.id)
    spans = {span.id: doc.text[span.start : span.end] for span in project.spans(doc.id)}
    assert (relation.type, spans[relation.head], spans[relation.tail]) == (
        "SUPPLIES",
        "Baykar",
        "TB2",
    )
    (summary,) = report.per_file
    assert summary.relations == 1
    assert sorted(summary.skipped) == sorted(
        [
            "1 \"choices\" results (only 'labels' results are read) left out",
            "1 cancelled annotations (was_cancelled) left out",
            "1 relations of predictions (suggestions are spans only) left out",
        ]
    )


def test_json_min_export_reads_every_region_list_and_the_annotator(project, tmp_path):
    text = "🇹🇷 Baykar sold TB2 to Kyiv."
    records = [
        {
            "id": 3,
            "text": text,
            "label": [region(text, "Baykar", "ACTOR")["value"]],
            "ner": [region(text, "TB2", "PLATFORM")["value"]],
            "annotator": "bob@lab.org",
            "annotation_id": 9,
            "sentiment": "Positive",
        },
        {"text": "Ankara buys the Akinci.", "label": [{"start": 0, "end": 6, "labels": ["ACTOR"]}]},
    ]
    path = write(tmp_path / "min.json", records)
    report = import_files(project, [path], annotator="carol")
    assert layers(project) == {
        "bob@lab.org": [("Baykar", "ACTOR"), ("TB2", "PLATFORM")],
        "carol": [("Ankara", "ACTOR")],  # --annotator only for records that name nobody
    }
    first = next(doc for doc in project.iter_documents() if doc.text == text)
    assert first.meta["sentiment"] == "Positive" and first.meta["annotator"] == "bob@lab.org"
    assert report.skipped == [] and all(not f.skipped for f in report.per_file)


def test_our_own_export_comes_back_in_its_annotators_layers(project, tmp_path):
    """Our Label Studio export names the annotator in `created_username` (Label Studio refuses
    unknown users in `completed_by`), so a round trip keeps the layers."""
    task = {
        "data": {"text": TEXT},
        "annotations": [{"created_username": "alice", "result": [region(TEXT, "Kyiv", "ACTOR")]}],
    }
    import_files(project, [write(tmp_path / "tasks.json", [task])], annotator="ana")
    assert layers(project) == {"alice": [("Kyiv", "ACTOR")]}


def test_utf16_offsets_of_older_label_studio_are_converted(project, tmp_path):
    task = {
        "data": {"text": TEXT},
        "annotations": [{"result": [region(TEXT, "Kyiv", "ACTOR", utf16=True)]}],
    }
    import_files(project, [write(tmp_path / "old.json", [task])], annotator="ana")
    assert layers(project) == {"ana": [("Kyiv", "ACTOR")]}


def test_the_only_string_field_is_the_text_when_text_is_missing(project, tmp_path):
    task = {"data": {"review": "Kyiv buys TB2.", "stars": 4}, "annotations": []}
    import_files(project, [write(tmp_path / "r.json", [task])])
    (doc,) = project.iter_documents()
    assert doc.text == "Kyiv buys TB2." and doc.meta == {"stars": 4}


def test_label_studio_published_export_reports_its_image_results(project, tmp_path):
    """label-studio-converter's tests/data/test_export_csv/csv_test.json: an export of a
    project labelling images (rectanglelabels) with a text field and predictions."""
    path = PEERS / "csv_test.json"
    report = import_files(project, [path])
    assert project.count_documents() == 2 and layers(project) == {}
    (summary,) = report.per_file
    assert summary.skipped == [
        "5 \"rectanglelabels\" results (only 'labels' results are read) left out"
    ]  # 3 of annotations, 2 of predictions
    assert suggestions(project) == []


def test_predictions_are_pending_suggestions_of_their_model_with_their_scores(project, tmp_path):
    scored = {**region(TEXT, "Kyiv", "ACTOR", utf16=True), "score": 0.25}
    path = write(
        tmp_path / "p.json",
        predicted(
            {
                "model_version": "ner-2",
                "score": 0.5,
                "result": [region(TEXT, "TB2", "PLATFORM"), scored],
            },
            {"result": [region(TEXT, "Baykar", "actor")]},  # no model, no score; label's case
        ),
    )
    report = import_files(project, [path])
    assert suggestions(project) == [
        ("Baykar", "ACTOR", "labelstudio", 1.0),
        ("Kyiv", "ACTOR", "ner-2", 0.25),  # the region's score; UTF-16 offsets converted
        ("TB2", "PLATFORM", "ner-2", 0.5),  # the prediction's
    ]
    assert str(report.per_file[0]) == f"{path}: 1 document(s), 0 span(s), 3 suggestion(s)"
    assert (report.stored.suggestions_added, report.stored.suggestions_existing) == (3, 0)


def test_a_reimport_adds_no_suggestion_twice_and_none_anyone_decided(project, tmp_path):
    path = write(
        tmp_path / "p.json",
        predicted(
            {"model_version": "m", "result": [region(TEXT, n, "ACTOR") for n in ("Kyiv", "Baykar")]}
        ),
    )
    import_files(project, [path])
    (doc,) = project.iter_documents()
    kyiv = next(x for x in project.suggestions(doc.id) if x.start == TEXT.index("Kyiv"))
    project.reject_suggestion(kyiv.id, "alice")
    report = import_files(project, [path])
    assert (report.stored.suggestions_added, report.stored.suggestions_existing) == (0, 2)
    assert suggestions(project) == [("Baykar", "ACTOR", "m", 1.0)]


def test_unknown_labels_of_predictions_refuse_the_import_unless_added(project, tmp_path):
    path = write(tmp_path / "p.json", predicted({"result": [region(TEXT, "TB2", "DRONE")]}))
    with pytest.raises(UnknownLabels, match="'DRONE'"):
        import_files(project, [path])
    assert project.count_documents() == 0
    report = import_files(project, [path], add_labels=True)
    assert report.stored.labels_added == ["DRONE"]
    assert suggestions(project) == [("TB2", "DRONE", "labelstudio", 1.0)]


def test_a_prediction_region_outside_the_text_is_an_error_naming_the_task(project, tmp_path):
    outside = region(TEXT, "Kyiv", "ACTOR")
    del outside["value"]["text"]
    outside["value"].update(start=len(TEXT) - 2, end=len(TEXT) + 3)
    path = write(tmp_path / "p.json", predicted({"model_version": "m", "result": [outside]}))
    with pytest.raises(ImportFailed) as failed:
        import_files(project, [path])
    assert str(failed.value.errors[0]) == (
        f"{path}:2: prediction 1, result 1: offsets {len(TEXT) - 2}..{len(TEXT) + 3} do not fit "
        f"the {len(TEXT)}-character text"
    )
    assert project.count_documents() == 0 and suggestions(project) == []


def test_detection_of_label_studio_and_of_json_lines_named_json():
    assert detect_format(Path("x.json"), b'[{"data": {"text": "a"}}]') == "labelstudio"
    assert detect_format(Path("export"), b'\xef\xbb\xbf\n [ \n{"data": {}}]') == "labelstudio"
    assert detect_format(Path("x.json"), b'{"text": "a", "label": []}\n{"text": "b"}\n') == "jsonl"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (
            '[\n{"data": {"a": "x", "b": "y"}}]',
            2,
            'no text: "data" has no "text" field and not exactly one string field to take '
            'instead (keys: "a", "b")',
        ),
        (
            '[{"data": {"text": "Kyiv"}},\n {"data": {"text": "Ankara"}, "annotations": [{"result":'
            ' [{"type": "labels", "value": {"start": 0, "end": 3, "text": "Kyiv", '
            '"labels": ["A"]}}]}]}]',
            2,
            "annotation 1, result 1: offsets 0..3 do not hold the region's text 'Kyiv' "
            "(found 'Ank'), counted in code points or in UTF-16 units",
        ),
        (
            '[{"text": "Kyiv", "label": [{"start": 0, "end": 9, "labels": ["A"]}]}]',
            1,
            '"label" region 1: offsets 0..9 do not fit the 4-character text',
        ),
        (
            '[{"text": "Kyiv", "label": [{"start": 0, "end": 2, "labels": []}]}]',
            1,
            '"label" region 1: "labels" must be a non-empty list of names, got an array',
        ),
        ('[{"data": {"text": "Kyiv"}, "annotations": {}}]', 1, '"annotations" must be a list'),
        (
            '[{"data": {"text": "Kyiv"}, "annotations": [{"completed_by": true, "result": []}]}]',
            1,
            "annotation 1: the annotator must be a user id or email, got a boolean",
        ),
        ('[{"data": {"text": "Kyiv"}},\n{"data": }]', 2, "invalid JSON: Expecting value"),
        ('[{"data": {"text": "Kyiv"}}] x', 1, "unexpected data after"),
        ("[3]", 1, "expected a task (a JSON object), got a number (3)"),
        ('"Kyiv"', 1, "expected a Label Studio export: a JSON list of tasks"),
        ("[]", None, "no tasks found"),
        (
            '[{"id": 1, "text": "Kyiv", "label": [[0, 4, "LOC"]]}]',
            1,
            '"label" holds lists such as [0, 4, "LOC"], an annotation shape Label Studio does not '
            "write (doccano's [start, end, label]?); nothing read",
        ),
    ],
)
def test_bad_exports_name_the_task_line_and_store_nothing(project, tmp_path, content, line, reason):
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path])
    where = f"{path}:{line}" if line else str(path)
    assert f"{where}: {reason}" in str(info.value)
    assert project.count_documents() == 0


def test_label_studio_published_export_without_a_text_field_names_its_keys(project):
    """label-studio-converter's csv_test2.json: tasks whose data has many string fields."""
    path = PEERS / "csv_test2.json"
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path])
    assert f'{path}:2: no text: "data" has no "text" field' in str(info.value)
    assert '"uri", "iswcs", "title"' in str(info.value)
    assert project.count_documents() == 0
