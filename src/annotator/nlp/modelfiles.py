"""Where trained models are saved, and the files beside them (metrics.json, clean config)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.core.paths import data_dir

METRICS_FILE = "metrics.json"


def project_key(project: Any) -> str:
    """A short stable folder name for a project: a hash of its location."""
    where = str(project.path) if getattr(project, "path", None) else str(project.location)
    return hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]


def models_dir(project: Any) -> Path:
    """Where this project's trained models live: data_dir()/models/<project key>/."""
    return data_dir() / "models" / project_key(project)


def new_model_folder(project: Any, date: datetime) -> Path:
    """models_dir/<UTC timestamp>/ (not created), with a suffix if that second is taken."""
    root = models_dir(project)
    stamp = date.strftime("%Y%m%dT%H%M%SZ")
    folder, n = root / stamp, 1
    while folder.exists():
        n += 1
        folder = root / f"{stamp}-{n}"
    return folder


def strip_training_hooks(model: Path) -> None:
    """Remove our progress callback from a saved config, so any process can load the model."""
    from thinc.api import Config

    config = Config().from_disk(model / "config.cfg", interpolate=False)
    config["training"]["before_update"] = None
    config.to_disk(model / "config.cfg")


def write_metrics(folder: Path, metrics: dict[str, Any]) -> Path:
    """Write metrics.json beside the model."""
    path = folder / METRICS_FILE
    path.write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def read_metrics(folder: Path) -> dict[str, Any]:
    """The metrics.json of a model folder."""
    return json.loads((folder / METRICS_FILE).read_text(encoding="utf-8"))
