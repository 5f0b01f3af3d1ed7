"""CoNLL-2003 style export: `-DOCSTART-` per document, one `token -X- _ TAG` line per token.

Tags are IOB2 (B-LABEL, I-LABEL, O), sentences are separated by a blank line; tokenisation,
alignment and the overlap rule are shared with the Hugging Face export (writers.iob). Columns are
separated by single spaces, so whitespace inside a label name is written as "_" (reported).
A token starting with `-DOCSTART-` would start a new document in every CoNLL reader (ours,
conlleval-style scripts, `datasets`' conll2003 loader test `line.startswith("-DOCSTART-")`), so
its first hyphen is written as U+2010 HYPHEN, which looks the same and splits nothing (reported).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.iob import OUTSIDE, tagged_documents
from annotator.io.writers.tokenizer import Tokenizer

DOCSTART = "-DOCSTART- -X- -X- O"
DOCSTART_WORD = "-DOCSTART-"
HYPHEN = "\u2010"
_WHITESPACE = re.compile(r"\s+")


def tag_labels(labels: Iterable[str], format_name: str) -> dict[str, str]:
    """Each label's name in a whitespace-separated format; an error if two would collide."""
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    for label in labels:
        name = _WHITESPACE.sub("_", label)
        if name in seen:
            raise AnnotatorError(
                f"labels {seen[name]!r} and {label!r} would both be written as {name!r} in "
                f"{format_name}; rename one of them"
            )
        seen[name] = label
        names[label] = name
    return names


class ConllWriter:
    """A CoNLL-2003 file: four space-separated columns, the last one the IOB2 tag."""

    name = "conll"
    suffix = ".conll"
    wants_tokens = True
    cannot_hold_relations = "CoNLL cannot hold relations"

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer

    def recognises(self, head: bytes) -> bool:
        """A file this writer wrote: it starts with the first document's DOCSTART line."""
        return head.startswith(f"{DOCSTART}\n".encode())

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        names = tag_labels(labels, "CoNLL")
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            for tagged in tagged_documents(items, report, self.tokenizer):
                lines = [f"{DOCSTART}\n\n"]
                for sentence in tagged.sentences:
                    for token, tag in sentence:
                        if token.startswith(DOCSTART_WORD):
                            token = _not_a_docstart(token, report)
                        if tag != OUTSIDE:
                            tag = _tag(tag, names, report)
                        lines.append(f"{token} -X- _ {tag}\n")
                    lines.append("\n")
                stream.write("".join(lines))  # one write a document


def _tag(tag: str, names: dict[str, str], report: ExportReport) -> str:
    """A B- or I- tag as written; a renamed label is reported once per span (at its B- tag)."""
    prefix, label = tag[:2], tag[2:]
    name = names.get(label, label)
    if name != label and prefix == "B-":
        report.adjusted[f"label {label!r} written as {name!r} (CoNLL columns split at spaces)"] += 1
    return prefix + name


def _not_a_docstart(token: str, report: ExportReport) -> str:
    """A token starting with DOCSTART_WORD as written: U+2010 first, so no reader takes it for
    a document start."""
    written = HYPHEN + token[1:]
    report.adjusted[f"token {token!r} written as {written!r} (it would start a document)"] += 1
    return written
