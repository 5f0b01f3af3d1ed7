"""When the project model is trained again in the background, and on what: the project's
"learn continuously" settings, the documents marked done since the last model, the options.

No spaCy and no Qt: the window (ui/background_training.py) asks here after each document
marked done and runs nlp.training in a worker when a run is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annotator.core.layers import default_layer
from annotator.nlp.projectmodel import recorded_model
from annotator.nlp.train_options import TrainOptions

AUTO_TRAIN_SETTING = "auto_train"
"""Project setting: False turns background training off (missing: on)."""
AUTO_TRAIN_AFTER_SETTING = "auto_train_after"
"""Project setting: how many documents marked done since the last model start a run."""
DEFAULT_AUTO_TRAIN_AFTER = 10
AUTO_TRAIN_AFTER_RANGE = (1, 1000)


@dataclass(frozen=True, slots=True)
class RetrainPolicy:
    """Whether the project model retrains in the background, and after how many documents."""

    enabled: bool = True
    after: int = DEFAULT_AUTO_TRAIN_AFTER


def retrain_policy(project: Any) -> RetrainPolicy:
    """The project's policy (defaults for missing or damaged settings)."""
    enabled = project.get_setting(AUTO_TRAIN_SETTING, True) is not False
    after = project.get_setting(AUTO_TRAIN_AFTER_SETTING, DEFAULT_AUTO_TRAIN_AFTER)
    low, high = AUTO_TRAIN_AFTER_RANGE
    if not isinstance(after, int) or isinstance(after, bool) or not low <= after <= high:
        after = DEFAULT_AUTO_TRAIN_AFTER
    return RetrainPolicy(enabled, after)


def save_retrain_policy(project: Any, policy: RetrainPolicy) -> None:
    """Store the policy in one transaction (defaults are stored as no setting at all)."""
    after = None if policy.after == DEFAULT_AUTO_TRAIN_AFTER else policy.after
    with project.transaction():
        project.set_setting(AUTO_TRAIN_SETTING, None if policy.enabled else False)
        project.set_setting(AUTO_TRAIN_AFTER_SETTING, after)


def model_date(project: Any) -> datetime | None:
    """When the project model was trained (naive UTC, as statuses are stored), None if never."""
    record = recorded_model(project)
    if not record or not isinstance(record.get("date"), str):
        return None
    try:
        when = datetime.fromisoformat(record["date"].replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def done_since_model(project: Any, tried: datetime | None = None) -> int:
    """Documents marked done since the project model was trained (or since `tried`, a run
    that failed later than that, so a failure waits for as many new documents)."""
    since = model_date(project)
    if tried is not None and (since is None or tried > since):
        since = tried
    return project.done_since(since)


def training_due(project: Any, tried: datetime | None = None) -> bool:
    """Whether the policy asks for a background run now."""
    policy = retrain_policy(project)
    return policy.enabled and done_since_model(project, tried) >= policy.after


def background_options(project: Any, annotator: str) -> TrainOptions:
    """The options of a background run: the layer of the current model, else the default
    layer, else `annotator`'s own; every other option at its default (the CLI's run)."""
    record = recorded_model(project) or {}
    metrics = record.get("metrics") if isinstance(record, dict) else None
    layer = metrics.get("layer") if isinstance(metrics, dict) else None
    if not isinstance(layer, str):
        layer = default_layer(project.annotators()) or annotator
    return TrainOptions(layer=layer)
