"""`annotator import` names near-duplicates: new documents whose text another document has apart
from whitespace, in the same import or already stored (they are imported all the same)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.project import Project


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def test_a_text_differing_only_in_whitespace_within_a_file_is_named(db, tmp_path, capsys):
    source = write_jsonl(
        tmp_path / "a.jsonl",
        {"text": "Baykar sold  TB2 drones.", "meta": {"title": "Drones"}},
        {"text": "Baykar sold TB2 drones.", "meta": {"title": "Drones"}},  # exact repeat below
        {"text": "Kyiv bought\nTB2 drones. ", "meta": {"title": "Kyiv"}},
        {"text": "Baykar sold TB2 drones.", "meta": {"title": "Drones"}},
        {"text": "Baykar\tsold TB2\r\ndrones.", "meta": {"title": "Drones (wire)"}},
    )
    capsys.readouterr()
    assert run("import", "--db", db, source) == 0
    out = capsys.readouterr().out
    assert "read 1 file(s): 4 new document(s), 0 already present" in out
    assert (
        f"2 near-duplicate(s): 'Drones' ({source}:2) has the same text as 'Drones' ({source}:1) "
        f"apart from whitespace; 'Drones (wire)' ({source}:5) has the same text as 'Drones' "
        f"({source}:1) apart from whitespace\n"
    ) in out
    with Project.open(db) as project:
        assert project.count_documents() == 4


def test_a_text_differing_only_in_whitespace_from_a_stored_one_is_named(db, tmp_path, capsys):
    first = write_jsonl(tmp_path / "first.jsonl", {"text": "Kyiv bought TB2 drones."})
    assert run("import", "--db", db, first) == 0
    again = write_jsonl(
        tmp_path / "again.jsonl",
        {"text": "Kyiv bought TB2 drones."},  # the very same text: stored once, no warning
        {"text": " Kyiv\u00a0bought TB2\n\ndrones.", "meta": {"title": "Second copy"}},
    )
    capsys.readouterr()
    assert run("import", "--db", db, again) == 0
    out = capsys.readouterr().out
    assert "1 new document(s), 1 already present" in out
    assert (
        f"1 near-duplicate(s): 'Second copy' ({again}:2) has the same text as "
        "'Kyiv bought TB2 drones.' (document 1) apart from whitespace\n"
    ) in out


def test_texts_that_differ_in_more_than_whitespace_are_not_named(db, tmp_path, capsys):
    source = write_jsonl(
        tmp_path / "a.jsonl",
        {"text": "Baykar sold TB2 drones."},
        {"text": "Baykar sold TB2drones."},
        {"text": "baykar sold TB2 drones."},
    )
    capsys.readouterr()
    assert run("import", "--db", db, source) == 0
    assert "near-duplicate" not in capsys.readouterr().out


def test_merged_documents_are_found_too(db, tmp_path, capsys):
    other = tmp_path / "other.db"
    assert run("init", "--db", other) == 0
    assert run("import", "--db", other, write_jsonl(tmp_path / "o.jsonl", {"text": "A b c."})) == 0
    assert run("merge", "--db", db, other) == 0
    source = write_jsonl(tmp_path / "n.jsonl", {"text": "A  b c.", "meta": {"title": "Mine"}})
    capsys.readouterr()
    assert run("import", "--db", db, source) == 0
    assert "1 near-duplicate(s): 'Mine'" in capsys.readouterr().out
