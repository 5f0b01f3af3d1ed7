"""Export formats by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from annotator.core.errors import AnnotatorError
from annotator.io.writers.base import FormatWriter
from annotator.io.writers.brat import BratWriter
from annotator.io.writers.conll import ConllWriter
from annotator.io.writers.csv import CsvWriter
from annotator.io.writers.hf import HfWriter
from annotator.io.writers.jsonl import JsonlWriter
from annotator.nlp.formats.docbin_writer import SpacyWriter
from annotator.io.writers.xmi import XmiWriter

WRITERS: Mapping[str, FormatWriter] = MappingProxyType(
    {
        "jsonl": JsonlWriter(),
        "brat": BratWriter(),
        "conll": ConllWriter(),
        "csv": CsvWriter(),
        "csv-excel": CsvWriter(excel=True),
        "hf": HfWriter(),
        "spacy": SpacyWriter(),
        "xmi": XmiWriter(),
    }
)
"""Every export format by the name `--format` takes."""


def writer_for(name: str) -> FormatWriter:
    """The writer registered as `name`, or an error listing the known formats."""
    try:
        return WRITERS[name]
    except KeyError:
        known = ", ".join(WRITERS)
        raise AnnotatorError(f"unknown export format {name!r} (available: {known})") from None
