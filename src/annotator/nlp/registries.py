"""Whether the registered functions a training config names resolve (a frozen-app check).

spaCy finds some of them (spacy.ConsoleLogger.v1, old architectures) through the entry points
of spacy-legacy and spacy-loggers, i.e. their installed metadata: a bundle without it trains
nothing (E893). Checking the names is instant; training is not.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def referenced_functions(config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(registry, name) of every `@registry = "name"` reference in a config, depth first."""
    for key, value in config.items():
        if key.startswith("@"):
            yield key[1:], str(value)
        elif isinstance(value, Mapping):
            yield from referenced_functions(value)


def training_functions() -> tuple[list[str], list[str]]:
    """(resolved, missing) "registry:name" of what the project-model config (with NER) uses."""
    from spacy.util import registry

    from annotator.nlp.train_options import DEFAULTS
    from annotator.nlp.trainconfig import training_config

    tmp = Path(tempfile.gettempdir())  # the paths are only named, never read
    config = training_config(
        tmp / "train.spacy",
        tmp / "dev.spacy",
        max_span_tokens=8,
        ner=True,
        max_steps=DEFAULTS.max_steps,
        seed=DEFAULTS.seed,
    )
    found: list[str] = []
    missing: list[str] = []
    for kind, name in sorted(set(referenced_functions(config))):
        (found if registry.has(kind, name) else missing).append(f"{kind}:{name}")
    return found, missing
