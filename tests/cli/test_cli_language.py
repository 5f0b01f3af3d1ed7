"""`annotator language` and `init --language`: the project language the token exports use; and
an export with a span that would grow too much exits 1 naming it."""

from __future__ import annotations

from cli_run import digest, run


def test_language_is_shown_set_and_checked(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("language", "--db", db) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "language: en (the default)"
    assert run("language", "--db", db, "de") == 0
    assert capsys.readouterr().out.strip() == "language: de"
    before = digest(db)
    assert run("language", "--db", db, "qq") == 1
    captured = capsys.readouterr()
    assert "spaCy cannot tokenise 'qq'" in captured.err and "Traceback" not in captured.err
    assert digest(db) == before
    assert run("language", "--db", db) == 0
    assert capsys.readouterr().out.strip() == "language: de"


def test_init_takes_a_language_and_refuses_a_bad_one(tmp_path, capsys):
    assert run("init", "--db", tmp_path / "zh.db", "--language", "zh") == 0
    assert "language zh" in capsys.readouterr().out
    assert run("language", "--db", tmp_path / "zh.db") == 0
    assert capsys.readouterr().out.strip() == "language: zh"
    assert run("init", "--db", tmp_path / "bad.db", "--language", "english") == 1
    assert "'english' is not a language code" in capsys.readouterr().err
    assert not (tmp_path / "bad.db").exists()


def test_an_export_with_a_span_grown_too_much_exits_1_and_names_it(tmp_path, capsys):
    db = tmp_path / "p.db"
    text = tmp_path / "a.jsonl"
    text.write_text(
        '{"text": "Turkish drones and the TB2.", "meta": {"title": "Drones"}, '
        '"spans": [{"start": 0, "end": 4, "label": "ACTOR"}, '
        '{"start": 23, "end": 26, "label": "PLATFORM"}]}\n',
        encoding="utf-8",
    )
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, text) == 0
    capsys.readouterr()
    out = tmp_path / "x.conll"
    assert run("export", "--db", db, "--format", "conll", "--out", out) == 1
    captured = capsys.readouterr()
    assert "error: document 1 'Drones': ACTOR span 'Turk' at 0-4 would grow by 3" in captured.out
    assert "1 span(s) would have changed too much" in captured.err
    assert "B-PLATFORM" in out.read_text("utf-8") and "B-ACTOR" not in out.read_text("utf-8")
