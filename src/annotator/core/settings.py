"""The user's preferences as one small JSON file in the config folder (no Qt).

Window geometry and dock state are Qt's business (QSettings); everything else lives here so the
CLI and tests can read it without Qt. A damaged file never stops the app: it reads as defaults,
with a warning, and stays untouched until the next save replaces it atomically.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from annotator.core.files import atomic_write
from annotator.core.paths import config_dir
from annotator.core.storage.engine import is_url
from annotator.core.storage.server import has_password

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"
MAX_RECENT = 10
THEMES: tuple[str, ...] = ("system", "light", "dark")
FONT_SIZE_RANGE = (6, 72)  # points; anything outside is a typo, not a preference


@dataclass(slots=True)
class Settings:
    """Preferences that outlive a session; defaults are what a first start uses."""

    annotator_name: str | None = None
    recent_projects: list[str] = field(default_factory=list)  # most recent first
    snap_to_words: bool = True
    label_tags: bool = True  # label names drawn above the spans in the article
    auto_suggest: bool = True
    font_size: int | None = None  # None: the theme's reading font size
    theme: str = "system"  # one of THEMES

    def existing_recent(self) -> list[str]:
        """Recent projects that still exist (server URLs are kept), pruning the missing ones."""
        self.recent_projects = [p for p in self.recent_projects if is_url(p) or Path(p).is_file()]
        return list(self.recent_projects)


def settings_path() -> Path:
    """Where the settings file lives: config_dir()/settings.json."""
    return config_dir() / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives defaults, a damaged one defaults and a warning."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read settings %s (%s); using defaults", path, exc)
        return Settings()
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        log.warning("settings %s are damaged (%s); using defaults until the next save", path, exc)
        return Settings()
    if not isinstance(data, dict):
        log.warning("settings %s hold no JSON object; using defaults until the next save", path)
        return Settings()
    return _from_dict(data, path)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (temp file in the same folder, then os.replace)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings), indent=2, ensure_ascii=False) + "\n"
    with atomic_write(path) as handle:
        handle.write(text)


def remember_project(settings: Settings, path: str | Path) -> None:
    """Put `path` (made absolute; a server URL as given) first in the recent projects: no
    duplicates, at most 10. A URL carrying a password is never kept (nor loaded)."""
    if is_url(path) and has_password(path):
        return
    new = str(path) if is_url(path) else os.path.abspath(Path(path).expanduser())
    key = _path_key(new)
    rest = [p for p in settings.recent_projects if _path_key(p) != key]
    settings.recent_projects = [new, *rest][:MAX_RECENT]


def _path_key(path: str) -> str:
    """A comparison key for paths: resolved where possible, case-folded where the OS is."""
    if is_url(path):
        return path
    try:
        resolved = str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError):
        resolved = os.path.abspath(Path(path).expanduser())
    return os.path.normcase(resolved)


def _from_dict(data: dict[str, Any], path: Path) -> Settings:
    """Settings from parsed JSON: valid fields kept, invalid ones defaulted with a warning."""
    settings = Settings()
    checks = {
        "annotator_name": _check_name,
        "recent_projects": _check_recent,
        "snap_to_words": _check_bool,
        "label_tags": _check_bool,
        "auto_suggest": _check_bool,
        "font_size": _check_font_size,
        "theme": _check_theme,
    }
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = checks[f.name](data[f.name])
        if value is _INVALID:
            log.warning("settings %s: ignoring invalid %s=%r", path, f.name, data[f.name])
            continue
        setattr(settings, f.name, value)
    return settings


_INVALID = object()


def _check_name(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return _INVALID


def _check_recent(value: object) -> object:
    if not isinstance(value, list):
        return _INVALID
    settings = Settings()
    for item in reversed([v for v in value if isinstance(v, str) and v]):
        remember_project(settings, item)
    return settings.recent_projects


def _check_bool(value: object) -> object:
    return value if isinstance(value, bool) else _INVALID


def _check_font_size(value: object) -> object:
    if value is None:
        return None
    low, high = FONT_SIZE_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return _INVALID


def _check_theme(value: object) -> object:
    return value if value in THEMES else _INVALID
