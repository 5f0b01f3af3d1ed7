"""bench export_floors: each floor writes what our export of the same layer writes, so the
ratio to it is the cost of doing the same work our way; bench.run's PASS/FAIL verdicts."""

from __future__ import annotations

import csv
import json

import spacy
from bench import export_floors
from bench.run import verdict
from spacy.tokens import DocBin

from annotator.core.layers import ALL
from annotator.io.exporter import export
from annotator.nlp.docbin import ATTRS

TEXTS = [
    ("Baykar sells the TB2 to Poland. Talks go on.", [(0, 6, "ACTOR"), (17, 20, "PLATFORM")]),
    ("Saab offers the Gripen E — again.", [(0, 4, "ACTOR"), (16, 24, "PLATFORM")]),
    ("No spans here.", []),
]


def fill(project) -> None:
    for n, (text, spans) in enumerate(TEXTS):
        (doc,) = project.add_document(text, title=f"t{n}", verbatim=True).documents
        for start, end, label in spans:
            project.add_span(doc, "alice", label, start, end)
            project.add_span(doc, "bob", label, start, end)


def test_the_jsonl_and_csv_floors_write_what_our_exports_write(project, tmp_path):
    fill(project)
    export(project, "jsonl", tmp_path / "ours.jsonl", layer=ALL)
    export_floors.jsonl_floor(project.path, tmp_path / "floor.jsonl")
    ours, floor = ((tmp_path / f"{n}.jsonl").read_text(encoding="utf-8") for n in ("ours", "floor"))
    assert [json.loads(line) for line in floor.splitlines()] == [
        json.loads(line) for line in ours.splitlines()
    ]
    export(project, "csv", tmp_path / "ours.csv", layer=ALL)
    export_floors.csv_floor(project.path, tmp_path / "floor.csv")
    rows = [
        sorted(csv.reader((tmp_path / f"{n}.csv").open(encoding="utf-8", newline="")))
        for n in ("ours", "floor")
    ]
    assert rows[0] == rows[1] and len(rows[0]) == 9  # header and 8 spans


def test_the_docbin_floor_holds_the_texts_spans_and_attributes_of_ours(project, tmp_path):
    fill(project)
    documents = export_floors.corpus(project.path)
    nlp = spacy.blank("en")
    ents = export_floors.docbin_floor(nlp, documents, tmp_path / "floor", ATTRS, shard_size=2)
    assert ents == 4  # each (start, end) once: alice's and bob's are the same spans
    docs = [
        doc
        for path in sorted((tmp_path / "floor").iterdir())
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab)
    ]
    assert [d.text for d in docs] == [text for text, _ in TEXTS]
    assert [d.user_data["title"] for d in docs] == ["t0", "t1", "t2"]
    spans = [sorted({(s.start_char, s.end_char, s.label_) for s in d.spans["sc"]}) for d in docs]
    assert spans == [sorted(spans) for _, spans in TEXTS]


def test_a_row_with_a_target_passes_or_fails_and_one_without_has_no_verdict():
    assert verdict({"target": 1.5, "ratio": 1.49}) == "PASS"
    assert verdict({"target": 1.5, "ratio": 1.51}) == "FAIL"
    assert verdict({"target": None, "ratio": 3.0}) == ""
