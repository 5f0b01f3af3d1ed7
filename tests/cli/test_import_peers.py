"""`annotator import` of peers' files as a user runs it: doccano and Prodigy JSONL (spans, what
was skipped, annotator layers) and annotation shapes we do not read; bad input exits 1 with the
database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import digest, run

DOCCANO = Path(__file__).parents[1] / "data" / "peers" / "doccano"


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def stored_spans(db: Path) -> list[tuple[str, str, str]]:
    """(annotator, label, text) of every span in the project, in document order."""
    from annotator.core.project import Project

    with Project.open(db) as project:
        return [
            (span.annotator, span.label, doc.text[span.start : span.end])
            for doc in project.iter_documents()
            for span in project.spans(doc.id)
        ]


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def test_doccano_relation_export_imports_entities_and_their_relations(db, capsys):
    path = DOCCANO / "relation_extraction.jsonl"
    assert run("import", "--db", db, "--add-labels", path) == 0
    out = capsys.readouterr().out
    assert f"{path}: 1 document(s), 4 span(s), 3 relation(s)" in out
    assert stored_spans(db) == [
        ("import", "ORG", "Google"),
        ("import", "DATE", "September 4, 1998"),
        ("import", "PERSON", "Larry Page"),
        ("import", "PERSON", "Sergey Brin"),
    ]


def test_doccano_sequence_labelling_with_emoji_and_crlf_keeps_every_span_text(db, tmp_path, capsys):
    text = "Baykar 🚀 sold TB2\r\nto Azerbaïjan 👨‍👩‍👧 and Kaan."
    source = write_jsonl(
        tmp_path / "doccano.jsonl",
        {"id": 1, "text": text, "label": [[0, 6, "ORG"], [14, 17, "WEAPON"], [43, 47, "WEAPON"]]},
    )
    assert run("import", "--db", db, "--add-labels", "--annotator", "alice", source) == 0
    assert f"{source}: 1 document(s), 3 span(s)" in capsys.readouterr().out
    assert stored_spans(db) == [
        ("alice", "ORG", "Baykar"),
        ("alice", "WEAPON", "TB2"),
        ("alice", "WEAPON", "Kaan"),
    ]


def test_prodigy_answers_and_annotator_ids(db, tmp_path, capsys):
    span = {"start": 0, "end": 6, "label": "ORG", "token_start": 0, "token_end": 0}
    source = write_jsonl(
        tmp_path / "ner_news.jsonl",
        {
            "text": "Baykar sells",
            "spans": [span],
            "answer": "accept",
            "_annotator_id": "ner_news-alice",
        },
        {
            "text": "Baykar flies",
            "spans": [span],
            "answer": "reject",
            "_annotator_id": "ner_news-bob",
        },
        {
            "text": "Baykar lands",
            "spans": [span],
            "answer": "ignore",
            "_session_id": "ner_news-bob",
        },
        {
            "text": "Baykar grows",
            "spans": [span],
            "answer": "reject",
            "_session_id": "ner_news-bob",
        },
        {"text": "Baykar talks", "spans": [span]},
    )
    assert run("import", "--db", db, "--add-labels", "--annotator", "carol", source) == 0
    out = capsys.readouterr().out
    assert f"{source}: 2 document(s), 2 span(s); 2 rejected, 1 ignored examples skipped" in out
    assert stored_spans(db) == [("alice", "ORG", "Baykar"), ("carol", "ORG", "Baykar")]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": "Kaan", "label": ["positive"]}, '"label" is a list of label names'),
        ({"text": "Kaan", "annotations": [{"result": []}]}, '"annotations" holds task annotations'),
        (
            {"text": "Kaan", "spans": [{"begin": 0, "finish": 4, "tag": "X"}]},
            "span 1: an object with keys begin, finish, tag",
        ),
    ],
)
def test_a_shape_we_do_not_read_is_an_error_and_nothing_is_imported(
    db, tmp_path, capsys, record, reason
):
    source = write_jsonl(tmp_path / "in.jsonl", {"text": "fine", "label": [[0, 4, "X"]]}, record)
    before = digest(db)
    assert run("import", "--db", db, "--add-labels", source) == 1
    err = capsys.readouterr().err
    assert f"{source}:2: {reason}" in err
    assert "nothing was imported" in err
    assert digest(db) == before


def test_doccano_record_without_text_stops_the_import(db, capsys):
    before = digest(db)
    path = DOCCANO / "sequence_labeling_missing_text.jsonl"
    assert run("import", "--db", db, "--add-labels", path) == 1
    assert f'{path}:3: "text" is missing' in capsys.readouterr().err
    assert digest(db) == before
