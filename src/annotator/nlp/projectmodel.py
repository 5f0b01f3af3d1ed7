"""The project-model suggester: the spancat trained on this project, recorded in its settings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.core.model import NewSuggestion
from annotator.core.progress import Progress
from annotator.nlp.loading import NOT_FOR_SPANS
from annotator.nlp.streaming import batches_with_progress
from annotator.nlp.suggesters import PROJECT_MODEL
from annotator.nlp.trainconfig import batch_texts

PROJECT_MODEL_SETTING = "project_model"
THRESHOLD_SETTING = "suggestion_threshold"
DEFAULT_THRESHOLD = 0.5
MODEL_DIR = "model"
# Texts per batch (fewer per nlp.pipe call for long suggester sizes: see batch_texts).
PIPE_BATCH_SIZE = 16
SPANS_KEY = "sc"


def record_model(project: Any, path: Path, date: str, metrics: dict[str, Any]) -> None:
    """Make a trained model the project's model from now on."""
    record = {"path": str(Path(path).resolve()), "date": date, "metrics": metrics}
    project.set_setting(PROJECT_MODEL_SETTING, record)


def recorded_model(project: Any) -> dict[str, Any] | None:
    """The project's model record ({path, date, metrics}), or None before any training."""
    return project.get_setting(PROJECT_MODEL_SETTING)


class ProjectModelSuggester:
    """Spans from the project's span categorizer, with its scores, above a threshold."""

    def __init__(
        self,
        path: str | Path | None,
        *,
        date: str = "",
        threshold: float = DEFAULT_THRESHOLD,
        batch_size: int = PIPE_BATCH_SIZE,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.date = date
        self.name = f"{PROJECT_MODEL}:{date}" if date else PROJECT_MODEL
        self.version = ""  # the name carries the training date
        if not 0.0 < threshold <= 1.0:
            raise ValueError("the threshold must be in (0, 1]")
        self.threshold = threshold
        self.batch_size = batch_size

    @classmethod
    def from_project(
        cls, project: Any, *, threshold: float | None = None, **options: Any
    ) -> ProjectModelSuggester:
        """The recorded model (unavailable when none); threshold from the project setting."""
        record = recorded_model(project) or {}
        if threshold is None:
            threshold = float(project.get_setting(THRESHOLD_SETTING, DEFAULT_THRESHOLD))
        return cls(record.get("path"), date=record.get("date", ""), threshold=threshold, **options)

    def available(self) -> bool:
        """Whether a trained model is recorded and still on disk."""
        return self.path is not None and (self.path / "config.cfg").is_file()

    def unavailable_reason(self) -> str:
        """What is missing and how to get it."""
        if self.path is None:
            return "no project model yet: train a model first (annotator train, or Train)"
        if not self.available():
            return (
                f"the project model at {self.path} is missing; train a model first "
                "(annotator train)"
            )
        return ""

    def suggest(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> list[list[NewSuggestion]]:
        """Spancat spans scoring at least the threshold, with their scores."""
        from annotator.core.errors import AnnotatorError
        from annotator.nlp.loading import load_pipeline

        if self.path is None:
            raise AnnotatorError(self.unavailable_reason())
        nlp = load_pipeline(
            str(self.path),
            exclude=(*NOT_FOR_SPANS, "ner"),
            config={"components": {"spancat": {"threshold": self.threshold}}},
        )
        size = batch_texts(_longest_candidate(nlp), self.batch_size)
        results: list[list[NewSuggestion]] = []
        for batch in batches_with_progress(texts, progress, self.batch_size):
            for doc in nlp.pipe(batch, batch_size=size):
                group = doc.spans.get(SPANS_KEY, [])
                scores = group.attrs.get("scores") if len(group) else None
                items = {}
                for i, span in enumerate(group):
                    score = float(scores[i]) if scores is not None else 1.0
                    key = (span.start_char, span.end_char, span.label_)
                    items[key] = max(score, items.get(key, 0.0))
                results.append(
                    [NewSuggestion(s, e, label, sc) for (s, e, label), sc in sorted(items.items())]
                )
        return results


def _longest_candidate(nlp: Any) -> int:
    """The longest candidate span (tokens) the model's spancat suggester proposes."""
    suggester = nlp.config["components"].get("spancat", {}).get("suggester", {})
    return int(suggester.get("max_size") or max(suggester.get("sizes") or [1]))
