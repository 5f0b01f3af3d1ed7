"""HF export under a token limit: records cut at sentence boundaries, none over the limit, every
label kept, each record placed in its document, and the report says what was cut."""

from __future__ import annotations

import json
from collections import Counter

from annotator.cli import main
from annotator.io.exporter import export
from annotator.io.writers.token_limit import CUT_SPAN, LONG_SENTENCE

SENTENCES = [
    "Baykar sold the Bayraktar TB2 to Poland.",
    "Türkiye 🇹🇷 weighs the TF Kaan.",
    "Egypt and Qatar discussed the Rafale F4 again, citing an ageing fleet, and the long "
    "talks went on for many days without any agreement at all.",
    "Saab offered the Gripen E.",
]
TEXT = " ".join(SENTENCES)
MARKS = [
    ("Baykar", "ACTOR"),
    ("Bayraktar TB2", "PLATFORM"),
    ("Türkiye", "ACTOR"),
    ("TF Kaan", "PLATFORM"),
    ("Qatar", "ACTOR"),
    ("Rafale F4", "PLATFORM"),
    ("an ageing fleet", "MOTIVATION"),
    ("Gripen E", "PLATFORM"),
]


def fill(project) -> int:
    doc = next(iter(project.add_document(TEXT, title="Deals", verbatim=True).documents))
    for needle, label in MARKS:
        start = TEXT.index(needle)
        project.add_span(doc, "alice", label, start, start + len(needle))
    project.add_document("Nothing to see.", title="Empty")
    return doc


def records(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def labels_of(rows) -> Counter:
    return Counter(
        row["ner_tag_names"][tag][2:]
        for row in rows
        for tag in row["ner_tags"]
        if row["ner_tag_names"][tag].startswith("B-")
    )


def test_records_stay_under_the_limit_and_keep_every_label(project, tmp_path):
    doc = fill(project)
    whole_path = tmp_path / "whole.jsonl"
    export(project, "hf", whole_path, layer="alice")
    whole = records(whole_path)
    limited = tmp_path / "limited.jsonl"
    report = export(project, "hf", limited, max_tokens=12, layer="alice")
    rows = records(limited)
    assert max(len(row["tokens"]) for row in rows) <= 12
    assert labels_of(rows) == labels_of(whole) == Counter(label for _, label in MARKS)
    deals = [row for row in rows if row["id"] == doc]
    assert len(deals) > 1 and [row["part"] for row in deals] == list(range(len(deals)))
    assert [t for row in deals for t in row["tokens"]] == next(
        row["tokens"] for row in whole if row["id"] == doc
    )
    for row in deals:
        for token, at in zip(row["tokens"], row["token_offsets"], strict=True):
            start = row["offset"] + at
            assert TEXT[start : start + len(token)] == token
    assert report.notes[LONG_SENTENCE] == 1  # only the Egypt sentence is over 12 tokens
    assert not report.notes[CUT_SPAN]
    assert f"{len(rows)} record(s) of at most 12 tokens written" in report.summary()


def test_records_end_at_sentence_boundaries_when_sentences_fit(project, tmp_path):
    fill(project)
    out = tmp_path / "limited.jsonl"
    export(project, "hf", out, max_tokens=40, layer="alice")
    starts = {row["offset"] for row in records(out) if row["title"] == "Deals"}
    assert starts <= {TEXT.index(sentence) for sentence in SENTENCES}
    assert len(starts) > 1


def test_a_span_longer_than_the_limit_is_cut_and_reported(project, tmp_path):
    doc = fill(project)
    start = TEXT.index("Egypt")
    end = TEXT.index("agreement")
    project.add_span(doc, "alice", "MOTIVATION", start, end)
    out = tmp_path / "limited.jsonl"
    report = export(project, "hf", out, max_tokens=6, layer="alice")
    assert max(len(row["tokens"]) for row in records(out)) <= 6
    assert report.notes[CUT_SPAN] >= 1
    assert "cut across records" in report.summary()


def test_the_command_line_option(project, tmp_path, capsys):
    fill(project)
    db = str(project.path)
    out = tmp_path / "limited.jsonl"
    argv = ["--db", db, "export", "--format", "hf", "--layer", "alice", "--out", str(out)]
    assert main([*argv, "--max-tokens", "8"]) == 0
    assert max(len(row["tokens"]) for row in records(out)) <= 8
    assert "sentence(s) longer than the token limit" in capsys.readouterr().out
    conll = tmp_path / "x.conll"
    argv = ["--db", db, "export", "--format", "conll", "--out", str(conll), "--max-tokens", "8"]
    assert main(argv) == 1
    assert "--max-tokens applies to the hf format, not conll" in capsys.readouterr().err
    assert not conll.exists()
