"""Export mechanics shared by every format: documents, layers, labels, splits, safe writing."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import AnnotatorError, Cancelled, InputError
from annotator.core.model import Status
from annotator.io.exporter import export, parse_split, split_ids


@pytest.fixture
def filled(project):
    for n in range(20):
        doc = next(iter(project.add_document(f"Article {n}: Baykar sells TB2.").documents))
        start = len(f"Article {n}: ")
        project.add_span(doc, "alice", "ACTOR", start, start + 6)
        project.add_span(doc, "alice", "PLATFORM", start + 13, start + 16)
        if n % 2:
            project.set_status(doc, "alice", Status.DONE)
    return project


def lines(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_split_is_by_document_deterministic_and_complete(filled, tmp_path):
    out = tmp_path / "corpus"
    report = export(filled, "jsonl", out, split=parse_split("0.8,0.1,0.1"), seed=7)
    parts = {name: lines(out / f"{name}.jsonl") for name in ("train", "dev", "test")}
    assert [len(parts[p]) for p in ("train", "dev", "test")] == [16, 2, 2]
    texts = [r["text"] for part in parts.values() for r in part]
    assert sorted(texts) == sorted(f"Article {n}: Baykar sells TB2." for n in range(20))
    assert report.files == [out / "train.jsonl", out / "dev.jsonl", out / "test.jsonl"]
    again = tmp_path / "again"
    export(filled, "jsonl", again, split=parse_split("0.8,0.1,0.1"), seed=7)
    assert (again / "dev.jsonl").read_text() == (out / "dev.jsonl").read_text()
    assert split_ids(range(10), (0.5, 0.5), 1) != split_ids(range(10), (0.5, 0.5), 2)


def test_a_split_reports_documents_and_spans_per_part_and_warns_on_an_empty_one(filled, tmp_path):
    report = export(filled, "jsonl", tmp_path / "c", split=parse_split("0.8,0.1,0.1"), seed=7)
    assert report.summary().splitlines()[1:4] == [
        "train.jsonl: 16 document(s), 32 span(s)",
        "dev.jsonl: 2 document(s), 4 span(s)",
        "test.jsonl: 2 document(s), 4 span(s)",
    ]
    assert report.empty_parts() == []
    few = tmp_path / "few"
    only_two = export(filled, "jsonl", few, split=parse_split("0.98,0.01,0.01"), seed=1)
    assert only_two.empty_parts() == [few / "dev.jsonl", few / "test.jsonl"]
    assert "warning: dev.jsonl is empty" in only_two.summary().splitlines()


@pytest.mark.parametrize("text", ["0.8,0.3", "1", "a,b", "0.5,-0.5,1"])
def test_bad_splits_are_refused(text):
    with pytest.raises(AnnotatorError, match="--split"):
        parse_split(text)


def test_labels_only_done_and_report(filled, tmp_path):
    out = tmp_path / "actors.jsonl"
    report = export(filled, "jsonl", out, layer="alice", only_done=True, labels=["ACTOR"])
    records = lines(out)
    assert len(records) == 10 and all(r["status"] == "done" for r in records)
    assert {s["label"] for r in records for s in r["spans"]} == {"ACTOR"}
    assert report.spans_per_label == {"ACTOR": 10}
    assert "wrote 10 document(s)" in report.summary()
    with pytest.raises(AnnotatorError, match="no label named 'NOPE'"):
        export(filled, "jsonl", tmp_path / "x.jsonl", labels=["NOPE"])


def test_never_overwrites_unless_asked_and_leaves_nothing_half_written(filled, tmp_path):
    out = tmp_path / "out.jsonl"
    export(filled, "jsonl", out, labels=["ACTOR"])
    earlier = out.read_text()
    with pytest.raises(InputError, match="exists"):
        export(filled, "jsonl", out)
    assert out.read_text() == earlier

    class StopAfterFive:
        seen = 0

        def report(self, done, total):
            self.seen = done

        def cancelled(self):
            return self.seen >= 5

    with pytest.raises(Cancelled):
        export(filled, "jsonl", out, overwrite=True, progress=StopAfterFive())
    assert out.read_text() == earlier
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    export(filled, "jsonl", out, overwrite=True)
    assert len(lines(out)) == 20


def test_a_long_document_is_tagged_in_pieces_exactly_as_in_one(project, tmp_path, monkeypatch):
    """Pieces end after a line break (else a space) outside every span: same tokens and tags."""
    from annotator.io.writers import iob

    lines = [f"Line {n}: Baykar sold TB2 drones to Azerbaijan. Kyiv got some." for n in range(40)]
    text = "\n".join(lines) + "\r\nOne last line without a break " + "word " * 60
    doc = next(iter(project.add_document(text).documents))
    for n in range(0, len(text) - 40, 37):  # some spans cross line breaks, none are dropped
        project.add_span(doc, "alice", "ACTOR" if n % 2 else "PLATFORM", n, n + 25)
    for fmt in ("conll", "hf"):
        export(project, fmt, tmp_path / f"whole.{fmt}")
    monkeypatch.setattr(iob, "PIECE", 400)
    cuts = iob._cuts(text, project.spans(doc))
    assert len(cuts) > 5 and all(text[c - 1] == "\n" for c in cuts)
    for fmt in ("conll", "hf"):
        report = export(project, fmt, tmp_path / f"pieces.{fmt}")
        assert not report.dropped
        assert (tmp_path / f"pieces.{fmt}").read_text() == (tmp_path / f"whole.{fmt}").read_text()


@pytest.mark.slow
def test_a_ten_million_character_document_exports_to_every_format(project, tmp_path):
    """spaCy refuses texts over 1,000,000 characters: the token formats tokenise in pieces."""
    import time

    from annotator.io.writers.registry import WRITERS

    sentence = "Baykar sold TB2 drones to Azerbaijan.\n"
    text = (sentence * (10_000_000 // len(sentence) + 1))[:10_000_000]
    doc = next(iter(project.add_document(text).documents))
    last = text.rindex("Baykar")
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    project.add_span(doc, "alice", "ACTOR", last, last + 6)
    for fmt, writer in WRITERS.items():
        began = time.monotonic()
        report = export(project, fmt, tmp_path / f"out-{fmt}{writer.suffix}")
        assert time.monotonic() - began < 60, fmt
        assert report.documents == 1 and report.spans_per_label == {"ACTOR": 2}, fmt
        assert not report.dropped and not report.adjusted, fmt
    conll = (tmp_path / "out-conll.conll").read_text().splitlines()
    tagged = [line for line in conll if line.endswith("B-ACTOR")]
    assert tagged == ["Baykar -X- _ B-ACTOR"] * 2
    assert sum(line.startswith("Baykar ") for line in conll) == text.count("Baykar")


def test_a_long_line_is_cut_at_spaces_outside_spans_with_the_same_tokens(
    project, tmp_path, monkeypatch
):
    from annotator.io.writers import iob

    text = "Baykar sold TB2 drones to Azerbaijan and Kyiv got some; " * 200  # one line
    doc = next(iter(project.add_document(text).documents))
    for n in range(0, len(text) - 40, 29):
        start = text.index(" ", n) + 1
        project.add_span(doc, "alice", "ACTOR", start, text.index(" ", start + 12))
    export(project, "hf", tmp_path / "whole.jsonl")
    monkeypatch.setattr(iob, "PIECE", 300)
    spans = project.spans(doc)
    cuts = iob._cuts(text, spans)
    assert len(cuts) > 20 and all(text[c - 1] == " " for c in cuts)
    assert not any(s.start < c < s.end for s in spans for c in cuts)
    report = export(project, "hf", tmp_path / "pieces.jsonl")
    assert not report.dropped
    assert (tmp_path / "pieces.jsonl").read_text() == (tmp_path / "whole.jsonl").read_text()
