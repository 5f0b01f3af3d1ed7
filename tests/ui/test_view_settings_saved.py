"""Opening the window writes no settings file (the GUI thread fsynced it once per ticked View
choice while building the window: part of a 285 ms stall in CI); a changed choice is saved."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from annotator.core.settings import Settings
from annotator.ui import view_controller
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace


@pytest.mark.parametrize("on", [True, False])
def test_the_stored_view_choices_are_not_written_again_on_open(qtbot, project, monkeypatch, on):
    saved: list[Settings] = []
    monkeypatch.setattr(view_controller, "save_settings", saved.append)
    settings = Settings(snap_to_words=on, label_tags=on, auto_suggest=False)
    window = MainWindow(Workspace(project, "alice"), settings, lambda *a: None)
    qtbot.addWidget(window)
    assert saved == []
    window.actions_by_id["view.snap"].trigger()
    window.actions_by_id["view.label_tags"].trigger()
    assert len(saved) == 2
    assert (settings.snap_to_words, settings.label_tags) == (not on, not on)
