"""bench server_load: every writer reports the durability settings its own session ran with,
and the case accepts only durable ones (fsync and synchronous_commit on; SQLite FULL in WAL)."""

from __future__ import annotations

import pytest
from bench.cases.server_load import DURABLE
from bench.workers.server_load import durability

pytestmark = pytest.mark.any_backend


def test_a_writer_reports_what_its_session_runs_with(project):
    settings = durability(project)
    if project.engine.dialect.name == "sqlite":
        assert settings == DURABLE["sqlite"] == ["2", "wal"]
    else:  # the test server may run with fsync off; commits still wait for the WAL flush
        fsync, synchronous_commit = settings
        assert fsync in ("on", "off") and synchronous_commit == "on"
