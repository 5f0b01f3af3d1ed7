"""`annotator import` of Label Studio exports, as a user runs it: what is stored, the report of
what was left out (counted on the file's report line), exit codes, and the project unchanged
on a bad export."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cli_run import run

from annotator.core.project import Project

TEXT = "Baykar 🚀 sold TB2 to Kyiv."


def labels_result(phrase: str, label: str) -> dict:
    start = TEXT.index(phrase)
    value = {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}
    return {"type": "labels", "from_name": "label", "to_name": "text", "value": value}


def export(tmp_path: Path, annotations: list[dict], **task: object) -> Path:
    path = tmp_path / "project-1-at-2026.json"
    tasks = [{"id": 1, "data": {"text": TEXT}, "annotations": annotations, **task}]
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), "utf-8")
    return path


def spans(db: Path) -> list[tuple[str, str, str]]:
    with Project.open(db) as project:
        (doc,) = project.iter_documents()
        return sorted(
            (s.annotator, doc.text[s.start : s.end], s.label) for s in project.spans(doc.id)
        )


def test_an_export_with_only_text_labels_imports_cleanly(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    path = export(
        tmp_path,
        [
            {
                "completed_by": {"id": 4, "email": "alice@lab.org"},
                "result": [labels_result("TB2", "PLATFORM")],
            }
        ],
    )
    assert run("import", "--db", db, path, "--annotator", "bob") == 0
    captured = capsys.readouterr()
    assert "1 new document(s)" in captured.out and "1 span(s) added" in captured.out
    assert captured.err == ""
    assert spans(db) == [("alice@lab.org", "TB2", "PLATFORM")]  # the file's annotator wins


def test_what_is_left_out_is_counted_on_the_files_line_and_the_rest_stored(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    path = export(
        tmp_path,
        [
            {
                "completed_by": 2,
                "result": [
                    labels_result("Baykar", "ACTOR"),
                    {"type": "textarea", "value": {"text": ["ok"]}},
                ],
            },
            {"completed_by": 3, "was_cancelled": True, "result": []},
        ],
        predictions=[{"model_version": "v1", "result": [labels_result("Kyiv", "ACTOR")]}],
    )
    assert run("import", "--db", db, path) == 0
    captured = capsys.readouterr()
    assert "1 span(s) added" in captured.out
    assert "1 pending suggestion(s) added, 0 already present or decided" in captured.out
    assert (
        f"  {path}: 1 document(s), 1 span(s), 1 suggestion(s); "
        "1 \"textarea\" results (only 'labels' results are read) left out; "
        "1 cancelled annotations (was_cancelled) left out"
    ) in captured.out.splitlines()
    assert captured.err == ""
    assert spans(db) == [("label-studio-user-2", "Baykar", "ACTOR")]
    with Project.open(db) as project:
        (doc,) = project.iter_documents()
        (suggestion,) = project.suggestions(doc.id)
    assert (doc.text[suggestion.start : suggestion.end], suggestion.model) == ("Kyiv", "v1")


def test_a_bad_export_names_the_task_and_leaves_the_project_unchanged(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    bad = labels_result("Kyiv", "ACTOR")
    bad["value"].update(start=0, end=4)  # offsets that do not hold the region's text
    path = export(
        tmp_path, [{"completed_by": 2, "result": [labels_result("Baykar", "ACTOR"), bad]}]
    )
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert run("import", "--db", db, path) == 1
    err = capsys.readouterr().err
    assert (
        f"{path}:2: annotation 1, result 2: offsets 0..4 do not hold the region's text 'Kyiv' "
        "(found 'Bayk')" in err
    )
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_prediction_outside_the_text_names_the_task_and_stores_nothing(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    bad = labels_result("Kyiv", "ACTOR")
    bad["value"].update(start=20, end=40)
    path = export(
        tmp_path,
        [{"completed_by": 2, "result": [labels_result("Baykar", "ACTOR")]}],
        predictions=[{"model_version": "v1", "result": [bad]}],
    )
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert run("import", "--db", db, path) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: prediction 1, result 1: offsets 20..40 do not hold the region's text" in err
    assert "nothing was imported" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
