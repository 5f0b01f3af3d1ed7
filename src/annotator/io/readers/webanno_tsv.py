"""WebAnno TSV 3.x import (`#FORMAT=WebAnno TSV 3.x`, INCEpTION's and WebAnno's format).

One file is one document. Its text is rebuilt as INCEpTION does: each sentence's `#Text=` lines
(joined by line feeds, with a line feed after each sentence but the document's last) placed at
its first token's offset, gaps filled with spaces. Offsets are UTF-16 units (Java's) and become
code points. Layers are read by the policy of span_layers: span columns of NamedEntity and
custom span layers become spans (a `[N]` suffix joins the rows of one multi-token annotation,
`|` separates stacked ones, backslash escapes are undone); the rest is counted in the notes.
Relation layers (`#T_RL=LAYER|features|BT_BASE`) are read between the spans read: a relation
stands on its dependent's (tail's) first row, its BT cell addresses the governor (head) by
token (`1-3`, `1-3.1`), with `[GOVERNOR_DEPENDENT]` ids where a span needs naming (`0`: the one
span at the address); its type is the layer's `value` feature, else its first feature, else the
layer's short name. One whose base layer is not read (tokens, POS) is noted. Slot features and
chains are not read. The token rows (not sub-token ones) and sentences are kept as the
document's tokenisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.labelrules import name_problem, normal_name
from annotator.core.model import ImportedDocument, ImportedRelation, Tokenisation
from annotator.io.base import (
    ReadResult,
    merge_duplicate_spans,
    relations_after_merge,
    title_from_text,
)
from annotator.io.readers.file_tokens import file_tokenisation
from annotator.io.readers.span_layers import (
    CHAIN,
    NAMED_ENTITY,
    NOT_SPANS,
    LayerSpans,
    label_feature,
    short_name,
)

FORMAT_PREFIX = b"#FORMAT=WebAnno TSV 3"
_FORMAT = re.compile(r"#FORMAT=WebAnno TSV 3\.(\d+)\s*$")
_LAYER = re.compile(r"#T_(SP|CH|RL)=(.+)$")
_UNIT = re.compile(r"(\d+)-(\d+)(?:\.(\d+))?$")
_OFFSETS = re.compile(r"(\d+)-(\d+)$")
_GOVERNOR = re.compile(r"(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?$")
_STACK = re.compile(r"(?<!\\)\|")
_VALUE_ESCAPE = re.compile(r"\\(->|[\\\[\]|_;tn*])")
_TEXT_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)
_TEXT_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
_TEXT_ESCAPES.update({chr(c): chr(c) for c in range(32) if not 8 <= c <= 13})
_SPAN, _CHAIN, _RELATION = "SP", "CH", "RL"


def is_webanno_tsv(data: bytes) -> bool:
    """Whether the bytes start with WebAnno TSV 3's format line, or look like the older TSV
    versions (which the reader refuses by name)."""
    head = data.removeprefix(b"\xef\xbb\xbf")
    return head.startswith(FORMAT_PREFIX) or _is_old_webanno_tsv(head)


def _is_old_webanno_tsv(head: bytes) -> bool:
    """WebAnno TSV 2 (` # layer | feature # ...`) or 1 (`#id=1` then `#text=...`)."""
    first, _, rest = head.partition(b"\n")
    return (first.startswith(b" # ") and b" | " in first) or (
        first.startswith(b"#id=") and rest.startswith(b"#text=")
    )


@dataclass
class _Layer:
    """A layer declared in the header: its kind, name, and first column (0-based, after the
    three of the unit); `label` is the column of its label (None: not read, for `reason`)."""

    kind: str
    name: str
    first: int
    width: int
    label: int | None = None
    feature: str = ""
    reason: str = ""
    base: str = ""  # a relation layer's: the layer its ends are annotations of
    governor: int = 0  # a relation layer's: the column of the governor's address


@dataclass
class _Annotation:
    begin: int
    end: int
    label: str | None


@dataclass
class _Link:
    """A relation as its row gives it: its layer's label (None: unset), and its governor's and
    dependent's keys among the base layer's annotations (as `_Document.annotations` keys them)."""

    layer: str
    label: str | None
    governor: tuple[str, object]
    dependent: tuple[str, object]


@dataclass
class _Document:
    """What the body gave: the text, the spans by layer and key, the counts of the rest, and
    the tokens and sentence begins (UTF-16 offsets, like the rest)."""

    text: list[str] = field(default_factory=list)
    length: int = 0  # in UTF-16 units
    annotations: dict[tuple[str, object], _Annotation] = field(default_factory=dict)
    links: list[_Link] = field(default_factory=list)
    skipped: dict[str, set[object]] = field(default_factory=dict)
    tokens: list[tuple[int, int]] = field(default_factory=list)
    sentence_begins: list[int] = field(default_factory=list)


def read_webanno_tsv(path: Path, data: bytes) -> ReadResult:
    """One verbatim document with the spans of its NamedEntity and custom span layers, and
    notes on the layers skipped, or InputError naming the line and the reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, f"WebAnno TSV must be UTF-8: {exc.reason}") from None
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    match = _FORMAT.match(lines[0])
    if not match and _is_old_webanno_tsv(data.removeprefix(b"\xef\xbb\xbf")):
        reason = "WebAnno TSV 1 or 2 is not read; export the document as WebAnno TSV 3"
        raise InputError(str(path), 1, reason)
    if not match:
        raise InputError(str(path), 1, "not WebAnno TSV 3: the first line is not #FORMAT=...")
    minor = int(match[1])
    layers, body = _header(path, lines)
    document = _body(path, lines, body, layers, minor)
    full_text = "".join(document.text).removesuffix("\n")  # the one after the last sentence
    if not full_text.strip():
        raise InputError(str(path), None, "the file holds no text (#Text= lines)")
    to_code_points = _code_points(full_text)
    collected = LayerSpans()
    by_name = {layer.name: layer for layer in layers}
    index_of: dict[tuple[str, object], int] = {}
    for (name, key), annotation in document.annotations.items():
        layer = by_name[name]
        start, end = to_code_points(annotation.begin), to_code_points(annotation.end)
        if start is None or end is None:
            where = f"{name} annotation at units {annotation.begin}-{annotation.end}"
            raise InputError(str(path), None, f"{where} falls inside a character")
        before = len(collected.spans)
        collected.add(name, layer.feature, start, end, annotation.label)
        if len(collected.spans) > before:
            index_of[(name, key)] = before
    for name, keys in document.skipped.items():
        collected.skip(name, by_name[name].reason, len(keys))
    relations = _relations(document.links, index_of, collected)
    spans, merged = merge_duplicate_spans(collected.spans)
    tsv_document = ImportedDocument(
        text=full_text,
        title=title_from_text(full_text, path.stem),
        source=str(path),
        spans=spans,
        verbatim=True,
        tokens=_tokenisation(document, to_code_points),
        relations=relations_after_merge(collected.spans, spans, relations),
    )
    return ReadResult([tsv_document], skipped=collected.notes() + merged)


