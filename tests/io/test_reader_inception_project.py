"""INCEpTION project exports (.zip): INCEpTION's own two test exports, and one laid out as
INCEpTION writes it (annotation/<document>/<user>.tsv, <user>.zip with XMI and TypeSystem.xml,
curation/, exportedproject.json) built from its TSV/XMI suite files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed, InputError
from annotator.io.importer import import_files
from annotator.io.readers.inception_project import read_inception_project
from annotator.io.registry import detect_format

PEERS = Path(__file__).parent.parent / "data" / "peers" / "inception"
SUITE = PEERS / "tsv3-suite"
DOC = "test.txt"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def suite(case: str, suffix: str) -> bytes:
    return (SUITE / case / f"reference{suffix}").read_bytes()


def project_export(tmp_path: Path, **extra: bytes) -> Path:
    """alice in TSV, bob in XMI (a per-user zip with INCEpTION's full type system), the
    curation in TSV: three layers on one text."""
    states = [
        {"name": DOC, "user": "alice", "state": "FINISHED"},
        {"name": DOC, "user": "bob", "state": "IN_PROGRESS"},
    ]
    bob = zipped(
        {
            "test.xmi": suite("testTokenBoundedSpanWithFeatureValue", ".xmi"),
            "TypeSystem.xml": (PEERS / "relation" / "TypeSystem.xml").read_bytes(),
        }
    )
    entries = {
        "exportedproject123.json": json.dumps({"annotation_documents": states}).encode(),
        f"source/{DOC}": b"This is a test .",
        f"annotation/{DOC}/alice.tsv": suite("testMultiTokenStackedSpanWithFeatureValue", ".tsv"),
        f"annotation/{DOC}/bob.zip": bob,
        f"curation/{DOC}/CURATION_USER.tsv": suite("testTokenBoundedBioLookAlike", ".tsv"),
        "log/project.log": b"...",
        **extra,
    }
    path = tmp_path / "project.zip"
    path.write_bytes(zipped(entries))
    return path


def by_start(document):
    return sorted(document.spans, key=lambda s: (s.start, s.end, s.label))


def test_each_user_becomes_a_layer_with_the_state_as_status(tmp_path):
    path = project_export(tmp_path)
    assert detect_format(path, path.read_bytes()) == "inception"
    documents = read_inception_project(path, path.read_bytes())
    got = {d.annotator: (d.status, d.title, [s.label for s in by_start(d)]) for d in documents}
    assert got == {
        "alice": ("done", DOC, ["LOCATION", "PERSON"]),
        "bob": ("in_progress", DOC, ["NE 0", "NE 1", "NE 2", "NE 3", "NE 4"]),
        "curation": (None, DOC, ["B-NOTBIO!", "I-NOTBIO!", "I-NOTBIO!", "I-NOTBIO!", "I-NOTBIO!"]),
    }
    tokens = ["This", "is", "a", "test", "."]
    for document in documents:
        covered = [document.text[s.start : s.end] for s in by_start(document)]
        assert covered == (["This is a test ."] * 2 if document.annotator == "alice" else tokens)
    assert {d.text for d in documents} == {"This is a test ."}


def test_stored_as_one_document_with_three_layers(tmp_path, project):
    report = import_files(project, [project_export(tmp_path)], add_labels=True)
    assert (report.stored.documents_added, report.stored.spans_added) == (1, 12)
    (read,) = report.per_file
    layers = [note for note in read.skipped if note.endswith(("alice", "bob", "curation"))]
    assert layers == [
        f"annotation/{DOC}/alice.tsv: layer alice",
        f"annotation/{DOC}/bob.zip: layer bob",
        f"curation/{DOC}/CURATION_USER.tsv: layer curation",
    ]


def test_inceptions_curated_export_reads_the_curation_and_names_what_it_cannot():
    path = PEERS / "project" / "curated-3.6.1.zip"
    result = read_inception_project(path, path.read_bytes())
    (document,) = result
    assert (document.annotator, document.text) == ("curation", "This is an example sentence.")
    plain_text = (
        "annotation/example_sentence.txt/admin.txt: exported as plain text; the annotations are "
        "only in annotation_ser/example_sentence.txt/admin.ser (INCEpTION's internal binary CAS)"
    )
    assert any(note.startswith(plain_text) for note in result.skipped), result.skipped


def test_an_export_with_binary_annotations_only_is_refused():
    path = PEERS / "project" / "test-project-with-recommenders.zip"
    with pytest.raises(InputError, match=r"only as INCEpTION's internal binary CAS"):
        read_inception_project(path, path.read_bytes())


@pytest.mark.parametrize(
    ("entry", "data", "reason"),
    [
        (f"annotation/{DOC}/carol.json", b"{}", "annotations in the format .json are not read"),
        (f"annotation/{DOC}/dave.tsv", b"#FORMAT=WebAnno TSV 3.3\n#X\n", "expected a layer"),
        (f"annotation/{DOC}/ erin.tsv", b"", "the user name cannot be a layer"),
        (f"annotation/{DOC}/fred.zip", zipped({"a.txt": b""}), "expected one .xmi file"),
    ],
)
def test_a_bad_entry_is_named_and_nothing_is_stored(tmp_path, project, entry, data, reason):
    path = project_export(tmp_path, **{entry: data})
    with pytest.raises(ImportFailed) as info:
        import_files(project, [path], add_labels=True)
    (error,) = info.value.errors
    assert error.path.startswith(f"{path}!/{entry}") and reason in error.reason, error
    assert project.count_documents() == 0
