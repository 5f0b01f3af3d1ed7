"""Plain text and Markdown readers: one document per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.io.readers.text import read_md, read_txt


def test_a_text_file_is_one_document_titled_by_its_first_line():
    text = "\n  First line  \r\nBody — with “quotes”.\r\n"
    [doc] = read_txt(Path("in/a.txt"), text.encode("cp1252"))
    assert doc.text == text  # canonicalised later, by the importer
    assert doc.title == "First line"
    assert doc.source == str(Path("in/a.txt"))
    assert doc.meta == {"format": "txt", "filename": "a.txt"}
    assert not doc.verbatim
    assert doc.spans == []


def test_markdown_keeps_its_markup_and_takes_the_heading_as_title():
    text = "# Report on *things*\n\nSome **bold** text.\n"
    [doc] = read_md(Path("notes.md"), text.encode())
    assert doc.text == text
    assert doc.title == "Report on *things*"
    assert doc.meta == {"format": "md", "filename": "notes.md"}


def test_an_empty_text_file_is_refused():
    with pytest.raises(InputError) as info:
        read_txt(Path("empty.txt"), b" \n\n")
    assert str(info.value) == "empty.txt: empty file"


def test_a_binary_file_named_txt_is_refused():
    with pytest.raises(InputError) as info:
        read_txt(Path("photo.txt"), b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert info.value.reason == "binary file, not text (contains NUL bytes)"
