"""brat standoff import: a `.txt` and the `.ann` beside it make one verbatim document.

Text-bound (T) lines become spans, relation (R) lines relations between them (Arg1 the head,
Arg2 the tail), and equivalence (`*`) lines one relation of their type between every two of
their spans (in order; a symmetric type); events, attributes, normalisations and notes are
ignored. A relation naming an id the file does not have is an error; one naming an event is
left out (noted). Offsets are Python characters of the .txt as stored (brat is Python). A T line's
fragments (`START END;START END`) separated only by whitespace, as brat writes a span over a line
break, become one span from the first start to the last end; fragments with text between them
become separate spans of the same label. The quoted text must match what the offsets point at.
A type our brat export renamed (writers.brat: `# brat type Unicode_2 is the label 'Ünïcode'` in
annotation.conf beside the .ann, and `# brat relation ... is the relation type ...`) comes back
under its own name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, ImportedRelation, ImportedSpan
from annotator.io.base import read_input, title_from_text

_FRAGMENT = re.compile(r"(\d+) (\d+)")
_RENAMED = re.compile(
    r"# brat (?:type|relation) ([A-Za-z0-9_-]+) is the (?:label|(relation type)) ('.*'|\".*\")"
)
_ARGUMENT = re.compile(r"([^:\s]+):(\S+)")


def read_brat(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read the document `path` names: its .ann (text from the .txt beside it) or its .txt."""
    if path.suffix.lower() == ".ann":
        ann_path, ann_data = path, data
        txt_path = path.with_suffix(".txt")
        if not txt_path.exists():
            raise InputError(str(path), None, f"no text file {txt_path.name} beside it")
        text_data = read_input(txt_path)
    else:
        txt_path, text_data = path, data
        ann_path = path.with_suffix(".ann")
        ann_data = read_input(ann_path) if ann_path.exists() else b""
    text = _decode(txt_path, text_data)
    if not text.strip():
        raise InputError(str(txt_path), None, "the text is empty")
    annotations = _annotations(ann_path, _decode(ann_path, ann_data), text)
    renamed, renamed_relations = _renamed_types(ann_path.parent / "annotation.conf")
    for span in annotations.spans:
        span.label = renamed.get(span.label, span.label)
    for relation in annotations.relations:
        relation.type = renamed_relations.get(relation.type, relation.type)
    return [
        ImportedDocument(
            text=text,
            title=title_from_text(text, txt_path.stem),
            source=str(txt_path),
            meta={"brat_document": txt_path.stem},
            spans=annotations.spans,
            verbatim=True,
            skipped=annotations.skipped,
            relations=annotations.relations,
        )
    ]


def _renamed_types(conf: Path) -> tuple[dict[str, str], dict[str, str]]:
    """brat type -> label name and brat relation -> relation type name, from the comments our
    export writes in annotation.conf."""
    labels: dict[str, str] = {}
    relations: dict[str, str] = {}
    if not conf.is_file():
        return labels, relations
    for line in read_input(conf).decode("utf-8", errors="replace").splitlines():
        if not (found := _RENAMED.fullmatch(line.strip())):
            continue
        try:
            name = ast.literal_eval(found[3])
        except (ValueError, SyntaxError):
            continue  # not a comment our export wrote
        if isinstance(name, str) and name.strip():
            (labels if found[2] is None else relations)[found[1]] = name
    return labels, relations


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 as brat reads it (a BOM stays a character, as brat counts it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), line, f"not valid UTF-8: {exc.reason}") from None


