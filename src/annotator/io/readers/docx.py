"""Word .docx: paragraph text from word/document.xml, read with zip-bomb and XML-entity guards."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring, iterparse

from annotator.core.errors import InputError
from annotator.core.model import ImportedDocument
from annotator.io.readers.article_meta import ArticleMeta, article_document, split_header

MAX_XML_BYTES = 50 * 1024 * 1024
"""Largest XML part read from a .docx, uncompressed."""
MAX_RATIO = 100
"""Largest compression ratio of a part over 1 MiB; real documents stay far below it."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE_FIELDS = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "date": "{http://purl.org/dc/terms/}created",
    "author": "{http://purl.org/dc/elements/1.1/}creator",
}
_CORE = "docProps/core.xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .doc, or an encrypted .docx
_BREAKS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}


def read_docx(path: Path, data: bytes) -> list[ImportedDocument]:
    """Read a .docx as one document, one line per paragraph; a header block (see
    article_meta.split_header), else the core properties, give its title, date and author."""
    if data.startswith(_OLE_MAGIC):
        reason = "an old .doc or a password-protected Word file; save it as a plain .docx"
        raise InputError(str(path), None, reason)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(str(path), None, "not a .docx file (not a zip archive)") from exc
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise InputError(str(path), None, "not a .docx file (no word/document.xml inside)")
        try:
            text = _paragraph_text(path, _read_part(path, archive, "word/document.xml"))
            core = _read_part(path, archive, _CORE) if _CORE in names else None
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
            raise InputError(str(path), None, f"damaged .docx file: {exc}") from exc
    if not text.strip():
        raise InputError(str(path), None, "the document has no text")
    header, text = split_header(text)
    properties = _core_properties(path, core) if core else ArticleMeta()
    return [article_document(path, text, "docx", header.fill(properties))]


def _read_part(path: Path, archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, refused when its declared size or its compression ratio is excessive."""
    info = archive.getinfo(name)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_XML_BYTES:
        reason = f"{name} is too large ({info.file_size:,} bytes; the limit is {MAX_XML_BYTES:,})"
        raise InputError(str(path), None, reason)
    if info.file_size > 2**20 and ratio > MAX_RATIO:
        reason = f"{name} is compressed {ratio:.0f}:1, which looks like a zip bomb"
        raise InputError(str(path), None, reason)
    with archive.open(info) as part:  # zipfile stops at the declared size and checks the CRC
        return part.read(MAX_XML_BYTES)


def _paragraph_text(path: Path, xml: bytes) -> str:
    """Paragraphs (w:p) joined by newlines: their w:t text, w:tab as a tab, w:br as a newline."""
    paragraphs: list[str] = []
    open_paragraphs: list[list[str]] = []  # a text box's paragraphs sit inside another's
    with _xml_errors(path, "word/document.xml"):
        for event, element in iterparse(io.BytesIO(xml), ("start", "end"), forbid_dtd=True):
            if element.tag == f"{_W}p":
                if event == "start":
                    open_paragraphs.append([])
                else:
                    paragraphs.append("".join(open_paragraphs.pop()))
                    element.clear()
            elif open_paragraphs and event == "end":
                if element.tag == f"{_W}t":
                    open_paragraphs[-1].append(element.text or "")
                elif element.tag in _BREAKS:
                    open_paragraphs[-1].append(_BREAKS[element.tag])
    return "\n".join(paragraphs)


def _core_properties(path: Path, xml: bytes) -> ArticleMeta:
    """Title, creation date and author from docProps/core.xml ("" where it has none)."""
    with _xml_errors(path, _CORE):
        root = fromstring(xml, forbid_dtd=True)
    values = {field: root.findtext(tag) or "" for field, tag in _CORE_FIELDS.items()}
    return ArticleMeta(**{field: value.strip() for field, value in values.items()})


@contextmanager
def _xml_errors(path: Path, name: str) -> Iterator[None]:
    """Turn defusedxml's refusals and parse errors into InputError naming the part."""
    try:
        yield
    except DefusedXmlException as exc:
        raise InputError(str(path), None, f"XML entities are not allowed ({name}: {exc})") from exc
    except ParseError as exc:
        raise InputError(str(path), None, f"{name} is not valid XML: {exc}") from exc
