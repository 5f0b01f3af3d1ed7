"""A project's suggestion calibration: its minimum precision setting, the decisions taken and
the project model's held-out evaluation, put together for core.calibration.

No spaCy: the suggestion runner filters what it stores with `project_calibration`, and the
quality reports (annotator stats, the Suggestion Quality dialog) read the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from annotator.core.calibration import Calibration, score_bin, shape_in
from annotator.core.model import SuggestionStatus
from annotator.nlp.projectmodel import recorded_model
from annotator.nlp.suggesters import PROJECT_MODEL, kind_of

MIN_PRECISION_SETTING = "suggestion_min_precision"
"""Project setting: a suggestion is shown unless its precision is reliably below this."""
DEFAULT_MIN_PRECISION = 0.6


def min_precision(project: Any) -> float:
    """The project's minimum precision (the default for a missing or damaged setting)."""
    value = project.get_setting(MIN_PRECISION_SETTING, DEFAULT_MIN_PRECISION)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        return DEFAULT_MIN_PRECISION
    return float(value)


def save_min_precision(project: Any, value: float) -> None:
    """Store the minimum precision (the default as no setting); ValueError outside [0, 1]."""
    if not 0 <= value <= 1:
        raise ValueError(f"the minimum precision must be between 0 and 1, not {value}")
    project.set_setting(MIN_PRECISION_SETTING, None if value == DEFAULT_MIN_PRECISION else value)


def held_out_counts(project: Any) -> dict[tuple[str, str], tuple[int, int]]:
    """(true, false positives) per label of the project model's held-out evaluation, keyed by
    (suggester kind, label)."""
    labels = (recorded_model(project) or {}).get("metrics", {}).get("labels", {})
    return {
        (PROJECT_MODEL, label): (int(score.get("tp", 0)), int(score.get("fp", 0)))
        for label, score in labels.items()
    }


def held_out_precision(project: Any) -> dict[tuple[str, str | None], float]:
    """The project model's held-out precision per label, by the name its suggestions carry
    (`project-model:DATE`), when one was trained."""
    record = recorded_model(project) or {}
    name = f"{PROJECT_MODEL}:{record['date']}" if record.get("date") else PROJECT_MODEL
    labels = record.get("metrics", {}).get("labels", {})
    return {(name, label): score["precision"] for label, score in labels.items()}


def project_calibration(project: Any) -> Calibration:
    """The calibration of the project's suggestions now: every annotator's decisions per
    (suggester kind, label, score bin, extent shape), the held-out counts and the minimum
    precision."""
    decisions: defaultdict[tuple[str, str, int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for model, label, score, status, text, start, end in project.decided_suggestions():
        place = decisions[(kind_of(model), label, score_bin(score), shape_in(text, start, end))]
        place[0 if status == SuggestionStatus.ACCEPTED.value else 1] += 1
    return Calibration(
        {place: (a, r) for place, (a, r) in decisions.items()},
        held_out_counts(project),
        min_precision(project),
    )
