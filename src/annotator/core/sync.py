"""Push and pull: move work between a laptop project file and a server project, by merging.

Pull merges the server project (every layer, with its span deletions) into the file. Push is
the merge the other way (core.merge): by default it carries one annotator's layer only
(`LayerSource`), which is all that annotator may write under docs/server-roles.sql, so it
never touches, nor fails on, what others changed meanwhile. Both are idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from annotator.core.errors import ProjectError
from annotator.core.merge_records import MergeDecision, MergeDocument, MergeReport, MergeSource
from annotator.core.merge_sources import ProjectFileSource
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project
from annotator.core.schema import LabelSpec, RelationTypeSpec


class OpenProjectSource(ProjectFileSource):
    """An open project (a server database) as a merge source, read in one snapshot."""

    def __init__(self, project: Project) -> None:  # no private copy: read it where it is
        self.name = project.location
        self._engine = project.read_engine

    def close(self) -> None:
        """Nothing to release: the project stays open."""


class LayerSource:
    """One annotator's layer of a merge source: their spans and relations with their deletions,
    statuses and suggestion decisions, and (for the gold layer) the review rejections of spans
    and relations.
    Documents, labels, relation types and suggestions come along so the layer has somewhere to
    go; other annotators' work stays behind."""

    def __init__(self, source: MergeSource, annotator: str) -> None:
        self.name = source.name
        self._source = source
        self._annotator = annotator
        known = source.annotators()
        if annotator not in known:
            raise ProjectError(
                f"{source.name}: holds no layer of {annotator!r}; nothing was written "
                "(name the layer with --annotator, or push --all-layers)"
            )
        self._gold = known[annotator]

    def labels(self) -> list[LabelSpec]:
        """The source's labels."""
        return self._source.labels()

    def relation_types(self) -> list[RelationTypeSpec]:
        """The source's relation types."""
        return self._source.relation_types()

    def annotators(self) -> dict[str, bool]:
        """The annotator alone, when the source knows them."""
        return {
            name: gold
            for name, gold in self._source.annotators().items()
            if name == self._annotator
        }

    def count(self) -> int:
        """How many documents the source holds."""
        return self._source.count()

    def documents(self) -> Iterator[MergeDocument]:
        """The source's documents, with only this layer's work."""
        mine = self._annotator
        for doc in self._source.documents():
            yield replace(
                doc,
                spans=[span for span in doc.spans if span.annotator == mine],
                deletions=[gone for gone in doc.deletions if gone.annotator == mine],
                relations=[link for link in doc.relations if link.annotator == mine],
                relation_deletions=[
                    gone for gone in doc.relation_deletions if gone.annotator == mine
                ],
                states={name: st for name, st in doc.states.items() if name == mine},
                suggestions=[
                    replace(suggestion, decisions=_of(suggestion.decisions, mine))
                    for suggestion in doc.suggestions
                ],
                rejections=doc.rejections if self._gold else [],
                relation_rejections=doc.relation_rejections if self._gold else [],
            )


def _of(decisions: tuple[MergeDecision, ...], annotator: str) -> tuple[MergeDecision, ...]:
    return tuple(decision for decision in decisions if decision.annotator == annotator)


def pull(server: Project, local: Project, progress: Progress | None = None) -> MergeReport:
    """Merge everything the server project holds into the local project, in one transaction."""
    return local.merge([OpenProjectSource(server)], progress=progress or NullProgress())
