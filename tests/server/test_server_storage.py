"""A project on a PostgreSQL server: migrations from empty to head, upgrades, refusals."""

from __future__ import annotations

import sys
import threading
from functools import partial
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from annotator.core.commands import AddSpanCommand, StartDocument, carried_out
from annotator.core.errors import ProjectError
from annotator.core.model import Status
from annotator.core.project import DocumentFilter, Project
from annotator.core.settings import Settings, remember_project
from annotator.core.storage.engine import database_url, display_name
from annotator.core.storage.migrate import HEAD, REVISIONS, stored_revision
from annotator.core.storage.orm import Base
from annotator.core.storage.server import ServerAddress, has_password

TEXT = "Azerbaïjan bought the TB2 from Baykar."


def _migrate(url: str, revision: str) -> None:
    """Bring a server database to one revision with the project's own migrations."""
    config = Config()
    config.set_main_option("script_location", "annotator.core.storage:migrations")
    engine = create_engine(database_url(url))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()
    engine.dispose()


def _sql(url: str, statement: str):
    engine = create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_empty_database_migrates_to_head_matching_the_models(pg_empty_url):
    with Project.create(pg_empty_url) as project:
        assert project.path is None and project.backup is None
        assert [label.name for label in project.labels()] == ["ACTOR", "PLATFORM", "MOTIVATION"]
        with project.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert stored_revision(conn) == HEAD
            assert not inspect(conn).has_table("document_fts")  # FTS5 is SQLite-only
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
        with project.read_engine.connect() as conn:  # exports: one read-only snapshot
            assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"


@pytest.mark.postgresql
@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_every_old_revision_upgrades_on_the_server(pg_empty_url, revision):
    _migrate(pg_empty_url, revision)
    _sql(pg_empty_url, "INSERT INTO annotator (name, is_gold) VALUES ('ana', false)")
    with Project.open(pg_empty_url) as project:
        assert project.backup is None  # no file to copy; the upgrade was one transaction
        assert [a.name for a in project.annotators()] == ["ana"]
        project.add_label("ACTOR")
        doc = next(iter(project.add_document(TEXT).documents))
        project.add_span(doc, "ana", "ACTOR", 0, 10)
        assert project.documents(DocumentFilter(search="azerbaïjan"))[0].span_count == 1
    assert _sql(pg_empty_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]


@pytest.mark.postgresql
def test_newer_schema_and_foreign_databases_are_refused_unchanged(pg_url, pg_empty_url):
    Project.create(pg_url).close()
    _sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(ProjectError, match="newer version of annotator"):
        Project.open(pg_url)
    assert _sql(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]

    _sql(pg_empty_url, "CREATE TABLE invoices (id integer primary key)")
    with pytest.raises(ProjectError, match="not an annotator project"):
        Project.open(pg_empty_url)
    assert _sql(pg_empty_url, "SELECT count(*) FROM pg_tables WHERE tablename = 'label'") == [(0,)]


@pytest.mark.postgresql
def test_clients_opening_an_empty_database_at_once_migrate_it_once(pg_empty_url):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_it() -> None:
        try:
            barrier.wait()
            Project.open(pg_empty_url).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _sql(pg_empty_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_unreachable_server_is_a_clear_error_without_the_password():
    pytest.importorskip("psycopg")
    url = "postgresql://ana:s3cret@localhost:1/lab"
    with pytest.raises(ProjectError) as caught:
        Project.open(url)
    message = str(caught.value)
    assert message.startswith("postgresql+psycopg://ana:***@localhost:1/lab: cannot open")
    assert "s3cret" not in message
    assert display_name(url) == "postgresql+psycopg://ana:***@localhost:1/lab"


def test_a_password_in_the_url_query_is_hidden_like_one_after_the_user():
    pytest.importorskip("psycopg")
    url = "postgresql://ana@localhost:1/lab?sslmode=disable&password=s3cret"
    with pytest.raises(ProjectError) as caught:
        Project.open(url)
    message = str(caught.value)
    assert message.startswith("postgresql+psycopg://ana@localhost:1/lab?")
    assert "password=***" in message and "s3cret" not in message
    assert has_password(url) and not has_password("postgresql://ana@localhost/lab?sslmode=x")
    assert ServerAddress.from_url(url) == ServerAddress("lab", "ana", "localhost", 1)
    unparsable = "postgresql://ana:p@ss@h:notaport/db?password=s3cret"
    assert "s3cret" not in display_name(unparsable) and "ss@" not in display_name(unparsable)
    settings = Settings()
    remember_project(settings, url)
    assert settings.recent_projects == []


def test_urls_and_paths(tmp_path):
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@/db?host=/run/pg&port=5433") == (
        "postgresql+psycopg://u@/db?host=/run/pg&port=5433"
    )
    assert database_url(tmp_path / "p.db") == f"sqlite:///{tmp_path / 'p.db'}"
    with pytest.raises(ProjectError, match="not a database URL"):
        Project.open("postgresql://u@h:notaport/db")


