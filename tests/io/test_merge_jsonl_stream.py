"""Merging a JSONL file reads it a line at a time: checked whole when opened, then read again
as the merge stores it, never held whole; a bad line anywhere refuses it before anything is
merged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed
from annotator.io import merge_input
from annotator.io.merge_input import merge_files, open_source


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def record(n: int) -> str:
    text = f"Baykar 👍🏽 builds TB{n}.\r\nمرحبا 北京"
    spans = [{"start": 0, "end": 6, "label": "ACTOR"}]
    return json.dumps({"text": text, "spans": spans, "annotator": "ann", "status": "done"})


def test_the_documents_are_read_a_line_at_a_time_after_a_checking_pass(tmp_path, monkeypatch):
    path = write(tmp_path / "in.jsonl", [record(n) for n in range(5)])
    read: list[int] = []
    lines = merge_input.input_lines

    def counted(p: Path) -> Iterator[bytes]:
        for line in lines(p):
            read.append(1)
            yield line

    monkeypatch.setattr(merge_input, "input_lines", counted)
    source = open_source(path)
    assert (source.count(), len(read)) == (5, 5)
    documents = source.documents()
    first = next(documents)
    assert len(read) == 6
    assert first.line == 1 and first.states == {"ann": "done"}
    assert [doc.line for doc in documents] == [2, 3, 4, 5]


def test_a_bad_line_at_the_end_refuses_the_file_and_merges_nothing(project, tmp_path):
    path = write(tmp_path / "in.jsonl", [*(record(n) for n in range(4)), '{"text": 3}'])
    with pytest.raises(ImportFailed) as info:
        merge_files(project, [path])
    assert [(e.line, e.reason) for e in info.value.errors] == [
        (5, '"text" must be a string, got a number (3)')
    ]
    assert project.document_ids() == []


def test_a_merged_jsonl_file_is_stored_whole(project, tmp_path):
    path = write(tmp_path / "in.jsonl", [record(n) for n in range(7)])
    report = merge_files(project, [path])
    assert report.counts["documents"].added == 7
    ids = project.document_ids()
    assert sum(len(project.spans(doc, "ann")) for doc in ids) == 7
