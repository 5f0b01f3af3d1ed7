"""brat standoff import: a `.txt` and the `.ann` beside it make one verbatim document.

Only text-bound (T) lines become spans; relations, events, attributes, normalisations and notes
are ignored. Offsets are Python characters of the .txt as stored (brat is Python). A T line's
fragments (`START END;START END`) separated only by whitespace, as brat writes a span over a line
break, become one span from the first start to the last end; fragments with text between them
become separate spans of the same label. The quoted text must match what the offsets point at.
A type our brat export renamed (writers.brat: `# brat type Unicode_2 is the label 'Ünïcode'` in
annotation.conf beside the .ann) comes back under its label's own name.
"""

from __future__ import annotations

import ast
import re
from itertools import pairwise
from pathlib import Path

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.base import read_input, title_from_text

_FRAGMENT = re.compile(r"(\d+) (\d+)")
_RENAMED = re.compile(r"# brat type ([A-Za-z0-9_-]+) is the label ('.*'|\".*\")")


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
    spans = _spans(ann_path, _decode(ann_path, ann_data), text)
    if renamed := _renamed_types(ann_path.parent / "annotation.conf"):
        for span in spans:
            span.label = renamed.get(span.label, span.label)
    return [
        ImportedDocument(
            text=text,
            title=title_from_text(text, txt_path.stem),
            source=str(txt_path),
            meta={"brat_document": txt_path.stem},
            spans=spans,
            verbatim=True,
        )
    ]


def _renamed_types(conf: Path) -> dict[str, str]:
    """brat type -> label name, from the comments our export writes in annotation.conf."""
    if not conf.is_file():
        return {}
    names = {}
    for line in read_input(conf).decode("utf-8", errors="replace").splitlines():
        if not (found := _RENAMED.fullmatch(line.strip())):
            continue
        try:
            name = ast.literal_eval(found[2])
        except (ValueError, SyntaxError):
            continue  # not a comment our export wrote
        if isinstance(name, str) and name.strip():
            names[found[1]] = name
    return names


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 as brat reads it (a BOM stays a character, as brat counts it)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(str(path), line, f"not valid UTF-8: {exc.reason}") from None


def _spans(path: Path, ann: str, text: str) -> list[ImportedSpan]:
    """Spans of every T line; all bad lines are reported together."""
    spans: list[ImportedSpan] = []
    errors: list[InputError] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.startswith("T"):
            continue  # relations, events, attributes, notes, blank lines
        try:
            spans.extend(_t_line(line, text))
        except ValueError as exc:
            errors.append(InputError(str(path), number, str(exc)))
    if errors:
        raise ImportFailed(errors)
    return spans


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
