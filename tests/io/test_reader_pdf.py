"""PDF reader: the text layer of hand-built PDFs; scans, encryption and damage are refused."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.errors import DependencyError

from annotator.core.errors import InputError
from annotator.io.readers.pdf import read_pdf
from builders import make_pdf

PATH = Path("report.pdf")


HELLO = b"BT /F1 12 Tf 72 720 Td (Hello Baykar) Tj ET"
WORLD = b"BT /F1 12 Tf 72 720 Td (Second page) Tj ET"
NO_TEXT = b"0 0 m 100 100 l S"


def reason_for(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        read_pdf(PATH, data)
    assert (info.value.path, info.value.line) == (str(PATH), None)
    return info.value.reason


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_text_layer_is_read():
    [doc] = read_pdf(PATH, make_pdf(HELLO))
    assert doc.text == "Hello Baykar"
    assert doc.title == "Hello Baykar"
    assert doc.meta == {"format": "pdf", "filename": "report.pdf", "pages": 1}
    assert doc.source == str(PATH)


def test_pages_are_joined_by_a_blank_line():
    [doc] = read_pdf(PATH, make_pdf(HELLO, NO_TEXT, WORLD))
    assert doc.text == "Hello Baykar\n\nSecond page"
    assert doc.meta["pages"] == 3


def test_a_pdf_without_a_text_layer_asks_for_ocr():
    assert reason_for(make_pdf(NO_TEXT)) == "no text layer (scanned PDF?); run OCR first"


def test_a_pdf_protected_by_a_password_is_refused():
    assert reason_for(encrypted(make_pdf(HELLO), "secret")) == (
        "encrypted PDF that needs a password; import an unprotected copy"
    )


def test_a_pdf_encrypted_without_a_user_password_is_read():
    [doc] = read_pdf(PATH, encrypted(make_pdf(HELLO), ""))
    assert doc.text == "Hello Baykar"


def test_a_missing_decryption_package_is_explained(monkeypatch):
    def needs_cryptography(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr("pypdf.PdfReader", needs_cryptography)
    assert reason_for(make_pdf(HELLO)) == (
        "encrypted PDF that cannot be decrypted here (cryptography>=3.1 is required for AES "
        "algorithm); import an unprotected copy"
    )


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n garbage", b"not a pdf at all", make_pdf(HELLO)[:200], b"%PDF-1.4\ntrailer\n<<>>"],
)
def test_a_damaged_pdf_is_an_input_error_not_a_traceback(data):
    assert reason_for(data).startswith("not a readable PDF: ")


def test_pypdf_warnings_do_not_reach_the_log(caplog):
    damaged = make_pdf(HELLO).replace(b"startxref\n", b"startxref\n1")  # wrong xref offset
    with caplog.at_level(logging.WARNING):
        [doc] = read_pdf(PATH, damaged)
    assert doc.text == "Hello Baykar"
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_a_pdf_without_pages_is_refused():
    assert reason_for(make_pdf()) == "PDF has no pages"
