"""Pull: a server project's work into a laptop project file, through the merge (core.merge).

Push is the merge itself (the file merged into the server project); both are idempotent.
"""

from __future__ import annotations

from annotator.core.merge_records import MergeReport
from annotator.core.merge_sources import ProjectFileSource
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project


class OpenProjectSource(ProjectFileSource):
    """An open project (a server database) as a merge source, read in one snapshot."""

    def __init__(self, project: Project) -> None:  # no private copy: read it where it is
        self.name = project.location
        self._engine = project.read_engine

    def close(self) -> None:
        """Nothing to release: the project stays open."""


def pull(server: Project, local: Project, progress: Progress | None = None) -> MergeReport:
    """Merge everything the server project holds into the local project, in one transaction."""
    return local.merge([OpenProjectSource(server)], progress=progress or NullProgress())
