"""Names from every path (API/CLI/GUI, import, merge, schema files) are NFC and trimmed, start
with a letter or digit, and cannot pass for an existing different name; a merged label's hotkey
and description follow the local rules."""

from __future__ import annotations

import contextlib
import json
import sqlite3

import pytest

from annotator.core.errors import ConflictError, ImportFailed, InputError
from annotator.core.lookalike import skeleton
from annotator.core.model import ImportedDocument, ImportedSpan
from annotator.core.project import Project
from annotator.core.schema import parse_schema
from annotator.io.merge_input import merge_files
from merge_builders import SHARED, make_other

CYRILLIC_ACTOR = "ACT\u041eR"  # ACTОR: a Cyrillic capital O


@pytest.mark.parametrize(
    ("name", "like"),
    [
        (CYRILLIC_ACTOR, "ACTOR"),
        ("\u0391\u0421\u0422\u039fR", "actor"),  # Greek Α, Cyrillic С Т, Greek Ο
        ("\uff21\uff23\uff34\uff2f\uff32", "Actor"),  # full width
        ("ACT0R", "ACTOR"),
        ("\u0440\u0430yp\u0430l", "paypal"),  # Cyrillic р, а
        ("\u039d\u0391\u039c\u0395", "NAME"),  # Greek capitals
    ],
)
def test_lookalikes_share_a_skeleton(name, like):
    assert skeleton(name) == skeleton(like)


@pytest.mark.parametrize(("name", "other"), [("café", "cafe"), ("ACTOR", "ACTORS"), ("B", "8")])
def test_different_names_keep_different_skeletons(name, other):
    assert skeleton(name) != skeleton(other)


def test_a_label_that_looks_like_an_existing_one_is_refused(project):
    with pytest.raises(ConflictError) as refused:
        project.add_label(CYRILLIC_ACTOR)
    assert str(refused.value) == (
        "label name 'ACTОR' looks like the existing label 'ACTOR' "
        "(U+041E CYRILLIC CAPITAL LETTER O); choose a name that differs in more than case or "
        "look-alike letters"
    )
    with pytest.raises(ConflictError, match="looks like the existing label 'ACTOR'"):
        project.update_label("PLATFORM", new_name="ACT0R")
    assert [label.name for label in project.labels()] == ["ACTOR", "PLATFORM", "MOTIVATION"]


def test_padded_and_decomposed_names_are_stored_normalised(project):
    project.add_label(" Cafe\u0301 ")
    assert project.label("Café").name == "Café"  # NFC, trimmed
    (doc,) = project.add_document("Some text here.").documents
    project.add_span(doc, "gold ", "ACTOR", 0, 4)
    project.set_status(doc, "\u3000gold", "done")
    assert [a.name for a in project.annotators()] == ["gold"]


@pytest.mark.parametrize("name", [" =x", "=x", "-", "…", "_a"])
def test_a_name_must_start_with_a_letter_or_digit(project, name):
    shown = name.strip()
    (doc,) = project.add_document("Some text here.").documents
    with pytest.raises(ConflictError) as refused:
        project.add_span(doc, name, "ACTOR", 0, 4)
    assert str(refused.value) == f"annotator name {shown!r} must start with a letter or digit"
    with pytest.raises(ConflictError, match="must start with a letter or digit"):
        project.add_label(name)
    assert project.annotators() == []


def test_an_annotator_that_looks_like_another_is_refused(project):
    (doc,) = project.add_document("Some text here.").documents
    project.add_span(doc, "gold", "ACTOR", 0, 4)
    with pytest.raises(ConflictError, match="annotator name 'G0ld' looks like the existing"):
        project.add_span(doc, "G0ld", "ACTOR", 5, 9)
    assert [a.name for a in project.annotators()] == ["gold"]


def test_import_normalises_names_and_refuses_lookalikes(project):
    doc = ImportedDocument(
        "Some text here.",
        spans=[ImportedSpan(0, 4, " ACTOR ", " alice ")],
        source="a.jsonl",
        verbatim=True,
    )
    project.import_documents([doc])
    (span,) = project.spans(project.document_ids()[0])
    assert (span.label, span.annotator) == ("ACTOR", "alice")
    for bad in (ImportedSpan(5, 9, CYRILLIC_ACTOR), ImportedSpan(5, 9, "ACTOR", "Alice")):
        hostile = ImportedDocument(
            "Some text here.", spans=[bad], source="b.jsonl", line=7, verbatim=True
        )
        with pytest.raises(ImportFailed) as failed:
            project.import_documents([hostile])
        (error,) = failed.value.errors
        assert (error.path, error.line) == (
            "b.jsonl",
            7,
        ) and "looks like the existing" in error.reason
    assert len(project.spans(project.document_ids()[0])) == 1


