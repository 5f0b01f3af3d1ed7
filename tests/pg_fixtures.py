"""PostgreSQL fixtures: a real server or a skip with the reason, never a fake.

The server comes from ANNOTATOR_TEST_PG_URL (an account that may CREATE DATABASE), else from
localhost:5432 as `postgres`. Each test gets its own database, dropped afterwards. With
ANNOTATOR_TEST_PG_REQUIRED=1 (CI) a missing server fails the tests instead of skipping them.

Markers: `postgresql` runs against the server; `any_backend` (or a place in ANY_BACKEND) runs a
module's tests that use the `project` fixture twice, on SQLite and on PostgreSQL
(ANNOTATOR_TEST_PG_EVERYWHERE=1 does that for every module: a portability sweep).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

ENV_URL = "ANNOTATOR_TEST_PG_URL"
ENV_REQUIRED = "ANNOTATOR_TEST_PG_REQUIRED"
ENV_EVERYWHERE = "ANNOTATOR_TEST_PG_EVERYWHERE"
"""Set to 1 to run every test that uses `project` on PostgreSQL too (a portability sweep)."""
LOCAL_URL = "postgresql+psycopg://postgres@localhost:5432/postgres"
NO_SERVER = (
    f"no PostgreSQL server answers ({{reason}}); set {ENV_URL}=postgresql+psycopg://USER@HOST/DB "
    "(an account that may CREATE DATABASE) or start one with `.ci/pg-server start DIR`"
)
ANY_BACKEND = (
    "core/test_project.py",
    "core/test_commands.py",
    "core/test_document_order.py",
    "core/test_suggestions.py",
    "core/test_bulk.py",
    "io/test_exporter.py",
    "io/test_format_conll.py",
    "io/test_format_brat.py",
    "nlp/test_nlp_runner_store.py",
)
"""Test modules (under tests/) whose `project` tests also run on PostgreSQL."""


def _any_backend(metafunc: pytest.Metafunc) -> bool:
    if metafunc.definition.get_closest_marker("any_backend") or os.environ.get(ENV_EVERYWHERE):
        return True
    path = metafunc.definition.path.as_posix()
    return any(path.endswith("tests/" + name) for name in ANY_BACKEND)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and _any_backend(metafunc):
        metafunc.parametrize(
            "backend",
            ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
            indirect=True,
        )


def _admin_engine(url: str):
    from sqlalchemy import NullPool, create_engine

    return create_engine(
        url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}, poolclass=NullPool
    )


def _probe(url: str) -> str | None:
    """None when the server answers at `url`, else why not."""
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        return "psycopg is not installed: pip install -e '.[dev]'"
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from annotator.core.storage.engine import database_url

    engine = _admin_engine(database_url(url))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except SQLAlchemyError as exc:
        return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The URL of a maintenance database on a live server (skip or fail when none answers)."""
    from annotator.core.storage.engine import database_url

    url = database_url(os.environ.get(ENV_URL) or LOCAL_URL)
    problem = _probe(url)
    if problem is not None:
        message = NO_SERVER.format(reason=problem)
        if os.environ.get(ENV_REQUIRED) == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


class Databases:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import make_url

        self._admin = _admin_engine(admin_url)
        self._url = make_url(admin_url)
        self.made: list[str] = []

    def url(self, name: str) -> str:
        """The URL of the database `name` on the same server, as the same account."""
        return self._url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of `template` when given); returns its URL."""
        from sqlalchemy import text

        name = f"annotator_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.made.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a database made here, cutting off connections a test left open."""
        from sqlalchemy import make_url, text

        name = make_url(url).database
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(self.url(name))
        self._admin.dispose()


@pytest.fixture(scope="session")
def pg_databases(pg_admin_url: str) -> Iterator[Databases]:
    """The session's database maker; every database it made is dropped at the end."""
    databases = Databases(pg_admin_url)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def pg_template(pg_databases: Databases) -> str:
    """A database migrated to head once per session, copied for each test (fast and real)."""
    from annotator.core.project import Project

    url = pg_databases.create()
    Project(url, create=True).close()
    return url.rsplit("/", 1)[1]


@pytest.fixture
def pg_empty_url(pg_databases: Databases) -> Iterator[str]:
    """A fresh, empty database on the server (no schema)."""
    url = pg_databases.create()
    yield url
    pg_databases.drop(url)


@pytest.fixture
def pg_url(pg_databases: Databases, pg_template: str) -> Iterator[str]:
    """A fresh database at head schema, with no labels yet (Project.create adds them)."""
    url = pg_databases.create(template=pg_template)
    yield url
    pg_databases.drop(url)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where the `project` fixture lives: sqlite, or postgresql under `any_backend`."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def project_target(backend: str, tmp_path, request: pytest.FixtureRequest):
    """A path for a new SQLite project, or the URL of a fresh server database."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "project.db"
