"""The options of a training run, defined once (core.options): `annotator train`, the Train
Project Model dialog and nlp.training.train_project_model all take their defaults from
TrainOptions. Imports no spaCy."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.layer_names import DEFAULT_LAYER, MAJORITY_MEANS
from annotator.core.options import option
from annotator.nlp.trainconfig import DEFAULT_MAX_STEPS, MIN_STEPS


@dataclass(frozen=True, slots=True)
class TrainOptions:
    """How the project model is trained."""

    layer: str | None = option(
        None,
        f"the layer to learn from: gold, ANNOTATOR, all or majority (default: {DEFAULT_LAYER}; "
        f"with several annotators and no gold, choose one; {MAJORITY_MEANS})",
        metavar="LAYER",
    )
    holdout: float = option(0.2, "share of documents held out for scoring", metavar="FRACTION")
    ner: bool = option(False, "also train an NER (no overlaps)")
    max_steps: int = option(DEFAULT_MAX_STEPS, f"training steps, at least {MIN_STEPS}", metavar="N")
    seed: int = option(0, "seed of the split and training", metavar="N")


DEFAULTS = TrainOptions()
"""Every option at its default."""