def test_a_schema_file_with_lookalike_labels_is_refused():
    text = json.dumps({"labels": [{"name": "ACTOR"}, {"name": CYRILLIC_ACTOR}]})
    with pytest.raises(InputError, match=r"name looks like label 1 \('ACTOR'\)"):
        parse_schema(text, "s.json")
    (spec,) = parse_schema(json.dumps([{"name": " PLACE "}]), "s.json")
    assert spec.name == "PLACE"
    with pytest.raises(InputError, match=r"description contains a control character \(U\+0000\)"):
        parse_schema(json.dumps([{"name": "X", "description": "a\x00b"}]), "s.json")


def _tamper(path, *statements) -> None:
    """Write what the app would refuse straight into a project file (a hostile collaborator)."""
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        for statement, values in statements:
            conn.execute(statement, values)


def test_merge_refuses_lookalike_names_and_changes_nothing(project, tmp_path):
    other = make_other(tmp_path / "bob.db")
    _tamper(other, ("UPDATE label SET name = ? WHERE name = 'ACTOR'", (CYRILLIC_ACTOR,)))
    with pytest.raises(InputError, match="label name 'ACTОR' looks like the existing label"):
        merge_files(project, [other])
    assert project.document_ids() == []
    other = make_other(tmp_path / "eve.db", annotator="eve")
    _tamper(other, ("UPDATE annotator SET name = ?", (" =x",)))
    with pytest.raises(InputError, match="annotator name '=x' must start with a letter or digit"):
        merge_files(project, [other])
    assert project.document_ids() == []


def test_merge_takes_padded_names_as_the_trimmed_ones(project, tmp_path):
    project.add_document(SHARED, verbatim=True)
    other = make_other(tmp_path / "bob.db", annotator="gold")
    _tamper(other, ("UPDATE annotator SET name = ?", ("gold ",)))
    merge_files(project, [other])
    assert [a.name for a in project.annotators()] == ["gold"]


def test_merge_drops_an_invalid_hotkey_and_description_and_reports_them(project, tmp_path):
    other = make_other(tmp_path / "bob.db")
    with Project(other) as theirs:
        theirs.add_label("WEAPON")
        theirs.add_label("DRONE")
    _tamper(
        other,
        ("UPDATE label SET hotkey = 'F1', description = ? WHERE name = 'WEAPON'", ("x\x00y",)),
        ("UPDATE label SET description = ? WHERE name = 'DRONE'", ("d" * 20_001,)),
    )
    report = merge_files(project, [other])
    weapon, drone = project.label("WEAPON"), project.label("DRONE")
    assert (weapon.hotkey, weapon.description, drone.description) == (None, "", "")
    assert [str(c) for c in report.counts["labels"].conflicts] == [
        f"{other}: new label 'WEAPON': hotkey 'F1' is not a single character 1-9 or a-z; "
        "the new label has none",
        f"{other}: new label 'WEAPON': description contains a control character (U+0000); "
        "the new label has none",
        f"{other}: new label 'DRONE': description is longer than 20,000 characters (20,001); "
        "the new label has none",
    ]


def test_descriptions_follow_the_same_rules_locally(project):
    with pytest.raises(ConflictError, match="description contains a control character"):
        project.add_label("WEAPON", description="\x1b[31m")
    with pytest.raises(ConflictError, match="description is longer than 20,000 characters"):
        project.update_label("ACTOR", description="d" * 20_001)
    project.update_label("ACTOR", description="Who acts.\n\tIncluding states.")
    assert project.label("ACTOR").description == "Who acts.\n\tIncluding states."


def test_checking_many_new_names_is_linear(project, monkeypatch, tmp_path):
    from annotator.core import lookalike

    calls = []
    real = lookalike.skeleton
    monkeypatch.setattr(lookalike, "skeleton", lambda name: calls.append(name) or real(name))
    n = 2000
    docs = [
        ImportedDocument(
            f"Text number {i}.", spans=[ImportedSpan(0, 4, "ACTOR", f"rater {i}")], verbatim=True
        )
        for i in range(n)
    ]
    project.import_documents(docs)
    assert len(project.annotators()) == n
    assert len(calls) <= 3 * n, f"{len(calls):,} skeletons for {n:,} new annotators"
    calls.clear()
    other = tmp_path / "many.db"
    with Project.create(other) as theirs:
        theirs.import_documents(
            [
                ImportedDocument(
                    f"Other text {i}.",
                    spans=[ImportedSpan(0, 5, "ACTOR", f"coder {i}")],
                    verbatim=True,
                )
                for i in range(n)
            ]
        )
    calls.clear()
    merge_files(project, [other])
    assert len(project.annotators()) == 2 * n
    assert len(calls) <= 5 * n, f"{len(calls):,} skeletons for {n:,} merged annotators"