@pytest.mark.postgresql
def test_a_socket_url_with_host_and_port_in_the_query(pg_url):
    from sqlalchemy import make_url

    rows = _sql(
        pg_url, "SELECT current_setting('unix_socket_directories'), current_setting('port')"
    )
    socket_dir, port = rows[0][0].split(",")[0].strip(), rows[0][1]
    if not socket_dir or not Path(socket_dir, f".s.PGSQL.{port}").exists():
        pytest.skip("the test server has no Unix socket on this machine")
    parsed = make_url(pg_url)
    url = f"postgresql://{parsed.username}@/{parsed.database}?host={socket_dir}&port={port}"
    with Project.create(url) as project:
        assert [label.name for label in project.labels()][:1] == ["ACTOR"]


def test_without_the_driver_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ProjectError, match=r"needs the psycopg driver .*annotator\[server\]"):
        Project.open("postgresql://ana@localhost/lab")


@pytest.mark.postgresql
def test_a_busy_writer_is_not_pinged_and_an_idle_dropped_connection_is_replaced(
    pg_empty_url, monkeypatch
):
    """A connection given back within IDLE_PING_SECONDS goes out unchecked (no round trip per
    transaction); one idle for longer is pinged, and one the server dropped is replaced."""
    from annotator.core.storage import engine as engines

    with Project.create(pg_empty_url) as project:
        doc = next(iter(project.add_document(TEXT).documents))
        dialect, pings = project.engine.dialect, []
        ping = dialect.do_ping
        monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(conn) or ping(conn))
        for n in range(5):
            project.add_span(doc, "alice", "ACTOR", n, n + 3)
        assert pings == []
        with project.engine.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        _sql(pg_empty_url, f"SELECT pg_terminate_backend({backend})")
        monkeypatch.setattr(engines, "IDLE_PING_SECONDS", -1.0)
        project.add_span(doc, "alice", "ACTOR", 10, 13)
        assert len(pings) >= 1
        assert len(project.spans(doc)) == 6


@pytest.mark.postgresql
def test_an_add_on_a_connection_the_server_dropped_fails_whole_and_the_next_one_reconnects(
    pg_empty_url,
):
    """The add goes straight to the driver (core.storage.driver): a connection the server
    dropped while it was pooled (too recently used to be pinged) fails that add, on its own or
    in the app's command, with the server's reason and nothing stored, and is replaced for the
    next one, as SQLAlchemy's own execution does."""
    with Project.create(pg_empty_url) as project:
        doc = next(iter(project.add_document(TEXT).documents))
        project.add_span(doc, "alice", "ACTOR", 0, 3)
        on_its_own = partial(project.add_span, doc, "alice", "ACTOR", 4, 7)
        command = AddSpanCommand(
            doc, "alice", "ACTOR", 8, 11, start_document=StartDocument(doc, "alice")
        )
        for add in (on_its_own, partial(carried_out, project, command.apply)):
            with project.engine.connect() as conn:
                backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
            _sql(pg_empty_url, f"SELECT pg_terminate_backend({backend}, 5000)")
            with pytest.raises(ProjectError, match=r"terminating connection.*nothing was changed"):
                add()
            add()
        assert [(s.start, s.end) for s in project.spans(doc)] == [(0, 3), (4, 7), (8, 11)]
        assert project.status(doc, "alice") is Status.IN_PROGRESS
