"""brat standoff export: a folder with `<name>.txt` + `<name>.ann` per document and annotation.conf.

The .txt holds the stored text byte for byte (UTF-8, CRLF kept), because brat counts offsets in
Python characters of the file as read. A T line is `T1<TAB>LABEL START END<TAB>TEXT`; a span over
a line break is written as fragments `START END;START END` split at the break (brat reads .ann
files line by line, so no fragment may hold a character str.splitlines() breaks at), and TEXT
is the fragments' texts joined by a space, as brat checks it. Span notes become AnnotatorNotes.
Relations follow the T lines as `R1<TAB>TYPE Arg1:T<head> Arg2:T<tail>`; when the export holds
relations, annotation.conf declares every relation type under [relations] with the labels it
allows (brat types; `<ENTITY>` for any) and `<REL-TYPE>:symmetric` for a symmetric one, types
renamed for brat as labels are (`# brat relation R is the relation type 'Ř'`).
File names are `<document id>-<title slug>`: ASCII letters, digits, - and _, at most 60
characters of title, so they are unique, portable and never a reserved Windows name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.model import RelationType, Span
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.relations import RELATION_OF_DROPPED, left_out

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
"""The characters brat's line reader (str.splitlines) ends a line at."""
NAME_LENGTH = 60
ONLY_LINE_BREAKS = "only line breaks (a brat fragment cannot hold one)"
EDGE_BREAKS = "line breaks at the start or end left out (a brat fragment cannot hold one)"
_SLUG_GAP = re.compile(r"[^A-Za-z0-9]+")
_TYPE_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_SAFE_TYPE = re.compile(r"[A-Za-z0-9_-]+")
FALLBACK_TYPE = "LABEL"
"""The brat type of a label with no ASCII letter or digit (then numbered: LABEL_2, ...)."""
_NOTE_BREAKS = re.compile(r"\s+")
ANY_ENTITY = "<ENTITY>"
"""brat's configuration's name for any entity type (a relation type that allows any label)."""


def safe_name(document_id: int, title: str) -> str:
    """A file stem unique per document and valid on Windows, macOS and Linux.

    It starts with the document id, so it is never hidden (a leading dot) nor a reserved Windows
    device name (CON, NUL, COM1...), and differs from every other even where case is ignored.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _SLUG_GAP.sub("-", ascii_title).strip("-")[:NAME_LENGTH].rstrip("-")
    return f"{document_id}-{slug}" if slug else str(document_id)


def brat_types(labels: Iterable[str]) -> dict[str, str]:
    """Each label's brat type: ASCII letters, digits, _ and - only, different for every label.

    brat's configuration mangles other characters (`Ünïcode` -> `_n_code`, `日本語` -> `___`).
    Labels already safe keep their names; the others are transliterated (accents dropped), other
    characters become _, a name with no letter or digit left is `LABEL`, and a name already
    taken gets the first free suffix `_2`, `_3`...
    """
    labels = list(labels)
    taken = {label for label in labels if _SAFE_TYPE.fullmatch(label)}
    types: dict[str, str] = {}
    for label in labels:
        if label in taken:
            types[label] = label
            continue
        ascii_name = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
        base = _TYPE_UNSAFE.sub("_", ascii_name)
        if not any(c.isalnum() for c in base):
            base = FALLBACK_TYPE
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        types[label] = name
    return types


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks into non-empty pieces, in order."""
    pieces, piece_start = [], start
    for n in range(start, end):
        if text[n] in LINE_BREAKS:
            if piece_start < n:
                pieces.append((piece_start, n))
            piece_start = n + 1
    if piece_start < end:
        pieces.append((piece_start, end))
    return pieces


