"""ANNOTATOR_STARTUP_T0 makes the app report its first painted window and quit."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication, QMainWindow

from annotator.ui import startup_probe


def test_first_window_is_reported_then_the_app_quits(qtbot, monkeypatch, capsys):
    quits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: quits.append(code)))
    monkeypatch.setenv(startup_probe.ENV, repr(time.time()))
    window = QMainWindow()
    qtbot.addWidget(window)
    startup_probe.watch_from_environment(window)
    window.show()
    qtbot.waitUntil(lambda: quits == [0])
    assert capsys.readouterr().out.startswith("first window: ")


def test_nothing_is_watched_without_the_variable_or_with_a_bad_value(qtbot, monkeypatch, capsys):
    quits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: quits.append(code)))
    window = QMainWindow()
    qtbot.addWidget(window)
    for value in (None, "soon"):
        if value is None:
            monkeypatch.delenv(startup_probe.ENV, raising=False)
        else:
            monkeypatch.setenv(startup_probe.ENV, value)
        startup_probe.watch_from_environment(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(50)
    assert quits == [] and capsys.readouterr().out == ""
