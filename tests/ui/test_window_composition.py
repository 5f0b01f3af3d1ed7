"""The main window composes; controllers act (issue 16 item 5): the window stays small, every
action resolves to a controller's method, and no controller reaches back into the window."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

import annotator.ui as ui
from annotator.core.settings import Settings
from annotator.ui.actions import ACTIONS
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

UI = Path(ui.__path__[0])
CONTROLLERS = (
    "annotate_controller.py",
    "suggestion_controller.py",
    "review_controller.py",
    "project_controller.py",
    "view_controller.py",
    "relation_controller.py",
    "relation_suggestions.py",
    "find_bar.py",
    "status_bar.py",
    "action_state.py",
)
MAX_WINDOW_LINES = 300


def test_the_main_window_is_composition_only():
    assert len((UI / "main_window.py").read_text().splitlines()) <= MAX_WINDOW_LINES


@pytest.mark.parametrize("name", CONTROLLERS)
def test_no_controller_reaches_back_into_the_window(name):
    tree = ast.parse((UI / name).read_text())
    reaches = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("window", "parent", "parentWidget"))
        or (isinstance(node, ast.ImportFrom) and node.module == "annotator.ui.main_window")
    ]
    assert reaches == []


def test_every_action_calls_a_controller_method_not_the_window(qtbot, project):
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), print)
    qtbot.addWidget(window)
    controllers = window._controllers()
    for spec in ACTIONS:
        owner, _, method = spec.handler.partition(".")
        assert owner in controllers and method, spec.handler
        handler = getattr(controllers[owner], method)
        assert handler.__self__ is controllers[owner] and handler.__self__ is not window
