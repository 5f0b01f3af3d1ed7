"""The pretrained-pipeline suggester: an installed spaCy pipeline's entities, via a label map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.core.model import NewSuggestion
from annotator.core.progress import Progress
from annotator.nlp.labelmap import DEFAULT_LABEL_MAP, label_map_for, save_label_map
from annotator.nlp.loading import looks_like_path, pipeline_installed
from annotator.nlp.streaming import BATCH_SIZE, batches_with_progress
from annotator.nlp.suggesters import PIPELINE

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "DEFAULT_LABEL_MAP",
    "DEFAULT_PIPELINE",
    "ENTITY_SCORE",
    "PIPELINE_SETTING",
    "PipelineSuggester",
    "label_map_for",
    "save_label_map",
]

PIPELINE_SETTING = "pipeline"
DEFAULT_PIPELINE = "en_core_web_sm"
# NER gives no confidence: a middle score, so "accept all above 0.5+" leaves these for review.
ENTITY_SCORE = 0.5


class PipelineSuggester:
    """Entities (and scored span groups) of any installed pipeline, mapped onto the schema."""

    def __init__(
        self,
        name_or_path: str,
        label_map: Mapping[str, str] | None = None,
        *,
        score: float = ENTITY_SCORE,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.name_or_path = str(name_or_path)
        self.name = f"{PIPELINE}:{self.name_or_path}"
        self.version = ""  # the name carries the pipeline
        self.label_map = dict(DEFAULT_LABEL_MAP if label_map is None else label_map)
        self.score = score
        self.batch_size = batch_size

    @classmethod
    def from_project(cls, project: Any, **options: Any) -> PipelineSuggester:
        """The project's chosen pipeline (default en_core_web_sm) with its label map."""
        name = project.get_setting(PIPELINE_SETTING) or DEFAULT_PIPELINE
        return cls(name, label_map_for(project), **options)

    def available(self) -> bool:
        """Whether the package is importable or the folder holds a pipeline (nothing loaded)."""
        return pipeline_installed(self.name_or_path) and bool(self.label_map)

    def unavailable_reason(self) -> str:
        """What is missing and how to add it."""
        if not pipeline_installed(self.name_or_path):
            if looks_like_path(self.name_or_path):
                return (
                    f"no spaCy pipeline at {self.name_or_path} (expected a folder with "
                    "config.cfg, as written by nlp.to_disk or spacy train); choose another folder"
                )
            return (
                f"spaCy pipeline {self.name_or_path!r} is not installed; install it with "
                f"`pip install {self.name_or_path}` (or a wheel file) and choose it again"
            )
        if not self.label_map:
            return (
                "the label map is empty: map the pipeline's labels (e.g. ORG) onto "
                "this project's labels first"
            )
        return ""

    def suggest(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> list[list[NewSuggestion]]:
        """Mapped entities per text; unmapped labels are dropped."""
        from annotator.nlp.loading import load_pipeline

        nlp = load_pipeline(self.name_or_path)
        results: list[list[NewSuggestion]] = []
        for batch in batches_with_progress(texts, progress, self.batch_size):
            for doc in nlp.pipe(batch, batch_size=self.batch_size):
                results.append(self._items(doc))
        return results

    def _items(self, doc: Doc) -> list[NewSuggestion]:
        """Entities and span-group members whose label the map knows, best score per span."""
        found: dict[tuple[int, int, str], float] = {}

        def add(start: int, end: int, label: str, score: float) -> None:
            target = self.label_map.get(label)
            if target is not None:
                key = (start, end, target)
                found[key] = max(score, found.get(key, 0.0))

        for ent in doc.ents:
            add(ent.start_char, ent.end_char, ent.label_, self.score)
        for group in doc.spans.values():
            scores = group.attrs.get("scores")
            for i, span in enumerate(group):
                score = float(scores[i]) if scores is not None else self.score
                add(span.start_char, span.end_char, span.label_, score)
        return [NewSuggestion(s, e, label, score) for (s, e, label), score in sorted(found.items())]
