"""A task's result or error box opens only after its progress dialog is gone (issue 17 item 1).

A message box runs a nested event loop; a progress dialog whose 300 ms show timer is still armed
would pop up inside it, and the two window-modal dialogs would block each other for good.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.progress_dialog import SHOW_AFTER_MS
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000


@pytest.fixture
def window(qtbot, project):
    project.add_document("Baykar builds the TB2 drone for Azerbaijan.", "Seed")
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *args: None)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def boxes(monkeypatch, window):
    """Every message box spins its own nested loop past the progress dialog's show delay, then
    records its title and the progress dialogs that were visible while it was open."""
    seen: list[tuple[str, list[QProgressDialog]]] = []

    def nested_exec(box: QMessageBox) -> int:
        loop = QEventLoop()
        QTimer.singleShot(SHOW_AFTER_MS * 2, loop.quit)
        loop.exec()
        shown = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        seen.append((box.windowTitle(), shown))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", nested_exec)
    return seen


def _import(window, monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: ([str(path)], ""))
    window.actions_by_id["file.import"].trigger()


def test_the_import_result_box_never_shares_the_screen_with_its_progress_dialog(
    qtbot, window, boxes, monkeypatch, tmp_path
):
    seed = tmp_path / "seed.txt"
    seed.write_text("Türkiye sold the Bayraktar TB2 to Azerbaijan.\n", encoding="utf-8")
    _import(window, monkeypatch, seed)
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert boxes == [("Import Finished", [])]


def test_the_import_error_box_never_shares_the_screen_with_its_progress_dialog(
    qtbot, window, boxes, monkeypatch, tmp_path
):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": \n', encoding="utf-8")
    _import(window, monkeypatch, bad)
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert boxes == [("Import Failed", [])]


def test_the_suggest_all_result_box_never_shares_the_screen_with_its_progress_dialog(
    qtbot, window, boxes
):
    window.actions_by_id["suggest.all"].trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert boxes == [("Suggestions", [])]
    assert not [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
