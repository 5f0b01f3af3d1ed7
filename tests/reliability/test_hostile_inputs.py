"""Hostile files for the importers: no network, no file written outside, bounded memory, a
specific error and the project unchanged. (Per-format refusals live in tests/io; this adds what
all formats share.)"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import tracemalloc
import zlib
from pathlib import Path

import pytest

from annotator.core import schema
from annotator.core.errors import AnnotatorError, ImportFailed, InputError
from annotator.io import base
from annotator.io.importer import import_files
from annotator.io.merge_input import merge_files
from annotator.nlp import termlists
from builders import document_xml, make_docx, paragraph


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remote_html(url: str) -> bytes:
    return f"""<!DOCTYPE html SYSTEM "{url}/html.dtd">
<html><head><base href="{url}/"><link rel="stylesheet" href="{url}/s.css">
<script src="{url}/s.js"></script><meta http-equiv="refresh" content="0; url={url}/r">
<title>Remote</title></head><body><article><p>Baykar sold TB2 drones.</p>
<img src="{url}/i.png"><iframe src="{url}/f"></iframe><object data="{url}/o"></object>
<p style="background: url({url}/bg.png)">Text &amp; more &ext;</p></article></body></html>
""".encode()


def remote_docx(url: str) -> bytes:
    prolog = f'<!DOCTYPE w:document [<!ENTITY ext SYSTEM "{url}/e">]>'
    return make_docx({"word/document.xml": document_xml(paragraph("<w:t>&ext;</w:t>"), prolog)})


def remote_xmi(url: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE x SYSTEM "{url}/x.dtd">'
        '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmi:version="2.0"/>'
    ).encode()


def cas(prolog: str, inside: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{prolog}<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        'xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">'
        f'{inside}<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" '
        'sofaString="Baykar sold TB2 drones."/><cas:View sofa="1" members=""/></xmi:XMI>'
    ).encode()


def remote_xinclude(url: str) -> bytes:
    return cas("", f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/x"/>')


def remote_stylesheet(url: str) -> bytes:
    return cas(f'<?xml-stylesheet type="text/xsl" href="{url}/s.xsl"?>', "")


@pytest.mark.parametrize(
    ("name", "make", "stored"),
    [
        ("page.html", remote_html, "Baykar sold TB2 drones.\n\nText & more &ext;"),
        ("doc.docx", remote_docx, None),
        ("cas.xmi", remote_xmi, None),
        ("include.xmi", remote_xinclude, None),
        ("styled.xmi", remote_stylesheet, "Baykar sold TB2 drones."),
    ],
)
def test_imports_never_fetch_remote_resources(project, tmp_path, listener, name, make, stored):
    path = tmp_path / name
    path.write_bytes(make(listener.url))
    try:
        import_files(project, [path])
    except AnnotatorError as exc:
        assert re.search(r"DTD|entities|XInclude", str(exc)), str(exc)
    assert listener.hits() == 0
    assert [doc.text for doc in project.iter_documents()] == ([stored] if stored else [])


def test_archive_member_names_never_become_files(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-evil.txt"
    data = make_docx(
        {
            "word/document.xml": document_xml(paragraph("<w:t>Baykar</w:t>")),
            f"../../{outside.name}": "x",
            str(outside): "x",
            "word/../../escape.xml": "x",
        }
    )
    path = tmp_path / "traversal.docx"
    path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    import_files(project, [path])
    assert [d.text for d in project.iter_documents()] == ["Baykar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not outside.exists() and not (tmp_path.parent / "escape.xml").exists()


def test_a_spacy_decompression_bomb_is_refused_in_bounded_memory(project, tmp_path):
    deflate = zlib.compressobj(9)
    chunk = bytes(2**20)
    data = b"".join(deflate.compress(chunk) for _ in range(20)) + deflate.flush()  # 20 MiB
    path = tmp_path / "bomb.spacy"
    path.write_bytes(data)
    before = digest(project.path)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="looks like a decompression bomb"):
            import_files(project, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak:,} bytes"
    assert digest(project.path) == before


def test_a_1_gib_single_line_is_refused_by_size_without_reading_it(project, tmp_path):
    path = tmp_path / "one-line.txt"
    with path.open("wb") as sparse:  # a sparse file: no disk space, no time
        sparse.truncate(2**30)
    before = digest(project.path)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed) as caught:
            import_files(project, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    limit = f"{base.MAX_FILE_BYTES:,}"
    assert str(caught.value) == f"{path}: file of {2**30:,} bytes is over the {limit} limit"
    assert peak < 2**20
    assert digest(project.path) == before


def test_the_size_limit_applies_to_every_file_of_a_folder(project, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    (tmp_path / "small.txt").write_text("Baykar sold TB2 drones.")
    (tmp_path / "long.jsonl").write_text('{"text": "' + "x" * 2000 + '"}\n')
    with pytest.raises(ImportFailed, match=r"long\.jsonl: file of 2,013 bytes is over the 1,000"):
        import_files(project, [tmp_path])
    assert project.count_documents() == 0


def test_the_size_limit_applies_to_the_text_beside_a_brat_file(project, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    (tmp_path / "doc.txt").write_text("Baykar sold TB2. " * 100)
    (tmp_path / "doc.ann").write_text("T1\tACTOR 0 6\tBaykar\n")
    with pytest.raises(ImportFailed, match=r"doc\.txt: file of 1,700 bytes is over the 1,000"):
        import_files(project, [tmp_path / "doc.ann"])
    assert project.count_documents() == 0


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("nul.txt", b"Baykar\x00sold", "binary file, not text (contains NUL bytes)"),
        ("nul.csv", b"text\nBaykar\x00sold\n", "binary file, not text (contains NUL bytes)"),
        ("nul.html", b"<p>Baykar\x00</p>", "binary file, not text (contains NUL bytes)"),
        ("nul.jsonl", b'{"text": "Baykar\x00sold"}\n', "invalid JSON: Invalid control character"),
        ("mixed.jsonl", b'{"text": "ok"}\n{"text": "caf\xc3\xa9 \xff"}\n', "2: not valid UTF-8"),
        ("mixed.conll", "Café B-ACTOR\n".encode() + b"\xffx O\n", "2: not valid UTF-8"),
        ("ctrl.conll", b"Baykar B-ACT\x07OR\n", "contains a control character (U+0007)"),
        ("empty.txt", b"", "empty file"),
        ("empty.jsonl", b'{"text": ""}\n', '"text" is empty'),
    ],
)
def test_nul_bytes_bad_utf8_control_labels_and_empty_texts_are_refused(
    project, tmp_path, name, data, reason
):
    path = tmp_path / name
    path.write_bytes(data)
    before = digest(project.path)
    with pytest.raises((InputError, ImportFailed), match=re.escape(reason)):
        import_files(project, [path])
    assert digest(project.path) == before


def test_brat_labels_with_control_characters_are_refused(project, tmp_path):
    (tmp_path / "doc.txt").write_text("Baykar sold TB2.")
    (tmp_path / "doc.ann").write_text("T1\tACT\x1bOR 0 6\tBaykar\n")
    with pytest.raises(ImportFailed, match=r"doc\.ann:1: T1: .*control character \(U\+001B\)"):
        import_files(project, [tmp_path / "doc.ann"])
    assert project.count_documents() == 0


def test_an_escaped_nul_in_jsonl_is_text_and_kept_exactly(project, tmp_path):
    path = tmp_path / "escaped.jsonl"
    path.write_text(
        '{"text": "Baykar\\u0000sold", "spans": [{"start": 7, "end": 11, "label": "X"}]}'
    )
    import_files(project, [path], add_labels=True)
    (doc,) = project.iter_documents()
    assert doc.text == "Baykar\x00sold"
    assert [(s.start, s.end) for s in project.spans(doc.id)] == [(7, 11)]


def test_a_ten_million_character_document_imports_in_bounded_memory(project, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(("Baykar sold TB2 drones to Azerbaijan in 2020.\n" * 220_000)[:10_000_000])
    tracemalloc.start()
    try:
        import_files(project, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (doc,) = project.iter_documents()
    assert len(doc.text) == 10_000_000
    assert peak < 8 * 10_000_000, f"peak {peak:,} bytes"  # a few copies of the text at most


def test_the_size_limit_applies_to_the_type_system_beside_an_xmi(project, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    (tmp_path / "TypeSystem.xml").write_text("<typeSystemDescription/>" + " " * 2000)
    (tmp_path / "doc.xmi").write_text('<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"/>')
    with pytest.raises(
        ImportFailed, match=r"TypeSystem\.xml: file of 2,024 bytes is over the 1,000"
    ):
        import_files(project, [tmp_path / "doc.xmi"])
    assert project.count_documents() == 0


class StillWaiting(BaseException):
    """A test ran out of time (a BaseException, so no `except OSError/Exception` swallows it)."""


@pytest.fixture
def deadline():
    """Fail a test still running after 10 s (a read waiting on a pipe), instead of hanging."""

    def expire(signum, frame):
        raise StillWaiting("still waiting after 10 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def test_a_named_pipe_in_a_folder_is_passed_over_and_reported(project, tmp_path, deadline):
    (tmp_path / "a.txt").write_text("Baykar sold TB2 drones.")
    os.mkfifo(tmp_path / "pipe.txt")  # nobody ever writes to it
    report = import_files(project, [tmp_path])
    assert [d.text for d in project.iter_documents()] == ["Baykar sold TB2 drones."]
    assert report.files == [tmp_path / "a.txt"]
    assert [str(e) for e in report.skipped] == [
        f"{tmp_path / 'pipe.txt'}: not a regular file (a named pipe)"
    ]


def test_a_subfolder_that_cannot_be_listed_is_reported(project, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Baykar sold TB2 drones.")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("Not seen.")
    scandir = os.scandir

    def denied(path):  # as for a folder without read permission (tests may run as root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    report = import_files(project, [tmp_path])
    assert [d.text for d in project.iter_documents()] == ["Baykar sold TB2 drones."]
    assert [str(e) for e in report.skipped] == [
        f"{locked}: cannot list the folder: Permission denied"
    ]


@pytest.mark.parametrize("beside", ["", "doc.txt", "TypeSystem.xml"])
def test_a_named_pipe_named_or_beside_a_file_is_refused_not_waited_for(
    project, tmp_path, deadline, beside
):
    (tmp_path / "doc.txt").write_text("Baykar sold TB2 drones.")
    (tmp_path / "doc.ann").write_text("T1\tACTOR 0 6\tBaykar\n")
    (tmp_path / "doc.xmi").write_text('<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"/>')
    named = {"": "pipe.txt", "doc.txt": "doc.ann", "TypeSystem.xml": "doc.xmi"}[beside]
    pipe = tmp_path / (beside or named)
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)
    before = digest(project.path)
    with pytest.raises(ImportFailed) as caught:
        import_files(project, [tmp_path / named])
    assert str(caught.value) == f"{pipe}: not a regular file (a named pipe)"
    assert digest(project.path) == before


def test_dev_zero_named_or_linked_in_a_folder_is_never_read(project, tmp_path):
    (tmp_path / "a.txt").write_text("Baykar sold TB2 drones.")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    tracemalloc.start()
    try:
        report = import_files(project, [tmp_path])
        with pytest.raises(ImportFailed) as named:
            import_files(project, [Path("/dev/zero")])
        with pytest.raises(ImportFailed) as linked:
            import_files(project, [tmp_path / "zero.txt"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    device = "not a regular file (a character device)"
    assert [str(e) for e in report.skipped] == [f"{tmp_path / 'zero.txt'}: {device}"]
    assert str(named.value) == f"/dev/zero: {device}"
    assert str(linked.value) == f"{tmp_path / 'zero.txt'}: {device}"
    assert project.count_documents() == 1
    assert peak < 8 * 2**20, f"peak {peak:,} bytes"  # reading would take 512 MiB


def test_merging_a_named_pipe_is_refused_not_waited_for(project, tmp_path, deadline):
    pipe = tmp_path / "other.jsonl"
    os.mkfifo(pipe)
    with pytest.raises(ImportFailed) as caught:
        merge_files(project, [pipe])
    assert str(caught.value) == f"{pipe}: not a regular file (a named pipe)"


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_size_limit_holds_while_reading_a_file_that_states_less(project, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 100)
    maps = Path("/proc/self/maps")  # states 0 bytes, holds kilobytes
    assert maps.stat().st_size == 0
    with pytest.raises(ImportFailed) as caught:
        import_files(project, [maps], "txt")
    reason = "file is over the 100 limit (it states 0 bytes but holds more)"
    assert str(caught.value) == f"{maps}: {reason}"
    assert project.count_documents() == 0


@pytest.mark.parametrize(
    ("load", "limit"),
    [
        (termlists.load_term_list, (termlists, "MAX_TERM_LIST_BYTES")),
        (schema.load_schema, (schema, "MAX_SCHEMA_BYTES")),
    ],
)
def test_term_lists_and_schemas_must_be_regular_files_within_the_limit(
    tmp_path, deadline, monkeypatch, load, limit
):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "big.txt").write_text("TB2\n" * 100)
    monkeypatch.setattr(*limit, 100)
    reasons = {}
    for name in ("pipe.txt", "zero.txt", "big.txt"):
        with pytest.raises(InputError) as caught:
            load(tmp_path / name)
        reasons[name] = caught.value.reason
    assert reasons == {
        "pipe.txt": "not a regular file (a named pipe)",
        "zero.txt": "not a regular file (a character device)",
        "big.txt": "file of 400 bytes is over the 100 limit",
    }
