"""Export formats by name: io's own, plus those registered by other packages at start-up.

The formats that need a tokenizer or spaCy (conll, hf, spacy) are registered by
annotator.nlp.formats.register_formats, which the command line and the app call first; without
it they are absent, and asking for one is the usual "unknown export format" error.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from annotator.core.errors import AnnotatorError
from annotator.io.writers.base import FormatWriter
from annotator.io.writers.brat import BratWriter
from annotator.io.writers.csv import CsvWriter
from annotator.io.writers.doccano import DoccanoWriter
from annotator.io.writers.jsonl import JsonlWriter
from annotator.io.writers.labelstudio import LabelStudioWriter
from annotator.io.writers.xmi import XmiWriter

_WRITERS: dict[str, FormatWriter] = {
    writer.name: writer
    for writer in (
        JsonlWriter(),
        BratWriter(),
        CsvWriter(),
        CsvWriter(excel=True),
        XmiWriter(),
        DoccanoWriter(),
        LabelStudioWriter(),
    )
}
WRITERS: Mapping[str, FormatWriter] = MappingProxyType(_WRITERS)
"""Every export format by the name `--format` takes (a live, read-only view)."""


def register_writer(writer: FormatWriter) -> None:
    """Make `writer` the export format `writer.name`; a name is registered once (the same
    writer again is a no-op)."""
    known = _WRITERS.setdefault(writer.name, writer)
    if known is not writer:
        raise ValueError(f"export format {writer.name!r} is already registered")


def writer_for(name: str) -> FormatWriter:
    """The writer registered as `name`, or an error listing the known formats."""
    try:
        return WRITERS[name]
    except KeyError:
        known = ", ".join(WRITERS)
        raise AnnotatorError(f"unknown export format {name!r} (available: {known})") from None
