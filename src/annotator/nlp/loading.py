"""Loading spaCy pipelines lazily (spaCy is imported here, inside functions), cached per model."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from spacy.language import Language

# Components that never contribute entities or spans: skipped when loading for suggestions.
NOT_FOR_SPANS: tuple[str, ...] = (
    "parser",
    "tagger",
    "morphologizer",
    "lemmatizer",
    "trainable_lemmatizer",
    "attribute_ruler",
    "senter",
    "sentencizer",
    "textcat",
    "textcat_multilabel",
)

_cache: dict[tuple[Any, ...], Language] = {}
_lock = threading.Lock()


def looks_like_path(name_or_path: str) -> bool:
    """Whether a model reference names a folder rather than an installed package."""
    return any(ch in name_or_path for ch in "/\\") or name_or_path.startswith((".", "~"))


def pipeline_installed(name_or_path: str) -> bool:
    """Whether spacy.load could find it: an importable package, or a folder with config.cfg."""
    if not name_or_path.strip():
        return False
    if not looks_like_path(name_or_path):
        try:
            if importlib.util.find_spec(name_or_path) is not None:
                return True
        except (ImportError, ValueError):
            pass
    return (Path(name_or_path).expanduser() / "config.cfg").is_file()


def installed_pipelines() -> list[str]:
    """Names of installed spaCy pipeline packages (their `spacy_models` entry points)."""
    names = {ep.name for ep in importlib.metadata.entry_points(group="spacy_models")}
    return sorted(names)


def load_pipeline(
    name_or_path: str,
    *,
    exclude: Sequence[str] = NOT_FOR_SPANS,
    config: Mapping[str, Any] | None = None,
) -> Language:
    """spacy.load once per (model, exclude, config); AnnotatorError when it cannot be loaded."""
    key = (name_or_path, tuple(exclude), repr(sorted((config or {}).items())))
    with _lock:
        if key in _cache:
            return _cache[key]
        import spacy

        target: str | Path = name_or_path
        if looks_like_path(name_or_path) or not _is_package(name_or_path):
            target = Path(name_or_path).expanduser()
        try:
            nlp = spacy.load(target, exclude=list(exclude), config=dict(config or {}))
        except (OSError, ValueError, KeyError) as exc:
            raise AnnotatorError(f"cannot load spaCy pipeline {name_or_path!r}: {exc}") from exc
        _cache[key] = nlp
        return nlp


def forget_pipeline(name_or_path: str) -> None:
    """Drop cached copies of a model (after retraining, or to free memory)."""
    with _lock:
        for key in [k for k in _cache if k[0] == name_or_path]:
            del _cache[key]


def blank(lang: str = "en") -> Language:
    """A fresh spacy.blank pipeline (tokenizer only)."""
    import spacy

    return spacy.blank(lang)


def shared_blank(lang: str = "en") -> Language:
    """One blank pipeline per language for this process (tokenising only, never modified)."""
    key = ("blank", lang)
    with _lock:
        if key not in _cache:
            _cache[key] = blank(lang)
        return _cache[key]


def _is_package(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False
