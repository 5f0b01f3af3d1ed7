"""Export formats by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from annotator.core.errors import AnnotatorError
from annotator.io.writers.base import FormatWriter
from annotator.io.writers.jsonl import JsonlWriter

WRITERS: Mapping[str, FormatWriter] = MappingProxyType({"jsonl": JsonlWriter()})
"""Every export format by the name `--format` takes."""


def writer_for(name: str) -> FormatWriter:
    """The writer registered as `name`, or an error listing the known formats."""
    try:
        return WRITERS[name]
    except KeyError:
        known = ", ".join(WRITERS)
        raise AnnotatorError(f"unknown export format {name!r} (available: {known})") from None
