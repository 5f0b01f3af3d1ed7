"""Settings: JSON in the config folder, defaults on damage, atomic saves, recent projects."""

from __future__ import annotations

import json
import logging
import os

import pytest

from annotator.core.paths import config_dir
from annotator.core.settings import (
    MAX_RECENT,
    Settings,
    load_settings,
    remember_project,
    save_settings,
    settings_path,
)


def test_settings_live_in_the_config_folder():
    assert settings_path() == config_dir() / "settings.json"


def test_missing_file_gives_defaults_and_writes_nothing():
    settings = load_settings()
    assert settings == Settings()
    assert settings.annotator_name is None
    assert settings.recent_projects == []
    assert settings.snap_to_words is True
    assert settings.label_tags is True
    assert settings.font_size is None
    assert settings.theme == "system"
    assert not settings_path().exists()


def test_round_trip(tmp_path):
    project = tmp_path / "a.db"
    project.touch()
    settings = Settings(
        annotator_name="Ada", snap_to_words=False, label_tags=False, font_size=14, theme="dark"
    )
    remember_project(settings, project)
    save_settings(settings)
    assert load_settings() == settings
    assert json.loads(settings_path().read_text(encoding="utf-8"))["annotator_name"] == "Ada"


def test_save_is_atomic_and_leaves_no_temp_files(monkeypatch):
    save_settings(Settings(annotator_name="Ada"))
    before = settings_path().read_bytes()

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_settings(Settings(annotator_name="Bob"))
    assert settings_path().read_bytes() == before
    assert [p.name for p in config_dir().iterdir()] == ["settings.json"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b"\xff\xfe\x00garbage", b""],
    ids=["broken-json", "not-an-object", "not-utf8", "empty"],
)
def test_damaged_file_gives_defaults_with_a_warning_and_is_kept(content, caplog):
    settings_path().write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="annotator.core.settings"):
        settings = load_settings()
    assert settings == Settings()
    assert "settings" in caplog.text and "defaults" in caplog.text
    assert settings_path().read_bytes() == content  # not overwritten by reading
    save_settings(settings)
    assert json.loads(settings_path().read_text(encoding="utf-8"))["theme"] == "system"


def test_invalid_fields_fall_back_one_by_one(caplog):
    settings_path().write_text(
        json.dumps(
            {
                "annotator_name": "  Ada  ",
                "snap_to_words": "yes",
                "label_tags": 0,
                "font_size": True,
                "theme": "purple",
                "recent_projects": "not a list",
                "unknown_key": 1,
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="annotator.core.settings"):
        settings = load_settings()
    assert settings == Settings(annotator_name="Ada")
    for name in ("snap_to_words", "label_tags", "font_size", "theme", "recent_projects"):
        assert f"invalid {name}" in caplog.text


@pytest.mark.parametrize("size", [0, 5, 73, 12.5, "12"])
def test_out_of_range_font_size_is_ignored(size):
    settings_path().write_text(json.dumps({"font_size": size}), encoding="utf-8")
    assert load_settings().font_size is None


def test_remember_project_puts_it_first_without_duplicates(tmp_path):
    settings = Settings()
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    remember_project(settings, a)
    remember_project(settings, b)
    remember_project(settings, tmp_path / "sub" / ".." / "a.db")  # same file, other spelling
    assert settings.recent_projects == [str(a), str(b)]


def test_remember_project_makes_paths_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    remember_project(settings, "rel.db")
    assert settings.recent_projects == [str(tmp_path / "rel.db")]


def test_recent_projects_are_capped():
    settings = Settings()
    for i in range(MAX_RECENT + 5):
        remember_project(settings, f"/projects/p{i}.db")
    assert len(settings.recent_projects) == MAX_RECENT
    assert settings.recent_projects[0].endswith(f"p{MAX_RECENT + 4}.db")
    assert settings.recent_projects[-1].endswith("p5.db")


def test_loaded_recent_list_is_deduplicated_and_capped():
    paths = [f"/projects/p{i}.db" for i in range(15)]
    settings_path().write_text(
        json.dumps({"recent_projects": [paths[0], paths[1], paths[0], 3, *paths[2:]]}),
        encoding="utf-8",
    )
    recent = load_settings().recent_projects
    assert len(recent) == MAX_RECENT
    assert recent[:3] == [os.path.abspath(p) for p in paths[:3]]


def test_existing_recent_prunes_missing_files(tmp_path):
    kept, gone = tmp_path / "kept.db", tmp_path / "gone.db"
    kept.touch()
    gone.touch()
    settings = Settings()
    remember_project(settings, gone)
    remember_project(settings, kept)
    gone.unlink()
    assert settings.existing_recent() == [str(kept)]
    assert settings.recent_projects == [str(kept)]
    save_settings(settings)
    assert load_settings().recent_projects == [str(kept)]
