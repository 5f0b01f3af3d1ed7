"""Per-project label maps: a pretrained pipeline's entity labels onto the project's labels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core.errors import ConflictError
from annotator.core.labelrules import spelling_in
from annotator.nlp.termlists import span_labels

LABEL_MAP_SETTING = "label_map"

# OntoNotes labels (en_core_web_* and most English pipelines) onto ACTOR / PLATFORM.
DEFAULT_LABEL_MAP: dict[str, str] = {
    "GPE": "ACTOR",
    "NORP": "ACTOR",
    "ORG": "ACTOR",
    "PERSON": "ACTOR",
    "PRODUCT": "PLATFORM",
}


def label_map_for(project: Any) -> dict[str, str]:
    """The stored map, or the default restricted to labels the project has."""
    stored = project.get_setting(LABEL_MAP_SETTING)
    if stored is not None:
        return {str(k): str(v) for k, v in stored.items()}
    labels = set(span_labels(project))
    return {src: dst for src, dst in DEFAULT_LABEL_MAP.items() if dst in labels}


def validate_label_map(project: Any, mapping: Mapping[str, str]) -> dict[str, str]:
    """A cleaned copy of the map (project labels as the project spells them, matched without
    regard to case); ConflictError naming the first bad entry."""
    labels = span_labels(project)
    cleaned: dict[str, str] = {}
    for source, target in mapping.items():
        source, target = str(source).strip(), str(target).strip()
        if not source or any(ch.isspace() for ch in source):
            raise ConflictError(
                f"label map: {source!r} is not a pipeline label (one word, like ORG or GPE)"
            )
        ours = spelling_in(target, labels)
        if ours is None:
            known = ", ".join(labels) or "none yet"
            raise ConflictError(
                f"label map: {source} -> {target}: the project has no span label {target!r} "
                f"(labels: {known})"
            )
        cleaned[source] = ours
    return cleaned


def save_label_map(project: Any, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Validate and store the project's map (None restores the default); returns what applies."""
    if mapping is None:
        project.set_setting(LABEL_MAP_SETTING, None)
        return label_map_for(project)
    cleaned = validate_label_map(project, mapping)
    project.set_setting(LABEL_MAP_SETTING, cleaned)
    return cleaned
