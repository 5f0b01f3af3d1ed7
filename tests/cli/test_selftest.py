"""`annotator --selftest` from the source install: every step passes, a failure names its step."""

from __future__ import annotations

from annotator import selftest
from annotator.cli import main
from annotator.nlp.registries import referenced_functions


def test_selftest_runs_every_step_and_leaves_no_user_file(capsys, _isolated_home):
    assert main(["--selftest"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == [name for name, _ in selftest.STEPS]
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert lines[-1].startswith("selftest passed")
    assert not any(_isolated_home.rglob("*.db"))  # the default project was not made


def test_selftest_stops_at_the_first_failure_with_its_reason(capsys, monkeypatch):
    from annotator.nlp import registries

    monkeypatch.setattr(
        registries, "training_functions", lambda: ([], ["loggers:spacy.ConsoleLogger.v1"])
    )
    assert main(["--selftest"]) == 1
    out = capsys.readouterr().out
    reason = "unresolved spaCy functions: loggers:spacy.ConsoleLogger.v1"
    assert f"FAIL registry: RuntimeError: {reason}" in out
    assert "window" not in out and "selftest passed" not in out


def test_referenced_functions_walks_nested_sections():
    config = {"a": {"@loggers": "x.v1", "b": {"@misc": "y.v2", "n": 1}}, "c": 2}
    assert list(referenced_functions(config)) == [("loggers", "x.v1"), ("misc", "y.v2")]


def test_selftest_leaves_the_users_profile_byte_identical(capsys, _isolated_home):
    from annotator.core.settings import Settings, save_settings, settings_path

    recent = _isolated_home / "mine.db"
    recent.write_bytes(b"")
    save_settings(Settings(annotator_name="alice", recent_projects=[str(recent)], font_size=14))
    before = settings_path().read_bytes()
    files_before = sorted(_isolated_home.rglob("*"))
    assert main(["--selftest"]) == 0
    assert settings_path().read_bytes() == before
    assert sorted(_isolated_home.rglob("*")) == files_before
