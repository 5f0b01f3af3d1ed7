"""The project's settings: JSON values stored in the project file, by key."""

from __future__ import annotations

from typing import Any

from annotator.core.model import Changes
from annotator.core.project.part import Part
from annotator.core.storage.orm import ProjectSettingRow


class Settings(Part):
    """Project-wide settings (the file's, not the user's)."""

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A project-wide setting (JSON value) stored in the file, or `default`."""
        with self._read() as s:
            row = s.get(ProjectSettingRow, key)
            return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> Changes:
        """Store a project-wide setting (any JSON value); None removes it."""
        with self._write() as s:
            row = s.get(ProjectSettingRow, key)
            if value is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(ProjectSettingRow(key=key, value=value))
            else:
                row.value = value
        return Changes()
