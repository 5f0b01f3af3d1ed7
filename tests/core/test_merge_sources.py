"""What merge reads: the other file is never changed; bad files leave this project unchanged."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import ImportFailed, ProjectError
from annotator.core.model import Status
from annotator.core.project import Project
from annotator.io.merge_input import merge_files
from merge_builders import NEW, SHARED, dump, fingerprint, make_other

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def theirs(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    return folder


def test_the_other_file_is_not_changed_not_even_beside_it(project, theirs):
    other = make_other(theirs / "bob.db")
    before = fingerprint(other)
    merge_files(project, [other])
    assert fingerprint(other) == before


def test_a_file_still_open_elsewhere_is_read_with_its_wal(project, theirs):
    other = make_other(theirs / "bob.db")
    holder = Project(other)  # keeps the file open; new work sits in its WAL
    try:
        holder.add_document("Written while the file is open.")
        assert (theirs / "bob.db-wal").stat().st_size > 0
        main_bytes = other.read_bytes()
        report = merge_files(project, [other])
        assert report.counts["documents"].added == 3
        assert other.read_bytes() == main_bytes
    finally:
        holder.close()


def test_an_older_revision_is_upgraded_in_a_copy_never_in_place(project, theirs):
    other = theirs / "old.db"
    shutil.copy2(FIXTURES / "project-rev0001.db", other)
    before = fingerprint(other)
    report = merge_files(project, [other])
    assert fingerprint(other) == before, "no upgrade, no backup file, no WAL beside it"
    (doc_id,) = project.document_ids()
    assert [(s.annotator, s.label, s.start, s.end) for s in project.spans(doc_id)] == [
        ("alice", "ACTOR", 0, 6),
        ("alice", "PLATFORM", 14, 17),
    ]
    assert project.states(doc_id) == {"alice": Status.DONE}
    assert report.counts["spans"].added == 2


def _refused(project: Project, path: Path, error: type[Exception], message: str) -> None:
    before = dump(project.path)
    with pytest.raises(error) as raised:
        merge_files(project, [path])
    assert str(raised.value) == message
    assert dump(project.path) == before


def test_a_file_that_is_not_sqlite_is_refused(project, theirs):
    path = theirs / "notes.db"
    path.write_text("not a database at all")
    _refused(
        project, path, ProjectError, f"{path}: cannot open as a project (not a SQLite database)"
    )


def test_an_empty_or_missing_file_is_refused(project, theirs):
    empty = theirs / "empty.db"
    conn = sqlite3.connect(empty)
    conn.executescript("CREATE TABLE t (x); DROP TABLE t;")
    conn.close()
    _refused(project, empty, ProjectError, f"{empty}: not an annotator project (it has no tables)")
    missing = theirs / "missing.db"
    _refused(project, missing, ProjectError, f"{missing}: no such project file")


def test_another_programs_database_is_refused(project, theirs):
    path = theirs / "foreign.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    _refused(
        project, path, ProjectError, f"{path}: not an annotator project (it has tables invoices)"
    )
    assert fingerprint(path) == before


def test_a_newer_revision_is_refused_unchanged(project, theirs):
    path = make_other(theirs / "new.db")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(ProjectError, match=r"new\.db: made by a newer version of annotator"):
        merge_files(project, [path])
    assert fingerprint(path) == before
    assert project.count_documents() == 0


def test_a_span_beyond_its_text_is_refused_with_nothing_stored(project, theirs):
    path = make_other(theirs / "bad.db")
    conn = sqlite3.connect(path)
    conn.execute('UPDATE span SET "end" = 999 WHERE label_id = 2 AND document_id = 1')
    conn.commit()
    conn.close()
    message = f"{path}: document 'shared': span [12, 999) does not fit its text of 37 characters"
    _refused(project, path, ImportFailed, message)


def test_one_bad_file_among_several_stores_nothing(project, theirs):
    good = make_other(theirs / "good.db")
    bad = theirs / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    before = dump(project.path)
    with pytest.raises(ImportFailed, match=r"bad\.jsonl:2: invalid JSON"):
        merge_files(project, [good, bad])
    assert dump(project.path) == before


def test_merging_the_project_into_itself_is_refused(project):
    with pytest.raises(ProjectError, match="is this project itself"):
        merge_files(project, [project.path])


def test_jsonl_lines_per_annotator_merge_like_a_project(project, theirs):
    path = theirs / "tool.jsonl"
    lines = [
        {
            "text": SHARED,
            "annotator": "ann",
            "status": "done",
            "spans": [
                {"start": 0, "end": 6, "label": "ACTOR"},
                {"start": 12, "end": 15, "label": "DRONE", "annotator": "eve"},
            ],
        },
        {"text": SHARED, "annotator": "bea", "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]},
        {"text": NEW, "meta": {"id": 7}, "status": "skipped"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before = fingerprint(path)
    report = merge_files(project, [path], annotator="tool")
    docs = {doc.text: doc for doc in project.iter_documents()}
    spans = project.spans(docs[SHARED].id)
    assert sorted((s.annotator, s.label, s.start) for s in spans) == [
        ("ann", "ACTOR", 0),
        ("bea", "ACTOR", 0),
        ("eve", "DRONE", 12),
    ]
    assert project.states(docs[SHARED].id) == {"ann": Status.DONE}
    assert docs[NEW].meta == {"id": 7}
    assert project.states(docs[NEW].id) == {"tool": Status.SKIPPED}, "lines naming nobody"
    assert report.labels_added == ["DRONE"]
    assert report.counts["documents"].added == 2
    assert fingerprint(path) == before
    assert not merge_files(project, [path], annotator="tool").changed()
