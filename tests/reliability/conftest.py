"""Fixtures for the reliability tests: a local TCP listener that would hang any fetch."""

from __future__ import annotations

import socket
import time

import pytest


class Listener:
    """A local TCP port that accepts connections and never answers: a fetch would hang there."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.setblocking(False)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"

    def hits(self, wait: float = 0.2) -> int:
        """Connections that arrived (waiting briefly for late ones)."""
        count, deadline = 0, time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                conn, _ = self.server.accept()
            except BlockingIOError:
                time.sleep(0.01)
                continue
            conn.close()
            count += 1
        return count


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.server.close()
