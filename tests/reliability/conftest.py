"""Fixtures for the reliability tests: a local TCP listener that would hang any fetch, and a
tiny real disk."""

from __future__ import annotations

import socket
import subprocess
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


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MiB tmpfs (root only; skipped where mounting is not allowed)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)