def _relations(
    links: list[_Link], index_of: dict[tuple[str, object], int], collected: LayerSpans
) -> list[ImportedRelation]:
    """The relations whose two ends are spans read (by index into the spans collected), once
    each; the others are noted, as are types that cannot be a name here."""
    found: dict[tuple[str, int, int], None] = {}
    for link in links:
        head, tail = index_of.get(link.governor), index_of.get(link.dependent)
        if head is None or tail is None:
            collected.skip(link.layer, NOT_SPANS)
            continue
        label = link.label if link.label and link.label.strip() else short_name(link.layer)
        if problem := name_problem(normal_name(label)):
            collected.skip(link.layer, problem)
            continue
        found[(label, head, tail)] = None
    return [ImportedRelation(*relation) for relation in found]


def _tokenisation(
    document: _Document, to_code_points: Callable[[int], int | None]
) -> Tokenisation | None:
    """The token rows and sentences in code points (None if one falls inside a character)."""
    offsets = [offset for token in document.tokens for offset in token]
    points = [to_code_points(offset) for offset in offsets + document.sentence_begins]
    if None in points:
        return None
    known = [point for point in points if point is not None]  # all of them
    tokens = list(zip(known[: len(offsets) : 2], known[1 : len(offsets) : 2], strict=True))
    return file_tokenisation(tokens, known[len(offsets) :])


