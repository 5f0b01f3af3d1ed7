"""`annotator import` of INCEpTION's files as a user runs it: exit codes, the per-file report,
and the project untouched when a file is bad."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from cli_run import run

from annotator.core.project import Project

PEERS = Path(__file__).parent.parent / "data" / "peers" / "inception"
SUITE = PEERS / "tsv3-suite"


def copy_cases(target: Path, *cases: str, suffix: str = ".xmi") -> Path:
    target.mkdir()
    for case in cases:
        shutil.copy(SUITE / case / f"reference{suffix}", target / f"{case}{suffix}")
    return target


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("p.db*")}


def test_xmi_batch_with_unlabelled_empty_and_custom_annotations_imports_with_notes(
    tmp_path, capsys
):
    folder = copy_cases(
        tmp_path / "in",
        "testSingleTokenWithoutFeatureValue",
        "testZeroLengthSpansWithFeatureValues",
        "testTokenBoundedStackedSpanWithFeatureValue",
        "testSubTokenRelation",
    )
    db = tmp_path / "p.db"
    run("init", "--db", db)
    assert run("import", "--db", db, "--add-labels", folder) == 0
    out = capsys.readouterr().out
    assert f"{folder / 'testSingleTokenWithoutFeatureValue.xmi'}: 1 document(s), 1 span(s)" in out
    assert "without a label: labelled 'NamedEntity'" in out
    assert f"{folder / 'testZeroLengthSpansWithFeatureValues.xmi'}: 1 document(s), 0 span(s)" in out
    assert "annotation(s) of zero length" in out
    assert "5 duplicate annotation(s) merged" in out
    relation = folder / "testSubTokenRelation.xmi"
    assert f"{relation}: 1 document(s), 2 span(s), 1 relation(s)" in out  # unlabelled: "Relation"
    assert "2 new document(s)" in out and "8 span(s) added" in out  # same texts: stored once
    with Project.open(db) as project:
        assert project.count_documents() == 2


def test_a_broken_xmi_in_the_batch_leaves_the_project_unchanged(tmp_path, capsys):
    folder = copy_cases(tmp_path / "in", "testSingleTokenWithoutFeatureValue")
    (folder / "broken.xmi").write_bytes(b"<xmi:XMI")
    db = tmp_path / "p.db"
    run("init", "--db", db)
    before = digest(tmp_path)
    assert run("import", "--db", db, "--add-labels", folder) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'broken.xmi'}:1: not well-formed XML" in err
    assert "Traceback" not in err
    assert digest(tmp_path) == before


def test_webanno_tsv_files_import_as_webanno_not_csv(tmp_path, capsys):
    folder = copy_cases(
        tmp_path / "in",
        "testSentenceWithEmoji",
        "testTokenBoundedStackedSpanWithFeatureValue",
        "testSimpleChain",
        suffix=".tsv",
    )
    shutil.copy(PEERS / "tsv3" / "example2.tsv", folder)
    db = tmp_path / "p.db"
    run("init", "--db", db)
    assert run("import", "--db", db, "--add-labels", folder) == 0
    out = capsys.readouterr().out
    assert f"{folder / 'example2.tsv'}: 1 document(s), 9 span(s)" in out
    assert f"{folder / 'testSimpleChain.tsv'}: 1 document(s), 0 span(s)" in out
    assert "skipped 3 webanno.custom.SimpleLink annotation(s): a chain layer" in out
    assert "5 duplicate annotation(s) merged" in out
    with Project.open(db) as project:
        texts = {doc.text for doc in project.iter_documents()}
    assert "I like it 😊 ." in texts and len(texts) == 3


def test_a_bad_webanno_tsv_row_leaves_the_project_unchanged(tmp_path, capsys):
    folder = copy_cases(tmp_path / "in", "testSentenceWithEmoji", suffix=".tsv")
    good = (folder / "testSentenceWithEmoji.tsv").read_text("utf-8")
    (folder / "bad.tsv").write_text(good.replace("1-2\t2-6", "1-2\t2-x"), "utf-8")
    db = tmp_path / "p.db"
    run("init", "--db", db)
    before = digest(tmp_path)
    assert run("import", "--db", db, "--add-labels", folder) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'bad.tsv'}:7: a token row starts with SENTENCE-TOKEN and BEGIN-END" in err
    assert "CSV" not in err and "Traceback" not in err
    assert digest(tmp_path) == before


def test_an_inception_project_zip_imports_each_users_layer(tmp_path, capsys):
    path = PEERS / "project" / "curated-3.6.1.zip"
    db = tmp_path / "p.db"
    run("init", "--db", db)
    assert run("import", "--db", db, "--add-labels", path) == 0
    out = capsys.readouterr().out
    assert f"{path}: 1 document(s), 0 span(s)" in out
    assert "curation/example_sentence.txt/CURATION_USER.tsv: layer curation" in out
    assert "admin.txt: exported as plain text; the annotations are only in" in out
    with Project.open(db) as project:
        (document,) = project.iter_documents()
        assert document.text == "This is an example sentence."


def test_an_export_with_binary_annotations_only_is_refused_by_name(tmp_path, capsys):
    path = PEERS / "project" / "test-project-with-recommenders.zip"
    db = tmp_path / "p.db"
    run("init", "--db", db)
    before = digest(tmp_path)
    assert run("import", "--db", db, "--add-labels", path) == 1
    err = capsys.readouterr().err
    assert f"{path}: the project export holds its annotations only as INCEpTION's" in err
    assert "binary file" not in err and "Traceback" not in err
    assert digest(tmp_path) == before


def test_older_webanno_tsv_is_refused_by_name_not_as_csv(tmp_path, capsys):
    db = tmp_path / "p.db"
    run("init", "--db", db)
    folder = PEERS / "tsv2"
    assert run("import", "--db", db, "--add-labels", folder) == 1
    err = capsys.readouterr().err
    for name in ("example.tsv", "tale.tsv"):
        assert f"{folder / name}:1: WebAnno TSV 1 or 2 is not read" in err
    assert "the header has" not in err and err.endswith("annotator: nothing was imported\n")
    assert len(err.splitlines()) == 3


def test_labels_that_cannot_be_names_here_are_noted_not_fatal(tmp_path, capsys):
    cases = ("testTokenBoundedSpanWithAsteriskFeatureValue", "testTokenBoundedSpanWithFeatureValue")
    folder = copy_cases(tmp_path / "in", *cases)
    db = tmp_path / "p.db"
    run("init", "--db", db)
    assert run("import", "--db", db, "--add-labels", folder) == 0
    out = capsys.readouterr().out
    assert f"{folder / (cases[0] + '.xmi')}: 1 document(s), 0 span(s)" in out
    assert "label name '*' must start with a letter or digit" in out
    assert "5 span(s) added" in out
