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
from annotator.io.writers.iob import OUTSIDE, Sentence, tag_names, tagged_documents
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
        written = {tag: _written_tag(tag, names) for tag in tag_names(labels)}
        renamed = {f"B-{label}": name for label, name in names.items() if name != label}
        with target.open("w", encoding="utf-8", newline="\n") as stream:
            for tagged in tagged_documents(items, report, self.tokenizer):
                # tokens are pieces of the text: only a text holding DOCSTART_WORD may start one
                docstart = DOCSTART_WORD in tagged.item.document.text
                lines = [f"{DOCSTART}\n\n"]
                for sentence in tagged.sentences:
                    if docstart:
                        sentence = [
                            (_not_a_docstart(token, report), tag) for token, tag in sentence
                        ]
                    if renamed:
                        _count_renamed(sentence, renamed, report)
                    lines += [f"{token} -X- _ {written.get(tag, tag)}\n" for token, tag in sentence]
                    lines.append("\n")
                stream.write("".join(lines))  # one write a document


def _written_tag(tag: str, names: dict[str, str]) -> str:
    """A tag as written: its label's name in CoNLL (tag_labels)."""
    if tag == OUTSIDE:
        return tag
    return tag[:2] + names.get(tag[2:], tag[2:])


def _count_renamed(sentence: Sentence, renamed: dict[str, str], report: ExportReport) -> None:
    """Report each span of a renamed label (`renamed`: its B- tag to the name written) once."""
    for _, tag in sentence:
        if tag in renamed:
            label, name = tag[2:], renamed[tag]
            reason = f"label {label!r} written as {name!r} (CoNLL columns split at spaces)"
            report.adjusted[reason] += 1


def _not_a_docstart(token: str, report: ExportReport) -> str:
    """The token as written: one starting with DOCSTART_WORD gets U+2010 first, so no reader
    takes it for a document start."""
    if not token.startswith(DOCSTART_WORD):
        return token
    written = HYPHEN + token[1:]
    report.adjusted[f"token {token!r} written as {written!r} (it would start a document)"] += 1
    return written
