"""Label Studio export: tasks its importer accepts, with the labeling config to create the
project; annotations per annotator and pending suggestions as predictions, in code points."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from format_samples import SAMPLES, expected_spans, fill

from annotator.core.model import NewSuggestion
from annotator.io.exporter import export

LS_NER_CONFIG = Path(__file__).parents[1] / "data/peers/label-studio/named_entity_config.xml"


def config_labels(path: Path) -> dict[tuple[str, str], set[str]]:
    """(Labels name, toName) -> its label values, for every Labels control whose toName is a
    Text object showing `$text` (what Label Studio checks a `labels` result against)."""
    root = ET.parse(path).getroot()
    texts = {t.get("name") for t in root.iter("Text") if t.get("value") == "$text"}
    return {
        (c.get("name"), c.get("toName")): {label.get("value") for label in c.iter("Label")}
        for c in root.iter("Labels")
        if c.get("toName") in texts
    }


def ls_load(folder: Path) -> list[dict]:
    """Tasks read the way Label Studio's bulk importer reads them (tasks/serializers.py): a
    list of tasks with `data`; annotations keep only `result`, `ground_truth` (True when absent)
    and `completed_by` (absent, an existing user's id, or {"email"} of a member; anything else
    refuses the import); predictions keep `result`, `score` (a float) and `model_version`.
    Every `labels` region must name a control of the project's config and one of its labels."""
    tasks = json.loads((folder / "tasks.json").read_text("utf-8"))
    controls = config_labels(folder / "label_config.xml")
    assert isinstance(tasks, list)
    for task in tasks:
        assert isinstance(task["data"]["text"], str)
        for annotation in task["annotations"]:
            assert "completed_by" not in annotation  # a name there would refuse the import
            assert annotation["ground_truth"] is False
        for prediction in task["predictions"]:
            assert isinstance(prediction["score"], float)
            assert isinstance(prediction["model_version"], str)
        for entry in task["annotations"] + task["predictions"]:
            for region in entry["result"]:
                assert region["type"] == "labels" and isinstance(region["id"], str)
                (label,) = region["value"]["labels"]
                assert label in controls[(region["from_name"], region["to_name"])]
    return tasks


def regions(task: dict, entry: dict) -> list[tuple[str, int, int, str]]:
    """(text, start, end, label) of an annotation's or prediction's regions, checking each
    region's quoted text against the task's text sliced by code points."""
    text = task["data"]["text"]
    found = []
    for region in entry["result"]:
        value = region["value"]
        assert value["text"] == text[value["start"] : value["end"]]
        found.append((text, value["start"], value["end"], value["labels"][0]))
    return found


def test_the_config_has_the_shape_of_label_studios_own_ner_config(project, tmp_path):
    assert config_labels(LS_NER_CONFIG)[("ner", "text")] >= {"Person", "Location"}
    project.add_label('A&B <x> "q"')
    project.add_label("日本語")
    out = tmp_path / "ls"
    export(project, "labelstudio", out, layer="all")
    assert config_labels(out / "label_config.xml") == {
        ("label", "text"): {"ACTOR", "PLATFORM", "MOTIVATION", 'A&B <x> "q"', "日本語"}
    }
    assert json.loads((out / "tasks.json").read_text("utf-8")) == []


def test_annotations_per_annotator_keep_texts_and_spans_in_code_points(project, tmp_path):
    fill(project, "alice")
    fill(project, "bob")
    out = tmp_path / "ls"
    report = export(project, "labelstudio", out, layer="all")
    assert not report.adjusted and not report.dropped
    tasks = ls_load(out)
    assert [t["data"]["text"] for t in tasks] == [text for _, text, _ in SAMPLES]
    assert [t["meta"]["title"] for t in tasks] == [title for title, _, _ in SAMPLES]
    for who in ("alice", "bob"):
        found = {
            span
            for task in tasks
            for annotation in task["annotations"]
            if annotation["created_username"] == who
            for span in regions(task, annotation)
        }
        assert found == expected_spans()
    emoji = tasks[0]["annotations"][0]["result"][-1]["value"]
    assert (emoji["start"], emoji["end"], emoji["text"]) == (56, 70, "Bayraktar\r\nTB2")
    ids = [r["id"] for t in tasks for a in t["annotations"] for r in a["result"]]
    assert len(ids) == len(set(ids))


def test_pending_suggestions_become_predictions_per_model(project, tmp_path):
    text = "Baykar 👍🏽 sells the TB2\r\nto Kyiv."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    tb2 = text.index("TB2")
    kyiv = text.index("Kyiv")
    project.store_suggestions(
        doc, "spacy-1", [NewSuggestion(tb2, tb2 + 3, "PLATFORM", 0.5), NewSuggestion(0, 6, "ACTOR")]
    )
    project.store_suggestions(doc, "lexicon", [NewSuggestion(kyiv, kyiv + 4, "ACTOR", 0.75)])
    out = tmp_path / "ls"
    report = export(project, "labelstudio", out, layer="alice")
    (task,) = ls_load(out)
    predictions = {p["model_version"]: p for p in task["predictions"]}
    assert sorted(regions(task, predictions["spacy-1"])) == [
        (text, 0, 6, "ACTOR"),
        (text, tb2, tb2 + 3, "PLATFORM"),
    ]
    assert regions(task, predictions["lexicon"]) == [(text, kyiv, kyiv + 4, "ACTOR")]
    assert predictions["spacy-1"]["score"] == 0.75 and predictions["lexicon"]["score"] == 0.75
    assert sorted(r["score"] for r in predictions["spacy-1"]["result"]) == [0.5, 1.0]
    assert regions(task, task["annotations"][0]) == [(text, 0, 6, "ACTOR")]
    assert report.also_wrote == {"pending suggestion(s) as Label Studio predictions": 3}
    assert "also wrote 3 pending suggestion(s) as Label Studio predictions" in report.summary()

    export(project, "labelstudio", tmp_path / "only", labels=["PLATFORM"])
    (task,) = ls_load(tmp_path / "only")
    assert [p["model_version"] for p in task["predictions"]] == ["spacy-1"]
    assert task["annotations"] == []

    export(project, "labelstudio", tmp_path / "sugg", layer="suggestions")
    (task,) = ls_load(tmp_path / "sugg")
    assert task["predictions"] == []  # the suggestions are the layer: not written twice
    assert {a["created_username"] for a in task["annotations"]} == {"spacy-1", "lexicon"}
