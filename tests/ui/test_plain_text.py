"""Names, titles, notes, descriptions, file names and errors that look like HTML are shown as
written: every widget, tooltip, item model and message of the main window and its dialogs is
swept for rich-text interpretation, and a local file named in an `<img>` is watched for opens."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QToolTip,
)

from annotator.core.errors import ImportFailed, InputError
from annotator.core.importing import ImportReport
from annotator.core.merge_records import MergeReport
from annotator.core.model import NewSuggestion
from annotator.core.settings import Settings
from annotator.io.importer import FileImportReport
from annotator.ui import dialogs, review_controller
from annotator.ui.agreement_dialog import AgreementDialog
from annotator.ui.error_dialog import show_error
from annotator.ui.import_controller import import_summary
from annotator.ui.main_window import MainWindow
from annotator.ui.merge_report_dialog import MergeReportDialog
from annotator.ui.plain import inform
from annotator.ui.quality_dialog import QualityDialog
from annotator.ui.review_dialog import ReviewSetupDialog
from annotator.ui.suggestion_settings import SuggestionSettingsDialog
from annotator.ui.training_dialog import TrainingDialog
from annotator.ui.workspace import Workspace

IMAGE = "evil.png"  # a FIFO in the test's working folder: any open of it is recorded
# Each tag carries an attribute the application never writes, so its own markup is not counted.
TAGS = (f'<img src="{IMAGE}">', '<b data-x="1">', '<a href="x:y">')
MARK = f"{TAGS[0]}{TAGS[1]}b</b>{TAGS[2]}a</a>"
TEXT = f"Alpha {MARK} beta gamma delta."
LABELS = ("L1" + MARK, "L2" + MARK)
ANNOTATORS = ("W" + MARK, "X" + MARK)


class _NoResources(QTextDocument):
    """Renders rich text as Qt would, without loading what it names."""

    def loadResource(self, kind, name):
        return None


def shown(text: str, text_format: Qt.TextFormat) -> str:
    """What a widget with this text and format shows: the text, or its rich-text rendering."""
    if text_format == Qt.TextFormat.PlainText:
        return text
    if text_format == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(text):
        return text
    document = _NoResources()
    document.setHtml(text)
    return document.toPlainText()


def misread(text: str, text_format: Qt.TextFormat) -> bool:
    """True when a tag of user text would be interpreted instead of shown."""
    seen = shown(text, text_format)
    return "\ufffc" in seen or any(seen.count(tag) < text.count(tag) for tag in TAGS)


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    tip = Qt.ItemDataRole.ToolTipRole
    row = 0
    while model.hasIndex(row, 0):
        column = 0
        while model.hasIndex(row, column):
            yield str(model.data(model.index(row, column), tip) or "")
            column += 1
        row += 1
    for column in range(64):
        yield str(model.headerData(column, Qt.Orientation.Horizontal, tip) or "")


def sinks() -> Iterator[tuple[str, str, Qt.TextFormat]]:
    """(where, text, format) of every text a live widget shows or would show as a tooltip."""
    auto = Qt.TextFormat.AutoText
    for widget in QApplication.allWidgets():
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel):
            yield where, widget.text(), widget.textFormat()
        yield f"{where} tooltip", widget.toolTip(), auto
        yield f"{where} what's this", widget.whatsThis(), auto
        for action in widget.actions():
            yield f"{where} action tooltip", action.toolTip(), auto
        if isinstance(widget, QAbstractItemView):
            for text in _model_texts(widget):
                yield f"{where} item tooltip", text, auto


class Sweep:
    """Collects misread texts; modal dialogs are swept when they would be shown."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.messages = 0

    def now(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.grab()  # lays out and paints: rich text would load its images here
        for where, text, text_format in sinks():
            if misread(text, text_format):
                self.problems.append(f"{where}: {text!r}")

    def record(self, where: str, text: str) -> None:
        self.messages += 1
        if misread(text, Qt.TextFormat.AutoText):
            self.problems.append(f"{where}: {text!r}")

    def install(self, monkeypatch) -> None:
        def modal(dialog: QDialog) -> int:
            self.messages += isinstance(dialog, QMessageBox)
            dialog.show()
            self.now()
            dialog.hide()
            return int(QMessageBox.StandardButton.No if isinstance(dialog, QMessageBox) else 0)

        monkeypatch.setattr(QDialog, "exec", modal)
        monkeypatch.setattr(QMessageBox, "exec", modal)
        for name in ("information", "question", "warning", "critical"):
            monkeypatch.setattr(
                QMessageBox,
                name,
                staticmethod(
                    lambda _p, title, text, *_a, n=name: self.record(f"{n} {title}", text)
                ),
            )
        monkeypatch.setattr(
            QToolTip, "showText", staticmethod(lambda _pos, text, *_a: self.record("tip", text))
        )


@pytest.fixture
def opened(tmp_path, monkeypatch) -> Iterator[Path]:
    """A FIFO named like the images in MARK; each open of it appends a line to the returned file."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["mkfifo", IMAGE], check=True)
    log = tmp_path / "opened.log"
    writer = subprocess.Popen(
        ["sh", "-c", f"while :; do : > {IMAGE}; echo opened >> {log.name}; done"]
    )
    yield log
    writer.kill()
    writer.wait()


@pytest.fixture
def hostile(project):
    """A project whose every user-supplied string is markup."""
    for key, name in zip("ab", LABELS, strict=True):
        project.add_label(name, hotkey=key, description=MARK)
    (doc,) = project.add_document(TEXT, "T" + MARK, source="/data/" + MARK).documents
    start = TEXT.index("beta")
    for annotator in ANNOTATORS:
        project.add_span(doc, annotator, LABELS[0], start, start + 4, note=MARK)
        project.set_status(doc, annotator, "done")
    project.store_suggestions(doc, MARK, [NewSuggestion(0, 5, LABELS[1], 0.9)])
    return doc


def test_every_widget_and_message_shows_markup_as_plain_text(
    qtbot, project, hostile, opened, runner, monkeypatch, tmp_path
):
    sweep = Sweep()
    sweep.install(monkeypatch)
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: list(ANNOTATORS))
    window = MainWindow(Workspace(project, ANNOTATORS[0]), Settings(auto_suggest=False), print)
    qtbot.addWidget(window)
    window.show()
    window.workspace.open_document(hostile)
    window.workspace.select_span(project.spans(hostile, ANNOTATORS[0])[0])
    window.labels_dock.show()
    sweep.now()

    window.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: window.review.tally.ready)
    sweep.now()

    window.workspace.error_raised.emit(MARK)  # an error dialog
    show_error(window, "Import", ImportFailed([InputError("/in/" + MARK, 3, MARK)]))
    show_error(window, "Oops", RuntimeError(MARK))
    dialogs.ask_open_read_only(window, "/p/" + MARK + ".db", ANNOTATORS[1])
    answers = iter([("Y" + MARK + "\a!", True), ("", False)])  # refused (a bell), then cancelled
    monkeypatch.setattr(dialogs.QInputDialog, "getText", lambda *a: next(answers))
    assert dialogs.ask_annotator_name(window, ANNOTATORS[0]) is None
    stored = ImportReport(labels_added=[LABELS[1]])
    skipped = [InputError("/in/" + MARK, 1, MARK)]
    inform(window, "Import Finished", import_summary(FileImportReport(stored, [], skipped)))

    window.actions_by_id["file.export"].trigger()
    export_dialog = window.project.exporter.dialog
    export_dialog.path_edit.setText(str(tmp_path / "out.jsonl"))
    before = sweep.messages
    export_dialog.accept()  # exports in a worker, then reports what it wrote
    qtbot.waitUntil(lambda: sweep.messages > before, timeout=20000)

    merge = MergeReport(sources=["/in/" + MARK + ".db"])
    merge.labels_added.append(LABELS[1])
    merge.conflict("labels", "/in/" + MARK + ".db", f"label {LABELS[0]!r} {MARK}")
    for dialog in (
        MergeReportDialog(merge, window),
        ReviewSetupDialog(list(ANNOTATORS), list(ANNOTATORS), ANNOTATORS[1], window),
        QualityDialog(project, ANNOTATORS[0], window),
        dialogs.ShortcutSheet(window.workspace.labels, window),
        SuggestionSettingsDialog(window.workspace, window),
        TrainingDialog(window.workspace, runner, window),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        sweep.now()
        dialog.close()

    agreement = AgreementDialog(window.workspace, runner, window)
    qtbot.addWidget(agreement)
    agreement.show()
    handle = agreement.compute()
    assert handle is not None
    with qtbot.waitSignal(handle.finished, timeout=20000):
        pass
    sweep.now()

    time.sleep(0.2)  # an image open would be logged by the FIFO's writer by now
    assert sweep.messages >= 5
    assert sweep.problems == []
    assert not opened.exists(), "a widget opened the image a name points at"
