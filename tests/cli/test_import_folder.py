"""A folder of mixed articles, as a researcher has them: every format, legacy encodings, and
broken files that must leave the project untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_run import run

from builders import document_xml, make_docx, make_pdf, paragraph


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "articles"
    (root / "nested").mkdir(parents=True)
    (root / "cp1252.txt").write_bytes(
        "Façade — naïve “quotes” from Baykar’s café.".encode("cp1252")
    )
    (root / "russian.txt").write_bytes(
        "Министерство обороны закупило беспилотники Bayraktar TB2.".encode("cp1251")
    )
    (root / "utf16.csv").write_bytes(
        "title,text\nKaan,Türkiye shows the TF Kaan fighter.\n".encode("utf-16")
    )
    (root / "nested" / "notes.md").write_text(
        "# Notes\n\nAzerbaijan buys JF-17C Thunder.\n", "utf-8"
    )
    (root / "page.html").write_text(
        "<html><head><title>Deal</title><script>track()</script></head><body><nav>Menu</nav>"
        "<article><h1>Deal</h1><p>Pakistan sells jets.</p></article></body></html>",
        "utf-8",
    )
    (root / "report.pdf").write_bytes(make_pdf(b"BT /F1 12 Tf 72 720 Td (Hello Baykar) Tj ET"))
    body = paragraph("<w:t>Indonesia signs for the KF-21 Boramae.</w:t>")
    (root / "memo.docx").write_bytes(make_docx({"word/document.xml": document_xml(body)}))
    record = {
        "text": "Baykar 🚀 sold TB2\r\nto Azerbaijan",
        "spans": [{"start": 0, "end": 6, "label": "ACTOR"}],
    }
    (root / "spans.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    (root / ".hidden.txt").write_text("not imported", "utf-8")
    return root


def texts(db: Path) -> dict[str, str]:
    from annotator.core.project import Project

    with Project.open(db) as project:
        return {d.source.rsplit("/", 1)[-1]: d.text for d in project.iter_documents()}


def test_every_format_in_one_folder(tmp_path, folder, capsys):
    db = tmp_path / "p.db"
    run("init", "--db", db)
    assert run("import", "--db", db, folder) == 0
    assert "8 new document(s)" in capsys.readouterr().out
    got = texts(db)
    assert got["cp1252.txt"] == "Façade — naïve “quotes” from Baykar’s café."
    assert got["russian.txt"].startswith("Министерство обороны")
    assert got["utf16.csv"] == "Türkiye shows the TF Kaan fighter."
    assert "Azerbaijan buys JF-17C Thunder." in got["notes.md"]
    assert "Pakistan sells jets." in got["page.html"] and "track()" not in got["page.html"]
    assert "Menu" not in got["page.html"]
    assert got["report.pdf"].strip() == "Hello Baykar"
    assert got["memo.docx"].strip() == "Indonesia signs for the KF-21 Boramae."
    assert (
        got["spans.jsonl"] == "Baykar 🚀 sold TB2\r\nto Azerbaijan"
    )  # verbatim: offsets refer to it


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("bad.jsonl", b'{"text": "ok"}\n{not json}\n', "bad.jsonl:2:"),
        ("scan.pdf", make_pdf(b"0 0 m 100 100 l S"), "no text layer"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx"),
        (
            "bomb.docx",
            make_docx(
                {
                    "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aa">]>'
                    "<d>&a;</d>"
                }
            ),
            "entities",
        ),
    ],
)
def test_a_broken_file_leaves_the_project_byte_for_byte_unchanged(
    tmp_path, folder, name, content, reason, capsys
):
    db = tmp_path / "p.db"
    run("init", "--db", db)
    (folder / name).write_bytes(content)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("p.db*")}
    assert run("import", "--db", db, folder) == 1
    err = capsys.readouterr().err
    assert reason in err and name in err
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("p.db*")}
    assert after == before
    assert texts(db) == {}
