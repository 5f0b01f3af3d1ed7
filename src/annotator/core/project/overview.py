"""The project's activity markers and statistics (cheap values views poll, and counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.core.project.part import Part

if TYPE_CHECKING:
    from annotator.core.stats import ProjectStats


class Overview(Part):
    """Change markers and counts over the whole project."""

    def change_marker(self) -> tuple[Any, ...]:
        """A cheap value that moves whenever documents, spans or statuses change."""
        from annotator.core.activity import change_marker

        with self._read() as s:
            return change_marker(s)

    def document_markers(self) -> dict[int, tuple[Any, ...]]:
        """Per document, a value that moves whenever its spans or statuses change."""
        from annotator.core.activity import document_markers

        with self._read() as s:
            return document_markers(s)

    def stats(self) -> ProjectStats:
        """Counts of documents, spans per label and annotator, and statuses (core.stats)."""
        from annotator.core.stats import project_stats

        with self._read() as s:
            return project_stats(s)