@dataclass
class _Annotations:
    """What an .ann file holds that is read: spans, the relations between them, and the kinds
    of annotation left out (one phrase each, for the report)."""

    spans: list[ImportedSpan] = field(default_factory=list)
    relations: list[ImportedRelation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _annotations(path: Path, ann: str, text: str) -> _Annotations:
    """Spans of every T line, relations of every R line and pairwise ones of every `*` line
    (an equivalence), between those spans; all bad lines are reported together."""
    found = _Annotations()
    first_span: dict[str, int] = {}
    links: list[tuple[int, str]] = []
    ids: set[str] = set()
    errors: list[InputError] = []
    lines = [line.removesuffix("\r") for line in ann.split("\n")]
    for number, line in enumerate(lines, start=1):
        ids.add(line.partition("\t")[0])
        if line.startswith("T"):
            try:
                spans = _t_line(line, text)
            except ValueError as exc:
                errors.append(InputError(str(path), number, str(exc)))
                continue
            first_span[line.partition("\t")[0]] = len(found.spans)
            found.spans.extend(spans)
        elif line.startswith(("R", "*")):
            links.append((number, line))
    for number, line in links:
        try:
            relations = _relations(line, first_span, ids, found.skipped)
        except ValueError as exc:
            errors.append(InputError(str(path), number, str(exc)))
            continue
        for relation in relations:
            relation.path, relation.line = str(path), number
        found.relations.extend(relations)
    if errors:
        raise ImportFailed(errors)
    return found


def _relations(
    line: str, spans: dict[str, int], ids: set[str], skipped: list[str]
) -> list[ImportedRelation]:
    """The relation of an `R1<TAB>TYPE Arg1:T1 Arg2:T2` line (head Arg1, tail Arg2), or those of
    an equivalence `*<TAB>TYPE T1 T2 T3` (every pair, in order); one linking an annotation
    that is not a span (an event, a relation) is left out and noted."""
    ident, _, rest = line.partition("\t")
    kind, _, arguments = rest.partition("\t")[0].partition(" ")
    if ident == "*":
        ends = arguments.split()
        shape = f"'*<TAB>TYPE T1 T2 ...', got {line!r}"
    else:
        pairs = [_ARGUMENT.fullmatch(piece) for piece in arguments.split()]
        ends = [found[2] for found in pairs if found]
        shape = f"'{ident}<TAB>TYPE Arg1:T1 Arg2:T2', got {line!r}"
        if len(pairs) != 2 or not all(pairs):
            raise ValueError(f"{ident}: expected {shape}")
    if not kind or len(ends) < 2:
        raise ValueError(f"{ident}: expected {shape}")
    if problem := labelrules.name_problem(kind):
        raise ValueError(f"{ident}: {problem}")
    for end in ends:
        if end not in ids:
            raise ValueError(f"{ident}: links {end}, which this file does not have")
    if not all(end in spans for end in ends):
        skipped.append("relation(s) linking an annotation that is not a span (an event?)")
        return []
    return [
        ImportedRelation(kind, spans[head], spans[tail], symmetric=ident == "*")
        for n, head in enumerate(ends)
        for tail in ends[n + 1 :]
    ]


def _t_line(line: str, text: str) -> list[ImportedSpan]:
    """The spans of one `ID<TAB>TYPE START END[;START END...]<TAB>TEXT` line."""
    ident, _, rest = line.partition("\t")
    body, tab, quoted = rest.partition("\t")
    label, _, offsets = body.partition(" ")
    pieces = [_FRAGMENT.fullmatch(piece) for piece in offsets.split(";")]
    if not label or not all(pieces):
        raise ValueError(f"{ident}: expected '{ident}<TAB>LABEL START END<TAB>TEXT', got {line!r}")
    if problem := labelrules.name_problem(label):
        raise ValueError(f"{ident}: {problem}")
    fragments = sorted((int(m[1]), int(m[2])) for m in pieces if m)
    for start, end in fragments:
        if start >= end:
            raise ValueError(f"{ident}: fragment {start} {end} is empty or reversed")
        if end > len(text):
            raise ValueError(
                f"{ident}: offset {end} is beyond the end of the text ({len(text)} characters)"
            )
    for (_, end), (start, _) in pairwise(fragments):
        if start < end:
            raise ValueError(f"{ident}: fragments overlap")
    found = [text[start:end] for start, end in fragments]
    if tab and quoted and quoted not in (" ".join(found), "".join(found)):
        raise ValueError(f"{ident} says {quoted!r} but the text there is {' '.join(found)!r}")
    return [ImportedSpan(start, end, label) for start, end in _joined(fragments, text)]


def _joined(fragments: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Fragments with only whitespace between them merged into one [start, end)."""
    merged = [fragments[0]]
    for start, end in fragments[1:]:
        if not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
