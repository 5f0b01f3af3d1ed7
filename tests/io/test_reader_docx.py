"""DOCX reader: paragraphs from in-memory .docx files; non-zips, bombs and XML entities refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.io.readers import docx
from annotator.io.readers.docx import read_docx
from builders import core_xml, document_xml, make_docx, paragraph

PATH = Path("memo.docx")


BODY = (
    paragraph("<w:t>Quarterly </w:t>", '<w:t xml:space="preserve">report </w:t>')
    + paragraph("<w:t>Name</w:t><w:tab/><w:t>Value</w:t>")
    + paragraph("<w:t>line one</w:t><w:br/><w:t>line two</w:t>")
    + "<w:p/>"
    + "<w:tbl><w:tr><w:tc>"
    + paragraph("<w:t>In a table</w:t>")
    + "</w:tc></w:tr></w:tbl>"
    + paragraph("<w:delText>deleted</w:delText><w:t>Kept &amp; escaped</w:t>")
)


def reason_for(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        read_docx(PATH, data)
    assert (info.value.path, info.value.line) == (str(PATH), None)
    return info.value.reason


def test_paragraphs_runs_tabs_and_breaks_become_text():
    [doc] = read_docx(PATH, make_docx({"word/document.xml": document_xml(BODY)}))
    assert doc.text == (
        "Quarterly report \nName\tValue\nline one\nline two\n\nIn a table\nKept & escaped"
    )
    assert doc.title == "Quarterly report"
    assert doc.meta == {"format": "docx", "filename": "memo.docx"}
    assert doc.source == str(PATH)


def test_the_title_comes_from_the_core_properties():
    parts = {"word/document.xml": document_xml(BODY), "docProps/core.xml": core_xml(" Q3 memo ")}
    [doc] = read_docx(PATH, make_docx(parts))
    assert doc.title == "Q3 memo"


def test_a_text_box_paragraph_inside_another_is_not_duplicated():
    box = paragraph("<w:t>Box</w:t>")
    runs = f"<w:t>Before </w:t></w:r><w:r><w:txbxContent>{box}</w:txbxContent></w:r><w:r><w:t>after"
    body = f"<w:p><w:r>{runs}</w:t></w:r></w:p>"
    [doc] = read_docx(PATH, make_docx({"word/document.xml": document_xml(body)}))
    assert doc.text == "Box\nBefore after"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"plain text, not a zip", "not a .docx file (not a zip archive)"),
        (
            make_docx({"xl/workbook.xml": "<workbook/>"}),
            "not a .docx file (no word/document.xml inside)",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "an old .doc or a password-protected Word file; save it as a plain .docx",
        ),
        (
            make_docx({"word/document.xml": document_xml("<w:p/><w:p></w:p>")}),
            "the document has no text",
        ),
        (
            make_docx({"word/document.xml": "<w:document"}),
            "word/document.xml is not valid XML: unclosed token: line 1, column 0",
        ),
    ],
)
def test_files_that_are_not_readable_docx_are_refused(data, reason):
    assert reason_for(data) == reason


def test_xml_entities_are_refused():
    prolog = '<!DOCTYPE d [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    data = make_docx({"word/document.xml": document_xml(paragraph("<w:t>&lol2;</w:t>"), prolog)})
    assert reason_for(data).startswith("XML entities are not allowed (word/document.xml: ")


def test_entities_in_the_core_properties_are_refused_too():
    core = '<!DOCTYPE c [<!ENTITY x "y">]>' + core_xml("&x;")
    data = make_docx({"word/document.xml": document_xml(BODY), "docProps/core.xml": core})
    assert reason_for(data).startswith("XML entities are not allowed (docProps/core.xml: ")


def test_a_highly_compressed_part_is_refused_as_a_zip_bomb():
    filler = "<w:p/>" * 400_000  # 2.4 MB that deflates to a few kB
    data = make_docx({"word/document.xml": document_xml(paragraph("<w:t>x</w:t>") + filler)})
    reason = reason_for(data)
    assert reason.startswith("word/document.xml is compressed ")
    assert reason.endswith(":1, which looks like a zip bomb")


def test_a_part_declared_larger_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(docx, "MAX_XML_BYTES", 100)
    data = make_docx({"word/document.xml": document_xml(BODY)})
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    assert reason_for(data) == f"word/document.xml is too large ({size:,} bytes; the limit is 100)"


def test_a_corrupt_zip_member_is_refused():
    data = bytearray(make_docx({"word/document.xml": document_xml(BODY)}))
    start = data.index(b"word/document.xml") + len("word/document.xml")
    data[start + 5 : start + 25] = bytes(20)  # damage the compressed bytes
    assert reason_for(bytes(data)).startswith("damaged .docx file: ")
