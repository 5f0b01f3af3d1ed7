"""The project's language: whose tokenizer rules the token exports (spaCy, CoNLL, Hugging Face)
apply to its documents. A project setting; documents in CJK scripts are recognised by their
characters whatever it says (annotator.nlp.segmentation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.core.project import Project

LANGUAGE_SETTING = "language"
DEFAULT_LANGUAGE = "en"
"""spaCy's English rules, the tokenisation every export used before the setting existed."""


def project_language(project: Project) -> str:
    """The project's language code (DEFAULT_LANGUAGE until one is set)."""
    value = project.get_setting(LANGUAGE_SETTING)
    return value if isinstance(value, str) and value else DEFAULT_LANGUAGE
