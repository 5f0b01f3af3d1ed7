"""Whose lexicon made a suggestion: the model names of private (one annotator's) lexicons.

A lexicon that learned from one annotator's spans (and gold's) stores its suggestions under
`lexicon:NAME`, so they are shown to that annotator only and do not leak into another's
double annotation; one that learned from everyone stores them under `lexicon`.
"""

from __future__ import annotations

from annotator.core.labelrules import normal_name

PRIVATE_LEXICON = "lexicon:"


def private_lexicon(annotator: str) -> str:
    """The model name of the lexicon that learned from `annotator`'s (and gold's) spans."""
    return PRIVATE_LEXICON + normal_name(annotator)


def is_foreign(model: str, annotator: str | None) -> bool:
    """Whether a suggestion of `model` belongs to another annotator's private lexicon."""
    return (
        annotator is not None
        and model.startswith(PRIVATE_LEXICON)
        and model != private_lexicon(annotator)
    )
