"""Hugging Face export: loads with `datasets`, and its tags decode to the exported spans."""

from __future__ import annotations

import json

import pytest
from format_samples import SAMPLES, fill, span_tokens

from annotator.io.exporter import export, parse_split
from annotator.io.writers.iob import OVERLAPPING

NAMES = ["O", "B-ACTOR", "I-ACTOR", "B-PLATFORM", "I-PLATFORM", "B-MOTIVATION", "I-MOTIVATION"]


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    """The real consumer, offline, with its cache in the test's folder."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    return pytest.importorskip("datasets")


def decoded_chunks(tokens, tags, names):
    """(label, tokens) of each B-/I- run, decoding ids with the names the file carries."""
    chunks = []
    for token, tag in zip(tokens, (names[t] for t in tags), strict=True):
        if tag.startswith("B-"):
            chunks.append((tag[2:], [token]))
        elif tag.startswith("I-"):
            assert chunks and chunks[-1][0] == tag[2:], "IOB2 broken"
            chunks[-1][1].append(token)
    return chunks


def test_loads_with_datasets_and_decodes_to_the_spans(project, tmp_path, datasets):
    texts = fill(project)
    out = tmp_path / "train.jsonl"
    report = export(project, "hf", out)
    assert not report.dropped and not report.adjusted
    loaded = datasets.load_dataset(
        "json", data_files={"train": str(out)}, cache_dir=str(tmp_path / "hf-cache")
    )["train"]
    assert {"id", "tokens", "ner_tags", "ner_tag_names"} <= set(loaded.features)
    assert loaded.features["tokens"].feature.dtype == "string"
    assert loaded.features["ner_tags"].feature.dtype == "int64"
    assert len(loaded) == len(SAMPLES)
    by_text = {text: spans for _, text, spans in SAMPLES}
    for row in loaded:
        assert row["ner_tag_names"] == NAMES
        assert len(row["tokens"]) == len(row["ner_tags"])
        spans = by_text[texts[row["id"]]]
        expected = [
            (label, span_tokens(needle))
            for needle, label in sorted(spans, key=lambda s: texts[row["id"]].index(s[0]))
        ]
        assert decoded_chunks(row["tokens"], row["ner_tags"], row["ner_tag_names"]) == expected

    class_label = datasets.ClassLabel(names=loaded[0]["ner_tag_names"])
    typed = loaded.cast_column("ner_tags", datasets.List(class_label))
    assert typed.features["ner_tags"].feature.int2str(1) == "B-ACTOR"


def test_same_tokens_and_tags_as_conll(project, tmp_path):
    fill(project)
    export(project, "hf", tmp_path / "a.jsonl")
    export(project, "conll", tmp_path / "a.conll")
    records = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    assert len(records) == len(SAMPLES)  # no record broken by a line separator
    pairs = [
        tuple(line.split(" -X- _ "))
        for line in (tmp_path / "a.conll").read_text("utf-8").splitlines()
        if line and not line.startswith("-DOCSTART-")
    ]
    flat = [
        (token, record["ner_tag_names"][tag])
        for record in records
        for token, tag in zip(record["tokens"], record["ner_tags"], strict=True)
    ]
    assert flat == pairs


def test_overlaps_are_dropped_and_counted_like_conll(project, tmp_path):
    doc = next(iter(project.add_document("Baykar sells the Bayraktar TB2.").documents))
    project.add_span(doc, "alice", "PLATFORM", 17, 30)
    project.add_span(doc, "alice", "ACTOR", 27, 30)
    report = export(project, "hf", tmp_path / "o.jsonl")
    (record,) = [
        json.loads(line) for line in (tmp_path / "o.jsonl").read_text("utf-8").splitlines()
    ]
    assert decoded_chunks(record["tokens"], record["ner_tags"], NAMES) == [
        ("PLATFORM", ["Bayraktar", "TB2"])
    ]
    assert report.dropped == {OVERLAPPING: 1}


def test_split_files_share_one_tag_list(project, tmp_path, datasets):
    for n in range(10):
        text = f"Article {n}: Baykar sells TB2."
        doc = next(iter(project.add_document(text).documents))
        project.add_span(doc, "alice", "ACTOR", text.index("Baykar"), text.index(" sells"))
    out = tmp_path / "corpus"
    export(project, "hf", out, split=parse_split("0.8,0.1,0.1"), seed=3, labels=["ACTOR"])
    files = {part: str(out / f"{part}.jsonl") for part in ("train", "dev", "test")}
    loaded = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path / "hf-cache"))
    assert {part: len(loaded[part]) for part in files} == {"train": 8, "dev": 1, "test": 1}
    names = {tuple(name) for part in files for name in loaded[part]["ner_tag_names"]}
    assert names == {("O", "B-ACTOR", "I-ACTOR")}


def test_line_separators_inside_titles_stay_inside_their_record(project, tmp_path):
    project.add_document("Baykar\u2028sells.", title="A\u2028B\x85C", verbatim=True)
    export(project, "hf", tmp_path / "t.jsonl", layer="all")
    content = (tmp_path / "t.jsonl").read_text("utf-8")
    assert len(content.splitlines()) == 1
    assert json.loads(content)["title"] == "A\u2028B\x85C"
