"""UIMA CAS XMI import (INCEpTION and other UIMA tools), read with dkpro-cassis.

One `.xmi` file is one document: the sofa text verbatim, and a span per DKPro Core
`NamedEntity` (or subtype) labelled by its `value`. The type system is the `TypeSystem.xml`
beside the file (INCEpTION's export layout); without one, our own (NamedEntity, DocumentMetaData)
is used and unknown types are skipped. UTF-16 offsets (UIMA's) become code points.

XML with a document type declaration is refused before cassis sees it: DTDs allow entity
expansion ("billion laughs") and external entities, and XMI never needs one. XInclude is refused
too (nothing it points to is read), and comments or processing instructions outside the root
element (`<?xml-stylesheet?>`), which cassis cannot step over, are dropped unread.
"""

from __future__ import annotations

import io
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.io.base import read_input, title_from_text
from annotator.io.writers.xmi import DOCUMENT_METADATA, NAMED_ENTITY, TYPESYSTEM_FILE, type_system

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

_XINCLUDE = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")
_typesystems: dict[tuple[str, int, int], TypeSystem] = {}
_lock = threading.Lock()


def read_xmi(path: Path, data: bytes) -> list[ImportedDocument]:
    """One verbatim document with its NamedEntity spans, or InputError with the reason."""
    from cassis import load_cas_from_xmi
    from lxml import etree

    data = _safe_xml(path, data)
    given = _typesystem_beside(path)
    ts = given if given is not None else type_system()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=ts, lenient=given is None)
    except etree.XMLSyntaxError as exc:
        raise InputError(str(path), exc.lineno or None, f"not well-formed XML: {exc.msg}") from None
    except Exception as exc:  # cassis raises many kinds for a CAS that does not fit the types
        raise InputError(str(path), None, f"not a UIMA CAS XMI file: {_message(exc)}") from None
    offsets = [w for w in caught if "Not mapping" in str(w.message)]
    if offsets:
        reason = f"an offset does not fall between characters: {offsets[0].message}"
        raise InputError(str(path), None, reason)
    return [_document(path, cas, ts)]


def _document(path: Path, cas: Cas, ts: TypeSystem) -> ImportedDocument:
    text = cas.sofa_string
    if not isinstance(text, str) or not text.strip():
        raise InputError(str(path), None, "the CAS has no document text (sofa string)")
    spans = []
    if ts.contains_type(NAMED_ENTITY):
        for entity in cas.select(NAMED_ENTITY):
            start, end, label = entity.begin, entity.end, entity.get("value")
            where = f"NamedEntity at characters {start}-{end}"
            if not isinstance(label, str) or not label.strip():
                raise InputError(str(path), None, f"{where} has no value (label)")
            if not 0 <= start < end <= len(text):
                raise InputError(str(path), None, f"{where} is empty or outside the text")
            spans.append(ImportedSpan(start, end, label))
    title, meta = "", {}
    if ts.contains_type(DOCUMENT_METADATA):
        for info in cas.select(DOCUMENT_METADATA):
            title = (info.get("documentTitle") or "").strip()
            if info.get("documentId"):
                meta["document_id"] = info.get("documentId")
            break
    return ImportedDocument(
        text=text,
        title=title or title_from_text(text, path.stem),
        source=str(path),
        meta=meta,
        spans=spans,
        verbatim=True,
    )


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
    from cassis import load_typesystem
    from lxml import etree

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
    data = _safe_xml(found, data)
    try:
        ts = load_typesystem(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        raise InputError(
            str(found), exc.lineno or None, f"not well-formed XML: {exc.msg}"
        ) from None
    except Exception as exc:
        raise InputError(str(found), None, f"not a UIMA type system: {_message(exc)}") from None
    with _lock:
        if len(_typesystems) > 8:
            _typesystems.clear()
        _typesystems[key] = ts
    return ts


def _message(exc: Exception) -> str:
    """The first line of an exception's message (or its type), for people."""
    if isinstance(exc, KeyError):
        return f"it refers to {exc} but holds nothing of that id or name"
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
