"""The project file: pragmas, migrations, upgrades with backup, refusals that change nothing."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from annotator.core.errors import ProjectError
from annotator.core.model import ImportedDocument, Status, SuggestionStatus
from annotator.core.project import DocumentFilter, Project
from annotator.core.storage.migrate import HEAD, REVISIONS
from annotator.core.storage.orm import Base

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_connection_pragmas(project):
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_new_project_is_at_head_and_matches_the_models(project):
    with project.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == HEAD
        diffs = compare_metadata(context, Base.metadata)
        assert [d for d in diffs if not _is_search_index(d)] == []


def _is_search_index(diff) -> bool:
    """The FTS5 tables live outside the ORM models (created by migration 0002)."""
    return diff[0] == "remove_table" and diff[1].name.startswith("document_fts")


def test_revision_list_matches_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", "annotator.core.storage:migrations")
    script = ScriptDirectory.from_config(config)
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == REVISIONS


def test_offsets_check_constraint_holds_in_the_database(project):
    project.add_document("Baykar sold TB2")
    with pytest.raises(sqlite3.IntegrityError), sqlite3.connect(project.path) as raw:
        raw.execute(
            'INSERT INTO span (document_id, annotator_id, label_id, start, "end", source, '
            "note, created_at, updated_at) VALUES (1, 1, 1, 5, 5, 'manual', '', 0, 0)"
        )


@pytest.mark.parametrize("revision", REVISIONS[:-1])  # each has its fixture
def test_every_old_revision_upgrades_with_a_backup(tmp_path, revision):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / f"project-rev{revision}.db", path)
    before = _digest(path)
    with Project.open(path) as project:
        assert project.backup is not None
        backup = Path(project.backup)
        spans = project.spans(1)
        assert [(s.label, s.start, s.end) for s in spans] == [("ACTOR", 0, 6), ("PLATFORM", 14, 17)]
        assert [d.id for d in project.documents(DocumentFilter(search="azerbaïjan"))] == [1]
        (suggestion,) = project.suggestions(1)
        assert (suggestion.label, suggestion.status) == ("ACTOR", SuggestionStatus.PENDING)
        assert project.documents_with_suggestions("lexicon") == {1}  # 0004 back-fills runs
        assert project.set_rejected(1, "ACTOR", 0, 6, True)  # 0005: review decisions
        assert project.rejections(1) == {("ACTOR", 0, 6)}
        assert project.status(1, "alice") is Status.DONE
        project.remove_span(2)  # 0006: a removal records its span tombstone
        assert [s.label for s in project.spans(1)] == ["ACTOR"]
    assert _digest(backup) == before  # the backup is the file exactly as it was
    with sqlite3.connect(backup) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
    raw.close()
    with Project.open(path) as again:
        assert again.backup is None  # already at head: no second backup


def test_the_upgrade_to_0011_keys_stored_texts_so_an_import_finds_their_near_duplicates(
    tmp_path,
):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-rev0010.db", path)
    with Project.open(path) as project:
        stored = project.document(1).text  # "Baykar 🚀 sold TB2\r\nto Azerbaïjan — ..."
        flat = " ".join(stored.split())
        spaced = ImportedDocument(flat, "Flat", "flat.jsonl", line=3, verbatim=True)
        report = project.import_documents([spaced])
    assert [str(near) for near in report.near_duplicates] == [
        "'Flat' (flat.jsonl:3) has the same text as 'Baykar' (document 1) apart from whitespace"
    ]


def test_the_upgrade_to_0012_adds_relations_and_the_default_types_the_labels_fit(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-rev0011.db", path)
    with Project.open(path) as project:
        assert project.backup is not None
        # the fixture has ACTOR and PLATFORM but no MOTIVATION: MOTIVATES does not fit
        assert [kind.name for kind in project.relation_types()] == [
            "BUYS",
            "SUPPLIES",
            "PARTNERS_WITH",
        ]
        (relation,) = project.add_relation(1, "alice", "BUYS", 1, 2).relations
        assert project.relations(1) == [relation]
        changes = project.remove_span(1)  # the span's relation goes with it
        assert changes.relations_before == (relation,)
        assert project.relations(1) == []


def test_newer_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "future.db"
    Project.create(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    before = _digest(path)
    with pytest.raises(ProjectError, match="newer version of annotator"):
        Project.open(path)
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, this is not a database at all" * 200, "not a SQLite database"),
        (bytes(range(256)) * 64, "not a SQLite database"),
    ],
)
def test_foreign_files_are_refused_unchanged(tmp_path, content, message):
    path = tmp_path / "foreign.db"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)
    assert path.read_bytes() == content


def test_other_programs_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    raw.close()
    before = _digest(path)
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(path)
    assert _digest(path) == before


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "nope.db")
    with pytest.raises(ProjectError, match="is a folder"):
        Project.open(tmp_path)
    assert not (tmp_path / "nope.db").exists()


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "p.db"
    Project.create(path).close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path)


def test_shared_suggestion_decisions_become_every_annotators_on_upgrade(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-rev0004.db", path)
    raw = sqlite3.connect(path)
    with raw:  # a decision of 0004's shared kind, and a second annotator
        raw.execute("UPDATE suggestion SET status = 'rejected' WHERE id = 1")
        raw.execute("INSERT INTO annotator (name, is_gold) VALUES ('bob', 0)")
    raw.close()
    with Project.open(path) as project:
        for name in ("alice", "bob"):
            (kept,) = project.suggestions(1, status=None, annotator=name)
            assert kept.status is SuggestionStatus.REJECTED
        (fresh,) = project.suggestions(1, annotator="newcomer")
        assert fresh.id == kept.id and fresh.status is SuggestionStatus.PENDING
