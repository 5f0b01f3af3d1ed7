"""UIMA CAS XMI import (INCEpTION and other UIMA tools), read with dkpro-cassis.

One `.xmi` file is one document: the sofa text verbatim, and the spans of its NamedEntity and
custom span layers and the relations of its relation layers between them (xmi_layers says
which, and notes what is skipped), and its DKPro tokens and
sentences, which token exports write back unchanged. The type system is the
`TypeSystem.xml` beside the file (INCEpTION's export layout); without one, it is inferred from
the file (xmi_types). UTF-16 offsets (UIMA's) become code points. XML 1.1 files may hold control
characters; they are read as they are.

XML with a document type declaration is refused before cassis sees it: DTDs allow entity
expansion ("billion laughs") and external entities, and XMI never needs one. XInclude is refused
too (nothing it points to is read), and comments or processing instructions outside the root
element (`<?xml-stylesheet?>`), which cassis cannot step over, are dropped unread.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument
from annotator.io.base import (
    ReadResult,
    merge_duplicate_spans,
    read_input,
    relations_after_merge,
    title_from_text,
)
from annotator.io.readers.article_meta import normalise_meta
from annotator.io.readers.xmi_layers import spans_and_notes, tokenisation
from annotator.io.readers.xmi_types import InferredTypes
from annotator.io.writers.xmi import DOCUMENT_METADATA, METADATA_FIELD, TYPESYSTEM_FILE

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

_XML11 = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml\s+version\s*=\s*[\"']1\.1[\"']")
_CHAR_REF = re.compile(rb"&#(?:x([0-9a-fA-F]+)|([0-9]+));")
_RESTRICTED = frozenset(range(1, 32)) - {9, 10, 13}
_XINCLUDE = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")
_typesystems: dict[tuple[str, int, int], TypeSystem] = {}
_lock = threading.Lock()


def read_xmi(path: Path, data: bytes) -> ReadResult:
    """One verbatim document with the spans of its NamedEntity and custom span layers, and notes
    on what was skipped or assumed (see xmi_layers), or InputError with the reason."""
    return xmi_document(path, data, _typesystem_beside(path))


def xmi_document(path: Path, data: bytes, ts: TypeSystem | None) -> ReadResult:
    """The document of an XMI file read with the type system given (None: inferred from the
    file), with the notes on what was skipped, or InputError with the reason."""
    from cassis import load_cas_from_xmi
    from lxml import etree

    data, restore = _xml11_controls(data)
    data = _safe_xml(path, data)
    references: set[tuple[str, str]] = set()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if ts is None:  # cassis warns of features renamed (`type` -> `type_`)
                inferred = InferredTypes(etree.fromstring(data, _parser()))
                ts, references = inferred.type_system, inferred.references
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=ts)
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), exc.lineno or None, f"not well-formed XML: {exc.msg}") from None
    except Exception as exc:  # cassis raises many kinds for a CAS that does not fit the types
        raise InputError(str(path), None, f"not a UIMA CAS XMI file: {_message(exc)}") from None
    offsets = [w for w in caught if "Not mapping" in str(w.message)]
    if offsets:
        reason = f"an offset does not fall between characters: {offsets[0].message}"
        raise InputError(str(path), None, reason)
    return _document(path, cas, ts, references, restore)


def _document(
    path: Path, cas: Cas, ts: TypeSystem, references: set[tuple[str, str]], restore: dict[int, str]
) -> ReadResult:
    text = cas.sofa_string
    if not isinstance(text, str) or not text.strip():
        raise InputError(str(path), None, "the CAS has no document text (sofa string)")
    read, relations, notes = spans_and_notes(path, cas, ts, references)
    spans, merged = merge_duplicate_spans(read)
    relations = relations_after_merge(read, spans, relations)
    title, meta = "", {}
    if ts.contains_type(DOCUMENT_METADATA):
        for info in cas.select(DOCUMENT_METADATA):
            title = (info.get("documentTitle") or "").strip()
            if info.get("documentId"):
                meta["document_id"] = info.get("documentId")
            if info.get("documentUri"):
                meta["url"] = info.get("documentUri")
            break
    if ts.contains_type(METADATA_FIELD):  # DKPro's key-value metadata: date, source, ...
        for field in cas.select(METADATA_FIELD):
            if isinstance(field.get("key"), str) and isinstance(field.get("value"), str):
                meta.setdefault(field.get("key"), field.get("value"))
    for span in spans:
        span.label = span.label.translate(restore)
    document = ImportedDocument(
        text=text.translate(restore),
        title=title.translate(restore) or title_from_text(text.translate(restore), path.stem),
        source=str(path),
        meta=normalise_meta(meta),
        spans=spans,
        verbatim=True,
        tokens=tokenisation(cas, ts),
        relations=relations,
    )
    return ReadResult([document], skipped=notes + merged)


def _xml11_controls(data: bytes) -> tuple[bytes, dict[int, str]]:
    """XML 1.1 (INCEpTION's "UIMA CAS XMI (XML 1.1)") may hold control characters as character
    references, which XML 1.0 parsers refuse: each becomes a private-use character the file
    does not hold (one UTF-16 unit, like the control character, so offsets stay), and the
    returned table turns them back."""
    if not _XML11.match(data):
        return data, {}
    found = {int(m[1], 16) if m[1] else int(m[2]) for m in _CHAR_REF.finditer(data)}
    controls = sorted(c for c in found if c in _RESTRICTED)
    if not controls:
        return data, {}
    present = data.decode("utf-8", "replace")
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in present and c not in found)
    placeholder = dict(zip(controls, free, strict=False))
    if len(placeholder) < len(controls):
        return data, {}  # no room: the parser names the control character it refuses

    def replace(match: re.Match[bytes]) -> bytes:
        code = int(match[1], 16) if match[1] else int(match[2])
        return f"&#x{ord(placeholder[code]):X};".encode() if code in placeholder else match[0]

    restore = {ord(p): chr(c) for c, p in placeholder.items()}
    return _CHAR_REF.sub(replace, data), restore


def _safe_xml(path: Path, data: bytes) -> bytes:
    """The XML for cassis: InputError for a DTD or XInclude, and without the comments and
    processing instructions outside the root element (data itself when it has none)."""
    from lxml import etree

    _refuse_dtd(path, data)
    scan = _XmlScan()
    try:
        etree.fromstring(data, _parser(target=scan))
    except _XIncludeFound:
        reason = "XML with XInclude (xi:include) is refused; nothing it points to was read"
        raise InputError(str(path), None, reason) from None
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), exc.lineno or None, f"not well-formed XML: {exc.msg}") from None
    if not scan.outside_root:
        return data
    return etree.tostring(etree.fromstring(data, _parser()))


def _refuse_dtd(path: Path, data: bytes) -> None:
    """InputError when the XML declares a DOCTYPE (entities, external DTDs) before its root."""
    from lxml import etree

    parser = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
    )
    try:
        _, root = next(iter(parser))
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), exc.lineno or None, f"not well-formed XML: {exc.msg}") from None
    except StopIteration:
        raise InputError(str(path), None, "not well-formed XML: no root element") from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        raise InputError(
            str(path), None, "XML with a document type declaration (DTD, entities) is refused"
        )


def _parser(target: object = None):
    """An lxml parser that loads and expands nothing; no size limits (cassis has its own)."""
    from lxml import etree

    return etree.XMLParser(
        target=target, resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True
    )


class _XIncludeFound(Exception):
    """Raised by _XmlScan at the first XInclude element."""


class _XmlScan:
    """lxml parser target: stops at an XInclude element, notes comments and processing
    instructions outside the root element."""

    def __init__(self) -> None:
        self.depth = 0
        self.outside_root = False

    def start(self, tag: str, attrib: object, nsmap: object = None) -> None:
        if tag.startswith(_XINCLUDE):
            raise _XIncludeFound
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1

    def pi(self, target: str, data: str | None = None) -> None:
        self.outside_root = self.outside_root or not self.depth

    def comment(self, text: str) -> None:
        self.outside_root = self.outside_root or not self.depth

    def close(self) -> None:
        """Nothing to return: the findings are the attributes."""


def _typesystem_beside(path: Path) -> TypeSystem | None:
    """The TypeSystem.xml in the file's folder (any letter case), loaded once per version."""
    folder = path.parent
    candidates = [folder / TYPESYSTEM_FILE]
    if not candidates[0].exists() and folder.is_dir():
        candidates = [p for p in folder.iterdir() if p.name.lower() == TYPESYSTEM_FILE.lower()]
    found = next((p for p in candidates if p.exists()), None)
    if found is None:
        return None
    try:
        stat = found.stat()
        key = (str(found.resolve()), stat.st_mtime_ns, stat.st_size)
        with _lock:
            if key in _typesystems:
                return _typesystems[key]
        data = read_input(found)
    except OSError as exc:
        raise InputError(str(found), None, f"cannot read: {exc.strerror or exc}") from None
    ts = load_type_system(found, data)
    with _lock:
        if len(_typesystems) > 8:
            _typesystems.clear()
        _typesystems[key] = ts
    return ts


def load_type_system(path: Path, data: bytes) -> TypeSystem:
    """A UIMA type system from a TypeSystem.xml's bytes, or InputError with the reason."""
    from cassis import load_typesystem
    from lxml import etree

    data = _safe_xml(path, data)
    try:
        return load_typesystem(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), exc.lineno or None, f"not well-formed XML: {exc.msg}") from None
    except Exception as exc:
        raise InputError(str(path), None, f"not a UIMA type system: {_message(exc)}") from None


def _message(exc: Exception) -> str:
    """The first line of an exception's message (or its type), for people."""
    if isinstance(exc, KeyError):
        return f"it refers to {exc} but holds nothing of that id or name"
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
