"""Layering: the core, io and cli import neither Qt nor spaCy (the GUI and models load lazily)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import annotator.core, annotator.io, annotator.cli
heavy = sorted(m for m in ("PySide6", "spacy") if m in sys.modules)
print(",".join(heavy))
"""


def test_core_io_cli_do_not_load_qt_or_spacy():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"loaded at import time: {done.stdout.strip()}"
