"""The spaCy-backed formats, registered with annotator.io's registries by `register_formats`.

io defines the format interface and never imports nlp; the entry points (the command line, the
app) call `register_formats` before anything reads or writes files. spaCy itself loads only when
one of these formats is used.
"""

from __future__ import annotations

import functools

from annotator.io.registry import register_reader
from annotator.io.writers.conll import ConllWriter
from annotator.io.writers.hf import HfWriter
from annotator.io.writers.prodigy import ProdigyWriter
from annotator.io.writers.registry import register_writer
from annotator.nlp.formats.docbin_reader import read_spacy
from annotator.nlp.formats.docbin_writer import SpacyWriter
from annotator.nlp.formats.tokenizer import SpacyTokenizer


@functools.cache
def register_formats() -> None:
    """Register the DocBin reader and writer (spacy) and the CoNLL, Hugging Face and Prodigy
    writers with the spaCy tokenizer; once per process (later calls do nothing)."""
    register_reader("spacy", read_spacy, extensions=[".spacy"])
    tokenizer = SpacyTokenizer()
    writers = (ConllWriter(tokenizer), HfWriter(tokenizer), ProdigyWriter(tokenizer), SpacyWriter())
    for writer in writers:
        register_writer(writer)
