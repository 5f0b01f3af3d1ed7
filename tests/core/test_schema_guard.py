"""A shared project file carrying someone else's SQL (triggers, views, expression indexes,
changed definitions) is refused on open and on merge before that SQL can run."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import ProjectError
from annotator.core.project import DocumentFilter, Project
from annotator.core.storage.expected_schema_build import build
from annotator.core.storage.migrate import REVISIONS
from annotator.core.storage.schema_guard import expected_objects
from annotator.io.merge_input import merge_files

FIXTURES = Path(__file__).parents[1] / "fixtures"
WIPE_OTHERS = (
    "CREATE TRIGGER keep_mine AFTER INSERT ON span BEGIN "
    "DELETE FROM span WHERE annotator_id != new.annotator_id; END"
)
PLANTED = {  # SQL someone added -> how the refusal names it
    "trigger": (WIPE_OTHERS, "trigger 'keep_mine'"),
    "view": ("CREATE VIEW everything AS SELECT * FROM span", "view 'everything'"),
    "expression index": (
        "CREATE INDEX ix_note_length ON span (length(note))",
        "index 'ix_note_length'",
    ),
    "the name of a trigger revisions 0002-0006 had": (
        "CREATE TRIGGER document_fts_ai AFTER INSERT ON document BEGIN DELETE FROM span; END",
        "trigger 'document_fts_ai'",
    ),
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shared_project(path: Path, planted: str) -> Path:
    """A project holding other annotators' spans, with `planted` SQL added by someone else."""
    with Project.create(path) as project:
        (doc_id,) = project.add_document("Baykar sold TB2 drones to Azerbaijan.", "news").documents
        for start, name in enumerate(("bob", "carol", "gold")):
            project.add_span(doc_id, name, "ACTOR", start, start + 6)
    with sqlite3.connect(path) as conn:
        conn.executescript(planted)
    conn.close()
    return path


def test_the_expected_schema_module_is_up_to_date_with_the_migrations():
    built = build()
    assert list(built) == list(REVISIONS), (
        "run `python -m annotator.core.storage.expected_schema_build` after adding a migration"
    )
    for revision, objects in built.items():
        assert expected_objects(revision) == objects, (
            f"expected_schema.py is out of date for {revision}: run "
            "`python -m annotator.core.storage.expected_schema_build`"
        )


def test_a_planted_trigger_cannot_delete_other_annotators_spans(tmp_path, capsys):
    path = _shared_project(tmp_path / "shared.db", WIPE_OTHERS)
    before = _digest(path)
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text(
        '{"text": "Another article.", "spans": [{"start": 0, "end": 7, "label": "ACTOR"}]}\n'
    )
    assert main(["import", "--db", str(path), "--annotator", "alice", str(jsonl)]) == 1
    err = capsys.readouterr().err
    assert "trigger 'keep_mine'" in err and "did not create" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert _digest(path) == before
    with sqlite3.connect(path) as conn:  # nothing ran: the others' spans are all there
        assert conn.execute("SELECT count(*) FROM span").fetchone()[0] == 3


@pytest.mark.parametrize("kind", PLANTED)
def test_foreign_sql_is_refused_on_open_and_on_merge(tmp_path, kind):
    planted, named = PLANTED[kind]
    path = _shared_project(tmp_path / "shared.db", planted)
    before = _digest(path)
    with pytest.raises(ProjectError, match=r"shared\.db: refused: it holds SQL") as raised:
        Project(path)
    assert named in str(raised.value)
    ours = Project.create(tmp_path / "ours.db")
    with pytest.raises(ProjectError, match=r"shared\.db: refused: it holds SQL"):
        merge_files(ours, [path])
    assert ours.count_documents() == 0
    ours.close()
    assert _digest(path) == before


def test_foreign_sql_in_an_old_revision_is_refused_before_the_upgrade(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-rev0001.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute(WIPE_OTHERS)
    conn.close()
    before = _digest(path)
    with pytest.raises(ProjectError, match="trigger 'keep_mine'"):
        Project(path)
    assert _digest(path) == before
    assert not list(tmp_path.glob("old.db.backup-*"))


@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_every_fixture_revision_still_opens_merges_and_upgrades(tmp_path, revision):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / f"project-rev{revision}.db", path)
    ours = Project.create(tmp_path / "ours.db")
    merge_files(ours, [path])  # read through the untrusted copy, upgraded there
    assert ours.count_documents() == 1
    ours.close()
    with Project(path) as project:
        assert project.count_documents() == 1
    with Project(path) as project:  # at head now, checked again
        assert project.count_documents() == 1


def test_every_connection_sets_trusted_schema_off_and_search_still_finds_new_documents(tmp_path):
    other = Project.create(tmp_path / "other.db")
    other.add_document("Baykar builds the TB2 drone", title="merged")
    other.close()
    with Project.create(tmp_path / "ours.db") as project:
        project.add_document("Azerbaijan buys JF-17C Thunder jets", title="imported")
        merge_files(project, [tmp_path / "other.db"])
        for engine in (project.engine, project.read_engine):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
        found = {
            word: [d.title for d in project.documents(DocumentFilter(search=word))]
            for word in ("thunder", "baykar", "drone jets")
        }
    assert found == {"thunder": ["imported"], "baykar": ["merged"], "drone jets": []}
    conn = sqlite3.connect(tmp_path / "ours.db")
    conn.execute("INSERT INTO document_fts(document_fts) VALUES ('integrity-check')")
    conn.close()
