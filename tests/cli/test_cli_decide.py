"""Scripting the annotation from the CLI (issue 22 item 4): `import --report json` names the
documents' ids, `export --doc` and the JSONL `document_id`, `decide list|accept|reject`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_run import run

from annotator.core.model import NewSuggestion, SuggestionStatus
from annotator.core.project import Project

TEXTS = (
    "🚀 Baykar sold the TB2 drones to Poland.\r\nBaykar is based in Istanbul.",
    "北京 bought TB2 drones from Baykar.",
)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    with Project.create(path):
        pass
    return path


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def test_import_report_json_names_every_document_id_and_the_new_ones(db, tmp_path, capsys):
    first = write_jsonl(tmp_path / "a.jsonl", [{"text": TEXTS[0]}])
    assert run("import", "--db", db, first, "--report", "json") == 0
    assert json.loads(capsys.readouterr().out)["new_documents"] == [1]
    both = write_jsonl(tmp_path / "b.jsonl", [{"text": TEXTS[1]}, {"text": TEXTS[0]}])
    assert run("import", "--db", db, both, "--report", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == [2, 1]  # in the file's order
    assert report["new_documents"] == [2] and report["documents_existing"] == 1


@pytest.fixture
def suggested(db, tmp_path, capsys) -> dict[str, int]:
    """Two documents, a lexicon (phrase, label) -> suggestion id for alice."""
    records = [{"text": text} for text in TEXTS]
    assert run("import", "--db", db, write_jsonl(tmp_path / "in.jsonl", records)) == 0
    with Project(db) as project:
        drones = TEXTS[0].index("TB2 drones")
        baykar = TEXTS[0].index("Baykar", 5)
        project.store_suggestions(
            1,
            "lexicon",
            [
                NewSuggestion(drones, drones + 10, "PLATFORM"),
                NewSuggestion(drones, drones + 3, "PLATFORM"),
                NewSuggestion(baykar, baykar + 6, "ACTOR"),
            ],
        )
        other = TEXTS[1].index("TB2 drones")
        project.store_suggestions(2, "lexicon", [NewSuggestion(other, other + 10, "PLATFORM")])
        found = {
            (project.document(d).text[s.start : s.end], d): s.id
            for d in (1, 2)
            for s in project.suggestions(d)
        }
    capsys.readouterr()
    return {f"{text}@{doc}": sid for (text, doc), sid in found.items()}


def statuses(db: Path, annotator: str) -> dict[int, str]:
    with Project(db) as project:
        return {
            s.id: s.status.value
            for d in (1, 2)
            for s in project.suggestions(d, None, annotator=annotator)
        }


def test_decide_list_shows_the_pending_suggestions_with_their_ids(db, suggested, capsys):
    assert run("decide", "list", "--db", db, "--annotator", "alice", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(x["id"], x["document_id"], x["text"]) for x in listed] == [
        (suggested["TB2@1"], 1, "TB2"),
        (suggested["TB2 drones@1"], 1, "TB2 drones"),
        (suggested["Baykar@1"], 1, "Baykar"),
        (suggested["TB2 drones@2"], 2, "TB2 drones"),
    ]
    assert listed[2]["start"] == TEXTS[0].index("Baykar", 5)  # code points, past 🚀 and CRLF
    assert run("decide", "list", "--db", db, "--doc", 2, "--annotator", "alice") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == [
        "id", "document_id", "label", "start", "end", "score", "model", "text"
    ]  # fmt: skip
    assert len(table) == 2 and table[1].split()[-2:] == ["TB2", "drones"]


def test_decide_accept_and_reject_by_id_and_by_document(db, suggested, capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    assert run("decide", "accept", suggested["TB2 drones@1"], "--db", db) == 0
    out = capsys.readouterr().out
    assert "accepted 1 suggestion(s) as alice's spans" in out
    assert "1 competing suggestion(s) decided with them" in out  # "TB2" inside it
    assert run("decide", "reject", "--doc", 1, "--db", db) == 0  # what is left: "Baykar"
    assert "rejected 1 suggestion(s) for alice" in capsys.readouterr().out
    assert run("decide", "accept", "--doc", 2, "--db", db, "--annotator", "bob") == 0
    assert statuses(db, "alice") == {
        suggested["TB2 drones@1"]: "accepted",
        suggested["TB2@1"]: "rejected",
        suggested["Baykar@1"]: "rejected",
        suggested["TB2 drones@2"]: "pending",
    }
    assert statuses(db, "bob")[suggested["TB2 drones@2"]] == "accepted"
    with Project(db) as project:
        assert [(s.label, s.start) for s in project.spans(2, "bob")] == [("PLATFORM", 10)]
        assert project.suggestion(suggested["TB2@1"], "bob").status is SuggestionStatus.PENDING


def test_decide_with_an_unknown_id_or_document_changes_nothing(db, suggested, capsys):
    before = dump(db)
    good = suggested["Baykar@1"]
    assert run("decide", "accept", good, 999, "--db", db, "--annotator", "alice") == 1
    assert "no suggestion with id 999" in capsys.readouterr().err
    assert run("decide", "reject", "--doc", 1, 7, "--db", db, "--annotator", "alice") == 1
    assert "no document with id 7" in capsys.readouterr().err
    assert dump(db) == before
    with pytest.raises(SystemExit) as usage:
        run("decide", "accept", "--db", db)
    assert usage.value.code == 2


def test_export_doc_writes_only_those_documents_with_their_ids(db, suggested, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--doc", 2, "--layer",
               "suggestions") == 0  # fmt: skip
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["document_id"] == 2 and record["text"] == TEXTS[1]
    assert [(s["start"], s["end"]) for s in record["spans"]] == [(10, 20)]
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--force", "--doc", 2,
               1, "--layer", "suggestions") == 0  # fmt: skip
    ids = [json.loads(line)["document_id"] for line in out.read_text("utf-8").splitlines()]
    assert ids == [1, 2]
    assert run("export", "--db", db, "--format", "jsonl", "--out", tmp_path / "x.jsonl",
               "--doc", 3, "--layer", "suggestions") == 1  # fmt: skip
    assert "no document with id 3" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()

    copy = tmp_path / "copy.db"
    with Project.create(copy):
        pass
    assert run("import", "--db", copy, out) == 0
    with Project(copy) as project:  # the id is not metadata in another project
        assert all("document_id" not in d.meta for d in project.iter_documents())


def test_stats_by_label_shows_precision_in_use_beside_the_held_out_figures(db, suggested, capsys):
    from annotator.nlp.projectmodel import record_model

    with Project(db) as project:
        model = "project-model:2026-01-01"
        project.store_suggestions(2, model, [NewSuggestion(0, 2, "ACTOR", 0.7)])
        record_model(
            project, Path("model"), "2026-01-01", {"labels": {"ACTOR": {"precision": 0.73}}}
        )
    assert run("decide", "accept", suggested["TB2 drones@1"], "--db", db, "--annotator", "a") == 0
    assert run("decide", "reject", "--doc", 2, "--db", db, "--annotator", "a") == 0
    capsys.readouterr()
    assert run("stats", "--db", db, "--by-label", "--format", "json") == 0
    rows = {
        (q["model"], q["label"]): (
            q["accepted"],
            q["rejected"],
            q["precision"],
            q["held_out_precision"],
        )
        for q in json.loads(capsys.readouterr().out)["suggesters"]
    }
    assert rows == {
        ("lexicon", "ACTOR"): (0, 0, None, None),  # "Baykar": still pending
        ("lexicon", "PLATFORM"): (1, 2, 1 / 3, None),  # "TB2" resolved with it, doc 2 rejected
        ("project-model:2026-01-01", "ACTOR"): (0, 1, 0.0, 0.73),
    }
    assert run("stats", "--db", db, "--by-label") == 0
    table = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [
        "project-model:2026-01-01", "ACTOR", "0", "0", "1", "0.000", "-", "0.730"
    ] in table  # fmt: skip
    # calibrated per place: the bin's Beta(10 x 0.95 + 1, 10 x 0.05 + 2) = 10.5 / 13, then
    # each extent shape's Beta(10 x 0.8077 + accepted, 10 x 0.1923 + rejected)
    # (the project model's bin: Beta(7.5, 2.5 + 1), 7.5 / 11, its shape 6.82 / 11)
    assert [" ".join(line) for line in table[-5:]] == [
        "suggestions are shown unless their precision is reliably below 0.6 "
        "(annotator config min-precision)",
        "suggester label scores extent accepted rejected calibrated precision shown",
        "lexicon PLATFORM 0.9-1 alone 1 1 0.756 yes",
        "lexicon PLATFORM 0.9-1 caps 0 1 0.734 yes",
        "project-model ACTOR 0.7-0.8 alone 0 1 0.620 yes",
    ]
    assert run("config", "min-precision", "0.75", "--db", db) == 0
    capsys.readouterr()
    assert run("stats", "--db", db, "--by-label", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["min_precision"] == 0.75
    assert {
        "suggester": "lexicon",
        "label": "PLATFORM",
        "scores": "0.9-1",
        "extent": "caps",
        "accepted": 0,
        "rejected": 1,
        "calibrated_precision": 0.7343,
        "shown": True,
    } in report["calibration"]