def _header(path: Path, lines: list[str]) -> tuple[list[_Layer], int]:
    """The layers the header declares, and the index of the first body line."""
    layers: list[_Layer] = []
    column = 0
    number = 1
    while number < len(lines) and lines[number].strip():
        match = _LAYER.match(lines[number])
        if not match:
            raise InputError(str(path), number + 1, "expected a layer declaration (#T_SP=...)")
        name, *features = match[2].split("|")
        layer = _Layer(match[1], name, column, max(1, len(features)))
        _choose_label(layer, features)
        layers.append(layer)
        column += layer.width
        number += 1
    return layers, number


def _choose_label(layer: _Layer, features: list[str]) -> None:
    """Set the layer's label column, or the reason it is not read."""
    if layer.kind == _RELATION:
        _choose_relation_columns(layer, features)
        return
    if layer.kind == _CHAIN:
        layer.reason = CHAIN
        return
    plain: list[str] = []
    skip_next = False
    for feature in features:
        if skip_next:  # the target type column of a slot feature
            skip_next = False
        elif feature.startswith("ROLE_"):
            skip_next = True
        elif feature:  # `#T_SP=layer|` declares a layer without features
            plain.append(feature)
    chosen, layer.reason = label_feature(layer.name, layer.name == NAMED_ENTITY, plain)
    if chosen is not None:
        layer.feature = chosen
        layer.label = layer.first + features.index(chosen)


def _choose_relation_columns(layer: _Layer, features: list[str]) -> None:
    """A relation layer's base layer and governor column (its last, `BT_BASE`), and its label
    column: `value`, else its first feature (none: the relations take the layer's name)."""
    *own, last = features or [""]
    layer.base = last.removeprefix("BT_")
    layer.governor = layer.first + len(own)
    named = [feature for feature in own if feature]
    chosen = "value" if "value" in named else next(iter(named), None)
    if chosen is not None:
        layer.feature = chosen
        layer.label = layer.first + own.index(chosen)


def _body(path: Path, lines: list[str], start: int, layers: list[_Layer], minor: int) -> _Document:
    """Read the sentences and token rows from line index `start` on."""
    document = _Document()
    sentence: list[str] = []
    in_header = False
    width = sum(layer.width for layer in layers)
    for index in range(start, len(lines)):
        line, number = lines[index], index + 1
        if line.startswith("#Text="):
            if not in_header:
                sentence, in_header = [], True
            sentence.append(_unescape_text(line[len("#Text=") :], minor))
        elif line.startswith("#"):
            continue  # #Sentence.id= and comments
        elif line.strip():
            fields = line.split("\t")
            unit, begin, end = _unit(path, number, fields, width)
            if in_header:
                _place_sentence(path, number, document, sentence, begin)
                document.sentence_begins.append(begin)
                in_header = False
            if end > document.length:
                reason = f"token offsets {begin}-{end} lie beyond the text of the #Text= lines"
                raise InputError(str(path), number, reason)
            if "." not in unit:  # a token, not a sub-token
                document.tokens.append((begin, end))
            for layer in layers:
                if layer.kind == _RELATION:
                    _links(path, number, document, layer, unit, fields)
                    continue
                for offset in range(layer.width):
                    cell = fields[3 + layer.first + offset]
                    if cell != "_" and (layer.label is None or layer.label == layer.first + offset):
                        _cell(document, layer, unit, begin, end, cell)
    return document


def _unit(path: Path, number: int, fields: list[str], width: int) -> tuple[str, int, int]:
    """A token or sub-token row's id and offsets, or InputError."""
    if len(fields) < 3 + width:
        reason = f"a token row needs {3 + width} tab-separated columns, this one has {len(fields)}"
        raise InputError(str(path), number, reason)
    unit, offsets = _UNIT.match(fields[0]), _OFFSETS.match(fields[1])
    if not unit or not offsets:
        raise InputError(str(path), number, "a token row starts with SENTENCE-TOKEN and BEGIN-END")
    begin, end = int(offsets[1]), int(offsets[2])
    if begin > end:
        raise InputError(str(path), number, f"token offsets {begin}-{end} end before they start")
    return fields[0], begin, end


