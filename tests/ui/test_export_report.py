"""File > Export from the window reports its outcome after the dialog closed (issue 17 item 2).

The dialog is gone when the export ends; the controller that receives the task's success or
failure belongs to the window, so the report (files, split parts, spans) or the error
(`PATH: reason; nothing was written`) still reaches the user.
"""

from __future__ import annotations

import gc
import json
import shutil

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.io.writers.base import ExportReport
from annotator.ui.export_dialog import ExportDialog, export_message
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000


@pytest.fixture
def window(qtbot, project):
    for n in range(10):
        doc = next(iter(project.add_document(f"Doc {n}: Baykar TB2").documents))
        project.add_span(doc, "alice", "ACTOR", 7, 13)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *args: None)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def boxes(monkeypatch):
    """(title, text) of every message box shown; each is answered with OK."""
    seen: list[tuple[str, str]] = []

    def record(box: QMessageBox) -> int:
        seen.append((box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", record)
    return seen


def _export_through_the_dialog(qtbot, window, out, *, split: str | None = None) -> None:
    """File > Export, fill in the dialog, press OK; returns once the dialog has closed."""

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportDialog)
        if split:
            dialog.split_check.setChecked(True)
            dialog.split_edit.setText(split)
        dialog.path_edit.setText(str(out))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        filled.append(not dialog.isVisible())

    filled: list[bool] = []
    QTimer.singleShot(0, fill_in)  # runs inside the dialog's loop, or right after open()
    window.actions_by_id["file.export"].trigger()
    qtbot.waitUntil(lambda: bool(filled), timeout=WAIT_MS)
    assert filled == [True]  # OK closed the dialog
    gc.collect()  # nothing the closed dialog held may be needed for the report


def test_a_split_export_reports_files_parts_and_spans_after_the_dialog_closed(
    qtbot, window, boxes, tmp_path
):
    out = tmp_path / "corpus"
    _export_through_the_dialog(qtbot, window, out, split="0.6,0.2,0.2")
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert boxes == [
        (
            "Export Finished",
            f"Exported 10 documents to {out}.\nSpans: ACTOR 10.\n"
            "Parts: train.jsonl 6 documents and 6 spans, dev.jsonl 2 documents and 2 spans, "
            "test.jsonl 2 documents and 2 spans.",
        )
    ]
    assert len((out / "train.jsonl").read_text(encoding="utf-8").splitlines()) == 6


def test_an_export_to_an_unwritable_place_says_why_after_the_dialog_closed(qtbot, window, boxes):
    out = "/proc/annotator-export.jsonl"  # not writable, even for root
    _export_through_the_dialog(qtbot, window, out)
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    ((title, text),) = boxes
    assert title == "Export Failed"
    reason = "the folder is not writable (it accepts no new files)"  # not "no such folder"
    assert text == f"{out}: {reason}; nothing was written"


def test_the_dialog_offers_this_projects_last_choices_again(
    qtbot, window, boxes, tmp_path, project
):
    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
        dialog.only_done_check.setChecked(True)

    QTimer.singleShot(0, fill_in)
    _export_through_the_dialog(qtbot, window, tmp_path / "corpus", split="0.5,0.5")
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    window.actions_by_id["file.export"].trigger()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ExportDialog)
    assert dialog.fmt() == "csv" and dialog.only_done_check.isChecked()
    assert dialog.split_check.isChecked() and dialog.split_edit.text() == "0.5,0.5"
    dialog.reject()

    other = Project.create(tmp_path / "other.db")  # another project starts from the defaults
    second = MainWindow(Workspace(other, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(second)
    second.show()
    second.actions_by_id["file.export"].trigger()
    fresh = QApplication.activeModalWidget()
    assert fresh.fmt() == "jsonl" and not fresh.split_check.isChecked()
    assert fresh.path_edit.text() == ""  # nor an output path
    fresh.reject()
    second.close()
    other.close()


def _reopened(window) -> ExportDialog:
    window.actions_by_id["file.export"].trigger()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ExportDialog)
    return dialog


def test_the_dialog_offers_this_projects_last_output_and_labels_again(
    qtbot, window, boxes, tmp_path, monkeypatch
):
    """Issue 17: the output path was forgotten. It comes back with the labels left out; when
    its folder is gone, the same name in the nearest folder above that exists; when only the
    root is left, in the home folder."""
    (tmp_path / "exports" / "run1").mkdir(parents=True)
    out = tmp_path / "exports" / "run1" / "corpus.jsonl"

    def untick() -> None:
        labels = QApplication.activeModalWidget().labels_list
        labels.findItems("MOTIVATION", Qt.MatchFlag.MatchExactly)[0].setCheckState(
            Qt.CheckState.Unchecked
        )

    QTimer.singleShot(0, untick)
    _export_through_the_dialog(qtbot, window, out)
    qtbot.waitUntil(lambda: bool(boxes), timeout=WAIT_MS)
    assert out.is_file()
    dialog = _reopened(window)
    assert dialog.path_edit.text() == str(out)
    assert dialog.labels() == ("ACTOR", "PLATFORM")
    dialog.reject()

    shutil.rmtree(tmp_path / "exports" / "run1")
    dialog = _reopened(window)
    assert dialog.path_edit.text() == str(tmp_path / "exports" / "corpus.jsonl")
    dialog.reject()

    monkeypatch.setenv("HOME", str(tmp_path))
    stored = json.loads(QSettings().value(window.project.exporter._choices_key()))
    stored["path"] = "/no-such-folder-anywhere/exports/corpus.jsonl"
    QSettings().setValue(window.project.exporter._choices_key(), json.dumps(stored))
    dialog = _reopened(window)
    assert dialog.path_edit.text() == str(tmp_path / "corpus.jsonl")
    dialog.reject()


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", '{"format": "nope", "seed": "x"}'])
def test_unreadable_remembered_choices_leave_the_defaults(qtbot, window, stored):
    exporter = window.project.exporter
    QSettings().setValue(exporter._choices_key(), stored)
    window.actions_by_id["file.export"].trigger()
    dialog = QApplication.activeModalWidget()
    assert dialog.fmt() == "jsonl" and dialog.seed_spin.value() == 0
    dialog.reject()


def test_the_result_box_is_sentences_with_every_adjusted_and_dropped_span(tmp_path):
    report = ExportReport(tmp_path / "x.spacy", documents=1)
    report.spans_per_label.update({"PLATFORM": 1200, "ACTOR": 1})
    report.adjusted["trimmed of surrounding whitespace"] = 3
    report.dropped["no token boundaries"] = 1
    assert export_message(report).splitlines() == [
        f"Exported 1 document to {tmp_path / 'x.spacy'}.",
        "Spans: ACTOR 1, PLATFORM 1,200.",
        "Adjusted 3 spans: trimmed of surrounding whitespace.",
        "Dropped 1 span: no token boundaries.",
    ]
    assert export_message(ExportReport(tmp_path / "y.jsonl")).endswith("\nNo spans.")


def test_the_result_box_counts_relations_per_type_and_says_what_was_left_out(tmp_path):
    report = ExportReport(tmp_path / "x.conll", documents=1)
    report.spans_per_label.update({"ACTOR": 2})
    report.relations_per_type.update({"SUPPLIES": 1, "BUYS": 2, "MOTIVATES": 0})
    report.notes["relations left out (CoNLL cannot hold relations)"] = 4
    assert export_message(report).splitlines() == [
        f"Exported 1 document to {tmp_path / 'x.conll'}.",
        "Spans: ACTOR 2.",
        "Relations: BUYS 2, SUPPLIES 1.",
        "4 relations left out (CoNLL cannot hold relations).",
    ]
