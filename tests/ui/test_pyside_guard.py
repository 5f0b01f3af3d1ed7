"""Guard: PySide6 6.12 on Python 3.11 aborts after ~5,000 void Qt calls (none_dealloc)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("PySide6")

SCRIPT = """
from PySide6.QtCore import QObject, Signal

class Emitter(QObject):
    fired = Signal(bool)

obj = Emitter()
seen = []
obj.fired.connect(seen.append)
for _ in range(20_000):
    obj.setObjectName("x")
for i in range(5_000):
    obj.fired.emit(i % 2 == 0)
assert len(seen) == 5_000 and obj.objectName() == "x"
print("ok")
"""


def test_many_void_qt_calls_do_not_abort_the_interpreter():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
