"""What the CLI tests share: running `annotator` in this process, and a folder's digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.cli import main


def run(*argv: object) -> int:
    """`annotator ARGV...` in this process; its exit code."""
    return main([str(a) for a in argv])


def digest(path: Path) -> str:
    """A file's SHA-256, to show it unchanged."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
