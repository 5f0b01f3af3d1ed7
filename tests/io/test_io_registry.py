"""The reader registry: names, `--format auto` detection, and which files a list of paths means."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, InputError
from annotator.io.readers.csv import read_csv
from annotator.io.registry import (
    READERS,
    UnknownFormatError,
    detect_format,
    iter_input_files,
    reader_for,
)


def test_every_format_has_a_reader():
    assert sorted(READERS) == [
        "brat", "conll", "csv", "docx", "html", "inception", "jsonl", "labelstudio", "md",
        "pdf", "spacy", "txt", "webanno", "xmi",
    ]  # fmt: skip
    assert reader_for("csv") is read_csv


def test_an_unknown_format_is_a_clear_error():
    with pytest.raises(UnknownFormatError) as info:
        reader_for("docz")
    assert isinstance(info.value, AnnotatorError)
    assert (
        str(info.value)
        == 'unknown format "docz"; choose one of brat, conll, csv, docx, html, inception, jsonl, '
        "labelstudio, md, pdf, spacy, txt, webanno, xmi"
    )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.xhtml", "html"),
        ("a.pdf", "pdf"),
        ("a.docx", "docx"),
    ],
)
def test_the_extension_decides_first(name, fmt):
    assert detect_format(Path(name), b'{"text": "looks like jsonl"}') == fmt


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.txt", "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (docx_bytes(), "docx"),
        (plain_zip(), "txt"),
        (b'\n\n{"text": "a", "spans": []}\n{"text": "b"}\n', "jsonl"),
        (b'\xef\xbb\xbf{"text": "a"}\n', "jsonl"),
        (b'{"title": "no text key"}\n', "txt"),
        (b'["text"]\n', "txt"),
        (b"{not json at all\n", "txt"),
        (b"  <!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"<HTML><body>x</body></HTML>", "html"),
        (b"<!-- saved page --><html><body>x</body></html>", "html"),
        (b"Plain words about <html> tags.", "txt"),
        (b"", "txt"),
    ],
)
def test_without_a_known_extension_the_content_decides(data, fmt):
    assert detect_format(Path("download"), data) == fmt


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    return path


def test_folders_recurse_sorted_taking_only_known_formats_and_no_hidden_names(tmp_path):
    root = tmp_path / "corpus"
    expected = [
        touch(root / "a.txt"),
        touch(root / "b" / "c.PDF"),
        touch(root / "b" / "d.jsonl"),
        touch(root / "z.html"),
    ]
    touch(root / ".hidden.txt")
    touch(root / ".git" / "notes.txt")
    touch(root / "b" / "image.png")
    touch(root / "README")
    assert iter_input_files([root]) == expected


def test_named_files_are_always_taken_and_duplicates_dropped(tmp_path):
    hidden = touch(tmp_path / ".draft")
    odd = touch(tmp_path / "notes.weird")
    inside = touch(tmp_path / "folder" / "a.md")
    result = iter_input_files([str(odd), hidden, tmp_path / "folder", inside])
    assert result == [odd, hidden, inside]


def test_a_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        iter_input_files([tmp_path / "missing.txt"])
    assert info.value.reason == "no such file or folder"
