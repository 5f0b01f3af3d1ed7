"""The window's keys work again when a dialog over it closes (issue 17 item 8: "F8 sometimes
does nothing"). Closing a dialog that had the focus left no window active where no window
manager steps in (the offscreen platform here, a bare X server in tests/realwindow); Qt then
delivers no shortcut at all. F8 must reach review mode after the export dialog, its progress
dialog and its result box, and after a message box opened over a dialog, that dialog gets the
keys back, not the window under it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QMessageBox

from annotator.core.settings import Settings
from annotator.ui import review_controller
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.plain import inform
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000
TEXT = "Baykar sold TB2 drones to Poland and Ukraine."


def at(word: str) -> tuple[str, int, int]:
    return ("ACTOR", TEXT.index(word), TEXT.index(word) + len(word))


@pytest.fixture
def window(qtbot, project, monkeypatch):
    (doc,) = project.add_document(TEXT, "Drones").documents
    for who, word in (("alice", "Baykar"), ("bob", "Poland"), ("alice", "Ukraine")):
        project.add_span(doc, who, "ACTOR", *at(word)[1:])
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: ["alice", "bob"])
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    win.workspace.open_document(doc)
    win.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: win.review.tally.ready)
    win.article.setFocus()
    yield win
    win.close()


def answer_boxes(answered: list[str]) -> QTimer:
    """Presses OK in every message box that opens (as a user would), recording its title."""

    def press_ok() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            answered.append(box.windowTitle())
            box.button(QMessageBox.StandardButton.Ok).click()

    timer = QTimer()
    timer.timeout.connect(press_ok)
    timer.start(50)
    return timer


def test_f8_moves_on_after_the_export_dialog_its_progress_and_its_result_box(
    qtbot, window, tmp_path
):
    assert window.review.current == at("Baykar")

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        dialog.path_edit.setText(str(tmp_path / "out.jsonl"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answered: list[str] = []
    QTimer.singleShot(0, fill_in)
    window.actions_by_id["file.export"].trigger()
    boxes = answer_boxes(answered)
    qtbot.waitUntil(lambda: answered == ["Export Finished"], timeout=WAIT_MS)
    boxes.stop()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is window.article  # where it was before the dialogs
    qtbot.keyClick(window.article, Qt.Key.Key_F8)
    assert window.review.current == at("Poland")


def test_a_box_over_a_dialog_gives_the_keys_back_to_that_dialog(qtbot, window):
    dialog = QDialog(window)
    dialog.setModal(True)
    QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog).rejected.connect(dialog.reject)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    answered: list[str] = []
    boxes = answer_boxes(answered)
    inform(dialog, "Note", "Something happened.")  # returns once OK was pressed
    boxes.stop()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert answered == ["Note"]
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.article, Qt.Key.Key_F8)
    assert window.review.current == at("Poland")


def test_a_dialog_closed_without_any_widget_of_it_taking_the_focus_gives_the_keys_back(
    qtbot, window
):
    """As a result box answered by a click before Qt gave its button the focus (seen on a
    loaded machine): the window's focus goes to nothing when the dialog activates, and no
    focus change marks the dialog's closing."""
    dialog = QDialog(window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    QLabel("Done.", dialog)  # nothing in it takes the focus
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is None
    dialog.accept()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.article, Qt.Key.Key_F8)
    assert window.review.current == at("Poland")