def annotation_conf(
    types: dict[str, str],
    relation_types: Sequence[RelationType] = (),
    relation_names: dict[str, str] | None = None,
) -> str:
    """annotation.conf declaring the entity types (label -> type) and the relation types (name
    -> brat type, in `relation_names`) with the labels each allows at Arg1 (head) and Arg2
    (tail) (`<ENTITY>`: any) and `<REL-TYPE>:symmetric` for symmetric ones; no events or
    attributes. Every type that is not its label's (or relation type's) name is followed by a
    comment naming it."""
    entities = "".join(f"{kind}\n" for kind in types.values())
    renamed = "".join(
        f"# brat type {kind} is the label {label!r}\n"
        for label, kind in types.items()
        if kind != label
    )
    names = relation_names or {}
    relations = "".join(_relation_line(kind, names[kind.name], types) for kind in relation_types)
    relations += "".join(
        f"# brat relation {brat} is the relation type {name!r}\n"
        for name, brat in names.items()
        if brat != name
    )
    return f"[entities]\n{entities}{renamed}\n[relations]\n{relations}\n[events]\n\n[attributes]\n"


def _relation_line(kind: RelationType, name: str, types: dict[str, str]) -> str:
    """`NAME<TAB>Arg1:A|B, Arg2:C[, <REL-TYPE>:symmetric]` as brat's configuration reads it."""

    def allowed(labels: tuple[str, ...]) -> str:
        written = [types[label] for label in labels if label in types]
        return "|".join(written) or ANY_ENTITY

    head, tail = allowed(kind.head_labels), allowed(kind.tail_labels)
    symmetric = "" if kind.directed else ", <REL-TYPE>:symmetric"
    return f"{name}\tArg1:{head}, Arg2:{tail}{symmetric}\n"


class BratWriter:
    """A brat collection folder, ready to drop into brat's data directory."""

    name = "brat"
    suffix = ""

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        types = brat_types(labels)
        relation_types = report.relation_types
        relation_names = brat_types(kind.name for kind in relation_types)
        target.mkdir(parents=True, exist_ok=True)
        (target / "annotation.conf").write_text(
            annotation_conf(types, relation_types, relation_names), encoding="utf-8", newline="\n"
        )
        for item in items:
            stem = safe_name(item.document.id, item.document.title)
            with (target / f"{stem}.txt").open("w", encoding="utf-8", newline="") as stream:
                stream.write(item.document.text)
            with (target / f"{stem}.ann").open("w", encoding="utf-8", newline="\n") as stream:
                stream.writelines(_ann_lines(item, types, relation_names, report))


def _ann_lines(
    item: ExportItem, types: dict[str, str], relation_names: dict[str, str], report: ExportReport
) -> Iterable[str]:
    text = item.document.text
    number = 0
    written: dict[int, int] = {}
    for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label, s.annotator)):
        pieces = fragments(text, span.start, span.end)
        if not pieces:
            report.dropped[ONLY_LINE_BREAKS] += 1
            continue
        number += 1
        written[span.id] = number
        yield _t_line(number, span, types, pieces, text, report)
        if span.note.strip():
            note = _NOTE_BREAKS.sub(" ", span.note).strip()
            yield f"#{number}\tAnnotatorNotes T{number}\t{note}\n"
    kept = [r for r in item.relations if r.head in written and r.tail in written]
    dropped = (r for r in item.relations if r.head not in written or r.tail not in written)
    left_out(report, dropped, RELATION_OF_DROPPED)
    ordered = sorted(kept, key=lambda r: (written[r.head], written[r.tail], r.type))
    for n, relation in enumerate(ordered, start=1):
        kind = relation_names.get(relation.type, relation.type)
        head, tail = written[relation.head], written[relation.tail]
        yield f"R{n}\t{kind} Arg1:T{head} Arg2:T{tail}\n"


def _t_line(
    number: int,
    span: Span,
    types: dict[str, str],
    pieces: list[tuple[int, int]],
    text: str,
    report: ExportReport,
) -> str:
    kind = types.get(span.label, span.label)
    if kind != span.label:
        report.adjusted[f"label {span.label!r} written as brat type {kind!r}"] += 1
    if (pieces[0][0], pieces[-1][1]) != (span.start, span.end):
        report.adjusted[EDGE_BREAKS] += 1
    offsets = ";".join(f"{start} {end}" for start, end in pieces)
    quoted = " ".join(text[start:end] for start, end in pieces)
    return f"T{number}\t{kind} {offsets}\t{quoted}\n"