def _place_sentence(
    path: Path, number: int, document: _Document, sentence: list[str], begin: int
) -> None:
    """Append a sentence's text at its first token's offset (INCEpTION's rule: a line feed
    too many is dropped, a gap is filled with spaces)."""
    if document.length == begin + 1 and document.text and document.text[-1].endswith("\n"):
        document.text[-1] = document.text[-1][:-1]
        document.length -= 1
    if document.length > begin:
        reason = f"the sentence starts at {begin}, inside the text before it"
        raise InputError(str(path), number, reason)
    text = " " * (begin - document.length) + "".join(part + "\n" for part in sentence)
    document.text.append(text)
    document.length += len(text.encode("utf-16-le")) // 2


def _cell(document: _Document, layer: _Layer, unit: str, begin: int, end: int, cell: str) -> None:
    """Record the annotations a cell holds (stacked with `|`)."""
    for stack, raw in enumerate(_STACK.split(cell)):
        value, ident = raw, None
        if layer.kind == _SPAN and raw.endswith("]") and not raw.endswith("\\]"):
            value, _, rest = raw.rpartition("[")
            ident = rest[:-1]
        key: object = ident if ident else (unit, stack)
        if layer.label is None:
            document.skipped.setdefault(layer.name, set()).add(key)
            continue
        known = document.annotations.get((layer.name, key))
        if known is not None:
            known.begin, known.end = min(known.begin, begin), max(known.end, end)
            continue
        label = None if value == "*" else _VALUE_ESCAPE.sub(_value_escape, value)
        document.annotations[(layer.name, key)] = _Annotation(begin, end, label)


def _links(
    path: Path, number: int, document: _Document, layer: _Layer, unit: str, fields: list[str]
) -> None:
    """Record the relations a row holds for a relation layer (stacked with `|`, the label and
    governor cells alike): the row is the dependent's."""
    cell = fields[3 + layer.governor]
    if cell == "_":
        return
    labels = _STACK.split(fields[3 + layer.label]) if layer.label is not None else []
    for stack, address in enumerate(_STACK.split(cell)):
        match = _GOVERNOR.match(address)
        if not match:
            reason = f"{layer.name}: {address!r} is no governor address (SENTENCE-TOKEN[ID_ID])"
            raise InputError(str(path), number, reason)
        governor, governor_id, dependent_id = match[1], match[2], match[3]
        value = labels[stack] if stack < len(labels) else "*"
        label = None if value in ("*", "_") else _VALUE_ESCAPE.sub(_value_escape, value)
        document.links.append(
            _Link(
                layer.name,
                label,
                (layer.base, _named(governor_id) or (governor, 0)),
                (layer.base, _named(dependent_id) or (unit, 0)),
            )
        )


def _named(ident: str | None) -> str | None:
    """A disambiguation id as the span keys hold it (`0` or none: the span is not named)."""
    return ident if ident and ident != "0" else None


def _value_escape(match: re.Match[str]) -> str:
    escaped = match[1]
    return {"t": "\t", "n": "\n"}.get(escaped, escaped)


def _unescape_text(text: str, minor: int) -> str:
    """Undo the escapes of a `#Text=` line (3.2 on: control characters, tab, line ends and the
    backslash; up to 3.1: Java's escapes, \\uXXXX included)."""

    def replace(match: re.Match[str]) -> str:
        escaped = match[1]
        if escaped.startswith("u") and len(escaped) == 5:
            return chr(int(escaped[1:], 16)) if minor <= 1 else match[0]
        return _TEXT_ESCAPES.get(escaped, match[0])

    return _TEXT_ESCAPE.sub(replace, text)


def _code_points(text: str) -> Callable[[int], int | None]:
    """A function from a UTF-16 offset into `text` to its code-point offset (None when the
    offset falls inside a surrogate pair or outside the text)."""
    table: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        table[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    table[units] = len(text)
    return table.get
