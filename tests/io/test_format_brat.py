"""brat standoff: export a collection brat accepts, import it back span for span."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from format_samples import SAMPLES, expected_spans, fill, stored_spans

from annotator.core.errors import ImportFailed, InputError
from annotator.core.project import Project
from annotator.io.export_target import MARKER
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.registry import detect_format, iter_input_files
from annotator.io.writers.brat import safe_name

SAFE = re.compile(r"[0-9]+(-[A-Za-z0-9_-]{1,60})?")


def brat_check(folder: Path) -> int:
    """What brat's server checks when it opens each document (server/src/annotation.py).

    The .ann is read as brat reads it, line by line with str.splitlines(); a T line's text must
    equal its fragments' texts joined by a space; fragments must neither overlap nor touch.
    Returns the number of T lines checked.
    """
    checked = 0
    for ann in sorted(folder.glob("*.ann")):
        with (folder / f"{ann.stem}.txt").open("rb") as stream:  # codecs.open: no newline magic
            text = stream.read().decode("utf-8")
        for line in ann.read_bytes().decode("utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, data, quoted = line.split("\t", 2)
            kind, offsets = data.split(" ", 1)
            pieces = [tuple(map(int, part.split(" "))) for part in offsets.split(";")]
            seen = []
            for start, end in pieces:
                assert 0 <= start <= end <= len(text), line
                assert not any(end >= s and start < e for s, e in seen), f"{line}: overlap"
                seen.append((start, end))
            assert quoted == " ".join(text[s:e] for s, e in pieces), line
            assert re.fullmatch(r"[\w-]+", kind)
            checked += 1
    return checked


def test_round_trip_keeps_texts_crlf_and_every_span(project, tmp_path):
    fill(project)
    out = tmp_path / "collection"
    report = export(project, "brat", out)
    assert not report.dropped and not report.adjusted
    names = sorted(p.name for p in out.iterdir())
    assert "annotation.conf" in names and MARKER in names and len(names) == 2 + 2 * len(SAMPLES)
    assert brat_check(out) == len(expected_spans())
    crlf = next(p for p in out.glob("*.txt") if b"Baykar sells" in p.read_bytes())
    assert crlf.read_bytes() == SAMPLES[0][1].encode("utf-8")  # CRLF kept byte for byte
    assert "PLATFORM 56 65;67 70\tBayraktar TB2" in crlf.with_suffix(".ann").read_text("utf-8")

    again = Project.create(tmp_path / "again.db")
    try:
        result = import_files(again, [out], add_labels=True)  # --format auto on the folder
        assert {p.suffix for p in result.files} == {".ann"}
        assert again.count_documents() == len(SAMPLES)  # no .txt imported a second time
        assert stored_spans(again) == expected_spans()
        texts = {doc.text for doc in again.iter_documents()}
        assert texts == {text for _, text, _ in SAMPLES}
    finally:
        again.close()


def test_annotation_conf_lists_the_labels_and_empty_sections(project, tmp_path):
    project.add_label("WEAPON SYSTEM")
    doc = next(iter(project.add_document("The TB2 drone.").documents))
    project.add_span(doc, "alice", "WEAPON SYSTEM", 4, 7)
    out = tmp_path / "collection"
    report = export(project, "brat", out)
    conf = (out / "annotation.conf").read_text("utf-8")
    assert conf.startswith("[entities]\nACTOR\nPLATFORM\nMOTIVATION\nWEAPON_SYSTEM\n")
    assert "\n[relations]\n\n[events]\n\n[attributes]\n" in conf
    assert report.adjusted == {"label 'WEAPON SYSTEM' written as brat type 'WEAPON_SYSTEM'": 1}
    assert "T1\tWEAPON_SYSTEM 4 7\tTB2\n" in next(out.glob("*.ann")).read_text("utf-8")


@pytest.mark.parametrize(
    "title",
    [
        "CON",
        "nul",
        "../../etc/passwd",
        ".hidden",
        "",
        "拜卡公司",
        "a" * 300,
        "C:\\x\\y",
        "Türkiye?*",
    ],
)
def test_file_names_are_safe_everywhere(title):
    name = safe_name(42, title)
    assert SAFE.fullmatch(name), name
    assert name.startswith("42")
    assert safe_name(42, "Türkiye") == "42-Turkiye"


def test_spans_of_line_breaks_only_are_reported(project, tmp_path):
    doc = next(iter(project.add_document("A\r\n\r\nB", verbatim=True).documents))
    project.add_span(doc, "alice", "ACTOR", 1, 5)
    project.add_span(doc, "alice", "ACTOR", 0, 2)
    report = export(project, "brat", tmp_path / "out")
    assert report.dropped == {"only line breaks (a brat fragment cannot hold one)": 1}
    assert sum(report.adjusted.values()) == 1  # "A\r" is written as "A"


def write_pair(folder: Path, name: str, text: str, ann: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes(ann.encode("utf-8"))
    return folder / f"{name}.ann"


def test_reader_joins_line_fragments_and_ignores_other_annotations(project, tmp_path):
    text = "Baykar\nTB2 drone and the Akinci drone."
    ann = (
        "T1\tPLATFORM 0 6;7 10\tBaykar TB2\n"
        "T2\tPLATFORM 11 16;32 37\tdrone drone\n"
        "T3\tACTOR 0 6\n"  # no text: brat fills it in
        "R1\tOwns Arg1:T1 Arg2:T3\n"
        "E1\tSale:T1 Seller:T3\n"
        "A1\tNegated T1\n"
        "#1\tAnnotatorNotes T1\tchecked\n"
    )
    folder = tmp_path / "in"
    write_pair(folder, "doc", text, ann)
    (folder / "annotation.conf").write_text("[entities]\nPLATFORM\nACTOR\n")
    (folder / "lonely.txt").write_text("No annotations yet.")
    import_files(project, [folder], add_labels=True)
    by_text = {doc.text: doc for doc in project.iter_documents()}
    assert set(by_text) == {text, "No annotations yet."}
    spans = {(s.start, s.end, s.label) for s in project.spans(by_text[text].id)}
    assert spans == {
        (0, 10, "PLATFORM"),
        (11, 16, "PLATFORM"),
        (32, 37, "PLATFORM"),
        (0, 6, "ACTOR"),
    }


def test_detection_treats_brat_texts_as_brat(tmp_path):
    folder = tmp_path / "collection"
    ann = write_pair(folder, "a", "Baykar.", "T1\tACTOR 0 6\tBaykar\n")
    (folder / "notes.md").write_text("# not brat")
    assert iter_input_files([folder]) == [ann, folder / "notes.md"]
    assert iter_input_files([folder / "a.txt", ann]) == [ann]
    assert detect_format(folder / "a.txt", b"Baykar.") == "brat"
    assert detect_format(ann, b"") == "brat"
    assert detect_format(tmp_path / "plain.txt", b"Baykar.") == "txt"
    (folder / "annotation.conf").write_text("[entities]\n")
    assert detect_format(folder / "b.txt", b"") == "brat"


@pytest.mark.parametrize(
    ("ann", "line", "reason"),
    [
        ("T1\tACTOR 0 6\tBaykar\nT2\tACTOR zero six\tBaykar\n", 2, "T2: expected 'T2<TAB>LABEL"),
        ("T1\tACTOR 0 99\tBaykar\n", 1, "T1: offset 99 is beyond the end of the text (13"),
        ("\n\nT3\tACTOR 0 5\tBaykar\n", 3, "T3 says 'Baykar' but the text there is 'Bayka'"),
        ("T1\tACTOR 6 0\tBaykar\n", 1, "T1: fragment 6 0 is empty or reversed"),
        ("T1\tACTOR 0 6;3 8\tx\n", 1, "T1: fragments overlap"),
    ],
)
def test_bad_ann_files_name_the_line_and_store_nothing(project, tmp_path, ann, line, reason):
    path = write_pair(tmp_path / "in", "doc", "Baykar sells.", ann)
    with pytest.raises(ImportFailed) as info:
        import_files(project, [tmp_path / "in"], add_labels=True)
    assert str(info.value).startswith(f"{path}:{line}: {reason}")
    assert project.count_documents() == 0


def test_an_ann_without_its_text_is_refused(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "orphan.ann").write_text("T1\tACTOR 0 6\tBaykar\n")
    with pytest.raises(ImportFailed, match=r"orphan\.ann: no text file orphan\.txt beside it"):
        import_files(project, [folder], add_labels=True)
    assert project.count_documents() == 0


def test_invalid_utf8_text_is_refused_with_its_line(project, tmp_path):
    folder = tmp_path / "in"
    write_pair(folder, "doc", "ok", "")
    (folder / "doc.txt").write_bytes(b"line one\nline \xff two")
    with pytest.raises((ImportFailed, InputError), match=r"doc\.txt:2: not valid UTF-8"):
        import_files(project, [folder / "doc.ann"], fmt="brat", add_labels=True)
    assert project.count_documents() == 0


def test_non_ascii_labels_get_ascii_types_that_never_collide(project, tmp_path):
    """brat mangles non-ASCII type names (`Ünïcode` -> `_n_code`, `日本語` -> `___`): each label
    gets its own ASCII type, named in annotation.conf comments and in the report."""
    labels = ["Unicode", "Ünïcode", "Unïcode", "日本語", "中文", "LABEL"]
    for name in labels:
        project.add_label(name)
    text = "Unicode Ünïcode Unïcode 日本語 中文 LABEL"
    doc = next(iter(project.add_document(text).documents))
    for name in labels:
        start = text.index(name)
        project.add_span(doc, "alice", name, start, start + len(name))
    out = tmp_path / "collection"
    report = export(project, "brat", out)
    assert brat_check(out) == 6
    ann = next(out.glob("*.ann")).read_text("utf-8")
    types = {line.split("\t")[2]: line.split("\t")[1].split(" ")[0] for line in ann.splitlines()}
    assert types == {
        "Unicode": "Unicode",
        "Ünïcode": "Unicode_2",
        "Unïcode": "Unicode_3",
        "日本語": "LABEL_2",
        "中文": "LABEL_3",
        "LABEL": "LABEL",
    }
    assert all(kind.isascii() for kind in types.values())
    conf = (out / "annotation.conf").read_text("utf-8")
    declared = [line for line in conf.split("[relations]")[0].splitlines()[1:] if line]
    assert [line for line in declared if not line.startswith("#")][-6:] == [
        "Unicode",
        "Unicode_2",
        "Unicode_3",
        "LABEL_2",
        "LABEL_3",
        "LABEL",
    ]
    assert "# brat type Unicode_2 is the label 'Ünïcode'" in declared
    assert "# brat type LABEL_2 is the label '日本語'" in declared
    assert report.adjusted["label '日本語' written as brat type 'LABEL_2'"] == 1
    assert report.adjusted["label 'Ünïcode' written as brat type 'Unicode_2'"] == 1


def test_renamed_types_come_back_under_their_labels_names(project, tmp_path):
    labels = ["Unicode", "Ünïcode", "日本語", 'it\'s "q"']
    for name in labels:
        project.add_label(name)
    text = "Unicode and Ünïcode, 日本語 and more."
    doc = next(iter(project.add_document(text).documents))
    for name, needle in zip(labels, ["Unicode", "Ünïcode", "日本語", "more"], strict=True):
        start = text.index(needle)
        project.add_span(doc, "alice", name, start, start + len(needle))
    out = tmp_path / "collection"
    export(project, "brat", out)
    conf = out / "annotation.conf"
    with conf.open("a", encoding="utf-8") as stream:  # not our comments: left alone
        stream.write(
            "# brat type Unicode is the label 'x' + 'y'\n# brat type LABEL is the label '\n"
        )
    again = Project.create(tmp_path / "again.db")
    try:
        import_files(again, [out / next(out.glob("*.ann")).name], add_labels=True)
        (back,) = again.iter_documents()
        spans = {(back.text[s.start : s.end], s.label) for s in again.spans(back.id)}
        assert spans == {
            ("Unicode", "Unicode"),
            ("Ünïcode", "Ünïcode"),
            ("日本語", "日本語"),
            ("more", 'it\'s "q"'),
        }
    finally:
        again.close()
