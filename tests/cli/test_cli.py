"""The command line as scripts and lab leads use it: exit codes, messages, round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import digest, run

TRICKY = [
    "Baykar 🚀 sold the TB2\r\nto Azerbaijan — cafe\u0301 talk.",
    "مرحبا Baykar שלום 👨‍👩‍👧 family and 日本語 text with Kaan.",
    "Plain line\rwith a lone CR and 𝔘nicode.",
]


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_version_runs_as_a_module():
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("annotator ")


def test_the_spacy_backed_formats_are_offered_by_the_command_itself(db, tmp_path):
    """In its own process, as a user runs it (the tests' conftest registers the formats for
    every in-process test, which once hid `--format spacy` being refused as unknown)."""
    records = [
        {"text": "Baykar sold the TB2.", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
    ]
    assert run("import", "--db", db, str(write_jsonl(tmp_path / "a.jsonl", records))) == 0
    annotator = [sys.executable, "-m", "annotator", "--db", str(db)]
    for fmt, out in (("spacy", "a.spacy"), ("conll", "a.conll"), ("hf", "hf")):
        command = [*annotator, "export", "--format", fmt, "--out", str(tmp_path / out)]
        done = subprocess.run([*command, "--layer", "all"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    help_text = subprocess.run([*annotator, "export", "--help"], capture_output=True, text=True)
    assert "spacy" in help_text.stdout and "csv-excel" in help_text.stdout
    back = [*annotator, "import", str(tmp_path / "a.spacy"), "--format", "spacy"]
    assert subprocess.run(back, capture_output=True, text=True).returncode == 0


def test_a_reader_that_stops_early_gets_no_traceback(db, tmp_path):
    texts = [{"text": f"Article {n} about Baykar and the TB2."} for n in range(3000)]
    assert run("import", "--db", db, str(write_jsonl(tmp_path / "many.jsonl", texts))) == 0
    command = [sys.executable, "-m", "annotator", "docs", "--db", str(db)]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()  # `annotator docs | head -1`
    reader.stdout.close()
    _, err = reader.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
    assert reader.returncode == 1


def test_init_with_default_schema_and_labels_list(db, capsys):
    capsys.readouterr()
    assert run("labels", "--db", db) == 0
    out = capsys.readouterr().out
    assert "ACTOR" in out and "PLATFORM" in out and "MOTIVATION" in out


def test_init_with_a_schema_file(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"labels": [{"name": "WEAPON", "color": "#D55E00"}]}))
    assert run("init", "--db", tmp_path / "w.db", "--labels", schema) == 0
    assert "WEAPON" in capsys.readouterr().out


def test_bad_schema_file_is_a_data_error(tmp_path, capsys):
    schema = tmp_path / "schema.json"
    schema.write_text('{"labels": [\n  {"name": "X", "color": "blue"}\n]}')
    assert run("init", "--db", tmp_path / "w.db", "--labels", schema) == 1
    err = capsys.readouterr().err
    assert f"{schema}:2:" in err and "blue" in err
    assert not (tmp_path / "w.db").exists()


def test_labels_add_set_remove(db, capsys):
    assert run("labels", "--db", db, "add", "COUNTRY", "--color", "#123456", "--key", "4") == 0
    assert run("labels", "--db", db, "set", "COUNTRY", "--rename", "STATE", "--key", "none") == 0
    assert run("labels", "--db", db, "remove", "STATE") == 0
    assert "STATE" not in capsys.readouterr().out.splitlines()[-1]
    assert run("labels", "--db", db, "add", "ACTOR") == 1
    assert "already exists" in capsys.readouterr().err


def test_names_on_the_command_line_are_taken_in_their_stored_form(db, tmp_path, capsys):
    assert run("labels", "--db", db, "add", " Cafe\u0301 ") == 0
    assert run("labels", "--db", db, "set", "Caf\u00e9 ", "--rename", " STATE\u00a0") == 0
    records = [{"text": "Baykar", "spans": [{"start": 0, "end": 6, "label": "STATE"}]}]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    assert run("import", "--db", db, source, "--annotator", " Rene\u0301") == 0
    capsys.readouterr()
    assert run("docs", "--db", db, "--annotator", "Ren\u00e9 ", "--label", " STATE") == 0
    assert "Baykar" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert (
        run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "Rene\u0301") == 0
    )
    assert json.loads(out.read_text("utf-8"))["spans"][0]["label"] == "STATE"
    assert run("labels", "--db", db, "add", "=x") == 1
    assert "must start with a letter or digit" in capsys.readouterr().err


def test_jsonl_round_trip_keeps_texts_and_offsets_exactly(db, tmp_path):
    records = []
    for n, text in enumerate(TRICKY):
        spans = [{"start": text.index("Baykar" if n < 2 else "Plain"), "end": 0, "label": "ACTOR"}]
        spans[0]["end"] = spans[0]["start"] + (6 if n < 2 else 5)
        if "𝔘" in text:
            spans.append(
                {"start": text.index("𝔘"), "end": text.index("𝔘") + 7, "label": "PLATFORM"}
            )
        records.append({"text": text, "meta": {"n": n}, "spans": spans, "annotator": "alice"})
    source = write_jsonl(tmp_path / "in.jsonl", records)
    assert run("import", "--db", db, source) == 0
    out = tmp_path / "out.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "alice") == 0
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [e["text"] for e in exported] == TRICKY
    for original, back in zip(records, exported, strict=True):
        assert back["spans"] == original["spans"]
        assert back["meta"]["n"] == original["meta"]["n"]
        for span in back["spans"]:
            assert back["text"][span["start"] : span["end"]] in ("Baykar", "Plain", "𝔘nicode")


def test_reimport_is_idempotent(db, tmp_path, capsys):
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "Baykar", "spans": []}])
    assert run("import", "--db", db, source) == 0
    assert run("import", "--db", db, source) == 0
    assert "0 new document(s), 1 already present" in capsys.readouterr().out


def test_bad_file_leaves_the_database_byte_for_byte_unchanged(db, tmp_path, capsys):
    good = tmp_path / "in"
    good.mkdir()
    (good / "a.txt").write_text("A fine article about Baykar.", "utf-8")
    write_jsonl(good / "b.jsonl", [{"text": "ok", "spans": [{"start": 0, "end": 9, "label": "X"}]}])
    before = digest(db)
    assert run("import", "--db", db, good) == 1
    err = capsys.readouterr().err
    assert "b.jsonl:1:" in err
    assert digest(db) == before
    assert run("docs", "--db", db, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_skip_bad_stores_the_good_files(db, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A fine article about Baykar.", "utf-8")
    (folder / "b.txt").write_bytes(b"")
    assert run("import", "--db", db, folder, "--skip-bad") == 1
    captured = capsys.readouterr()
    assert "1 new document(s)" in captured.out
    assert "b.txt" in captured.err and "empty" in captured.err


def test_docs_filters_and_json(db, tmp_path, capsys):
    records = [
        {
            "text": "Baykar sells drones",
            "annotator": "alice",
            "status": "done",
            "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
        },
        {"text": "Nothing here", "annotator": "alice"},
    ]
    assert run("import", "--db", db, write_jsonl(tmp_path / "d.jsonl", records)) == 0
    capsys.readouterr()
    assert run("docs", "--db", db, "--status", "done", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["span_count"] for r in rows] == [1]
    assert run("docs", "--db", db, "--search", "nothing") == 0
    assert "Nothing here" in capsys.readouterr().out
    assert run("docs", "--db", db, "--label", "PLATFORM", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run("docs", "--db", db, "--label", "NOPE") == 1


def test_stats_json(db, tmp_path, capsys):
    records = [
        {"text": "Baykar", "annotator": "bob", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
    ]
    run("import", "--db", db, write_jsonl(tmp_path / "s.jsonl", records))
    capsys.readouterr()
    assert run("stats", "--db", db, "--format", "json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 1 and stats["spans_per_annotator"] == {"bob": 1}


def test_export_refuses_to_overwrite_unless_forced(db, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me")
    export = ("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "all")
    assert run(*export) == 1
    assert "exists" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert run(*export, "--force") == 1
    assert "is not an earlier jsonl export" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    out.unlink()
    assert run(*export) == 0
    assert run(*export, "--force") == 0


def test_export_unknown_layer_and_format(db, tmp_path, capsys):
    out = tmp_path / "o.jsonl"
    assert run("export", "--db", db, "--format", "jsonl", "--out", out, "--layer", "zed") == 1
    assert "no annotator named 'zed'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # an unknown format is a usage error
        run("export", "--db", db, "--format", "gold", "--out", out)
    assert exc.value.code == 2
    assert not out.exists()


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        run("docs", "--status", "nonsense")
    assert exc.value.code == 2


def test_missing_project_is_a_clear_error(tmp_path, capsys):
    assert run("docs", "--db", tmp_path / "missing.db") == 1
    assert "no such project file" in capsys.readouterr().err


def test_default_project_comes_with_samples(capsys):
    assert run("docs", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3


def test_annotator_db_environment_variable(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.db"
    run("init", "--db", path)
    monkeypatch.setenv("ANNOTATOR_DB", str(path))
    capsys.readouterr()
    assert run("docs", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_export_split_labels_and_report(db, tmp_path, capsys):
    records = [
        {
            "text": f"Doc {n}: Baykar TB2",
            "annotator": "alice",
            "spans": [
                {"start": 7, "end": 13, "label": "ACTOR"},
                {"start": 14, "end": 17, "label": "PLATFORM"},
            ],
        }
        for n in range(10)
    ]
    assert run("import", "--db", db, write_jsonl(tmp_path / "in.jsonl", records)) == 0, (
        capsys.readouterr()
    )
    capsys.readouterr()
    out = tmp_path / "corpus"
    assert (
        run(
            "export",
            "--db",
            db,
            "--format",
            "jsonl",
            "--out",
            out,
            "--split",
            "0.6,0.2,0.2",
            "--labels",
            "ACTOR",
            "--seed",
            "3",
        )
        == 0
    )
    assert "spans: ACTOR 10" in capsys.readouterr().out
    sizes = [len((out / f"{p}.jsonl").read_text().splitlines()) for p in ("train", "dev", "test")]
    assert sizes == [6, 2, 2]
    assert (
        run("export", "--db", db, "--format", "jsonl", "--out", tmp_path / "x", "--split", "0.5")
        == 1
    )
    assert "--split" in capsys.readouterr().err
