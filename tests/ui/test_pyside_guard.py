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


# -- every Qt override carries the one guard (ui/guard.py) -----------------------------------

HIGHLIGHTER = """
import logging, sys
from PySide6.QtGui import QSyntaxHighlighter, QTextDocument
from PySide6.QtWidgets import QApplication
from annotator.ui.guard import qt_override

logging.basicConfig(level=logging.ERROR)
app = QApplication([])

class Broken(QSyntaxHighlighter):
    def highlightBlock(self, text):
        "abc".index("zzz")  # a built-in's exception: on Python 3.11 it aborts the process

if sys.argv[1] == "guarded":
    Broken.highlightBlock = qt_override()(Broken.highlightBlock)
document = QTextDocument()
highlighter = Broken(document)
document.setPlainText("one\\ntwo")
print("still running")
"""


def _run_highlighter(mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", HIGHLIGHTER, mode],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_an_exception_in_a_guarded_override_is_logged_and_the_app_keeps_running():
    guarded = _run_highlighter("guarded")
    assert guarded.returncode == 0, guarded.stderr[-2000:]
    assert guarded.stdout.strip() == "still running"
    assert "Broken.highlightBlock failed" in guarded.stderr  # the log has the traceback
    assert "ValueError: substring not found" in guarded.stderr
    if sys.version_info < (3, 12):  # the hazard the guard exists for is real here
        assert _run_highlighter("bare").returncode != 0


def test_a_guarded_model_override_gives_qt_its_fallback_and_logs(qapp, caplog):
    from PySide6.QtCore import QAbstractListModel, QSortFilterProxyModel

    from annotator.ui.guard import qt_override

    class Broken(QAbstractListModel):
        @qt_override(0)
        def rowCount(self, parent=None):
            raise RuntimeError("a bug in rowCount")

        def data(self, index, role=0):
            return None

    source = Broken()
    proxy = QSortFilterProxyModel()
    with caplog.at_level("ERROR", logger="annotator.ui.guard"):
        proxy.setSourceModel(source)  # Qt asks the source for its rows from C++
        assert proxy.rowCount() == 0
    assert any("Broken.rowCount failed" in r.getMessage() for r in caplog.records)
    assert "a bug in rowCount" in caplog.text


def _ui_overrides():
    """(class, method name, function) for every method a ui/ class defines over a Qt one."""
    import importlib
    import inspect
    import pkgutil

    import annotator.ui as ui

    for info in pkgutil.iter_modules(ui.__path__):
        module = importlib.import_module(f"annotator.ui.{info.name}")
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            qt_bases = [b for b in cls.__mro__ if b.__module__.startswith("PySide6")]
            for name, function in vars(cls).items():
                overrides = any(hasattr(base, name) for base in qt_bases)
                if overrides and inspect.isfunction(function) and not name.startswith("__"):
                    yield cls, name, function


def test_every_qt_override_in_ui_carries_the_guard(qapp):
    from annotator.ui.guard import is_guarded

    overrides = list(_ui_overrides())
    assert len(overrides) > 30  # the walk finds them (paintEvent, data(), eventFilter, ...)
    unguarded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls, name, function in overrides
        if not is_guarded(function)
    ]
    assert unguarded == [], "decorate these with @qt_override(fallback) (ui/guard.py)"


def test_no_override_guards_itself_by_hand():
    """The decorator replaces the hand-written try/except-and-log blocks of the overrides."""
    import ast
    from pathlib import Path

    import annotator.ui as ui

    by_hand = []
    for path in sorted(Path(ui.__path__[0]).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            camel = isinstance(node, ast.FunctionDef) and node.name != node.name.lower()
            if not camel or node.name.startswith("_"):  # Qt's overrides are camelCase
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ExceptHandler) and "log.exception" in ast.unparse(inner):
                    by_hand.append(f"{path.name}:{node.name}")
    assert by_hand == []
