"""Suggestions > Train Project Model: options, training in a worker, scores, errors, cancel."""

from __future__ import annotations

import random
import threading

import pytest

pytest.importorskip("PySide6")

from annotator.core.errors import Cancelled
from annotator.core.layers import ALL, GOLD, MAJORITY
from annotator.core.model import Status
from annotator.core.project import Project
from annotator.nlp.projectmodel import recorded_model
from annotator.ui import training_dialog
from annotator.ui.training_dialog import TrainingDialog, TrainOptions, run_training
from annotator.ui.workspace import Workspace

WAIT_MS = 60_000
ACTORS = ["Baykar", "Turkey", "Poland", "Saab", "Embraer", "Rheinmetall", "Hanwha"]
PLATFORMS = ["TB2 drones", "K2 tanks", "Gripen jets", "C-390 transports", "CV90 vehicles"]


def fill_tiny_corpus(project: Project, n: int = 16, annotator: str = "alice") -> None:
    """n short articles ("A sold P to B.") with ACTOR and PLATFORM spans, marked done."""
    rng = random.Random(7)
    for i in range(n):
        text, spans = "", []
        for _ in range(2):
            a, p, b = rng.choice(ACTORS), rng.choice(PLATFORMS), rng.choice(ACTORS)
            start = len(text)
            text += f"{a} sold {p} to {b}. "
            spans += [
                ("ACTOR", start, start + len(a)),
                ("PLATFORM", start + len(a) + 6, start + len(a) + 6 + len(p)),
                ("ACTOR", len(text) - len(b) - 2, len(text) - 2),
            ]
        text += f"Report {i}."
        (doc_id,) = project.add_document(text, title=f"article {i}").documents
        for label, start, end in spans:
            project.add_span(doc_id, annotator, label, start, end)
        project.set_status(doc_id, annotator, Status.DONE)


@pytest.fixture
def errors(monkeypatch):
    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(
        training_dialog, "show_error", lambda parent, title, error: seen.append((title, error))
    )
    return seen


def test_layers_offered_and_options_collected(qtbot, project, runner):
    project.add_document("Baykar sold TB2 drones.", "one")
    project.add_span(1, "alice", "ACTOR", 0, 6)
    project.add_span(1, "bob", "ACTOR", 0, 6)
    project.set_gold("bob")
    dialog = TrainingDialog(Workspace(project, "alice"), runner, None, max_steps=7)
    qtbot.addWidget(dialog)
    layers = [dialog.layer_combo.itemData(i) for i in range(dialog.layer_combo.count())]
    assert layers == [GOLD, "alice", "bob", ALL, MAJORITY]
    assert dialog.options() == TrainOptions(GOLD, 0.2, False, 7)  # gold first, 20 % held out
    dialog.layer_combo.setCurrentIndex(layers.index(MAJORITY))
    dialog.holdout_spin.setValue(30)
    dialog.ner_check.setChecked(True)
    assert dialog.options() == TrainOptions(MAJORITY, 0.3, True, 7)


def test_without_gold_the_only_annotator_is_the_default(qtbot, project, runner):
    project.add_document("Baykar sold TB2 drones.", "one")
    project.add_span(1, "alice", "ACTOR", 0, 6)
    dialog = TrainingDialog(Workspace(project, "alice"), runner)
    qtbot.addWidget(dialog)
    layers = [dialog.layer_combo.itemData(i) for i in range(dialog.layer_combo.count())]
    assert GOLD not in layers
    assert dialog.options().layer == "alice"
    assert "(me)" in dialog.layer_combo.currentText()


def test_without_gold_and_with_two_annotators_a_layer_must_be_chosen(qtbot, project, runner):
    project.add_document("Baykar sold TB2 drones.", "one")
    project.add_span(1, "bob", "ACTOR", 0, 6)
    project.add_span(1, "alice", "ACTOR", 0, 6)
    dialog = TrainingDialog(Workspace(project, "alice"), runner)
    qtbot.addWidget(dialog)
    assert dialog.layer_combo.currentIndex() == -1
    assert dialog.layer_combo.placeholderText() == "Choose a layer"
    assert dialog.train() is None and dialog.handle is None
    assert dialog.result_label.text().startswith("Choose the layer to learn from")


def test_train_runs_in_the_background_and_shows_the_scores(qtbot, project, runner, errors):
    fill_tiny_corpus(project)
    dialog = TrainingDialog(Workspace(project, "alice"), runner, None, max_steps=4)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.trained, timeout=WAIT_MS) as blocker:
        dialog.train_button.click()
        assert not dialog.train_button.isEnabled()  # one run at a time
    report = blocker.args[0]
    assert errors == []
    assert report.layer == "alice" and report.path.is_dir()
    assert (report.train_documents, report.dev_documents) == (13, 3)  # 20 % of 16 held out
    assert recorded_model(project)["path"] == str(report.path)  # the GUI's Project sees it
    table = dialog.scores_table
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert labels == ["ACTOR", "PLATFORM", "All labels"]
    assert table.item(2, 3).text().endswith("%")  # F1
    assert str(report.path) in dialog.result_label.text()
    qtbot.waitUntil(dialog.train_button.isEnabled)


def test_task_body_opens_its_own_project(project, monkeypatch):
    seen = {}

    def fake_train(proj, options, **kwargs):
        seen["project"], seen["options"], seen["kwargs"] = proj, options, kwargs
        return "report"

    monkeypatch.setattr("annotator.nlp.training.train_project_model", fake_train)
    token = object()
    options = TrainOptions("gold", 0.25, True, 9, seed=3)
    assert run_training(project.location, options, progress=token) == "report"
    assert seen["project"] is not project and seen["project"].location == project.location
    assert seen["options"] == TrainOptions("gold", 0.25, True, 9, seed=3)
    assert seen["kwargs"] == {"progress": token}


def test_no_training_data_is_reported_with_the_message(qtbot, project, runner, errors):
    project.add_document("Nothing marked here.", "empty")
    dialog = TrainingDialog(Workspace(project, "alice"), runner)
    qtbot.addWidget(dialog)
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData(ALL))  # nobody annotated yet
    handle = dialog.train()
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    ((title, error),) = errors
    assert title == "Training Not Possible"
    assert "training needs at least 2" in str(error)
    assert recorded_model(project) is None
    assert "nothing was saved" in dialog.result_label.text()


def test_ner_refused_on_overlapping_only_spans(qtbot, project, runner, errors):
    for i in range(4):  # every ACTOR sits inside a PLATFORM: NER can represent none of them
        (doc_id,) = project.add_document(f"Baykar drones fly. Item {i}.", f"d{i}").documents
        project.add_span(doc_id, "alice", "ACTOR", 0, 6)
        project.add_span(doc_id, "alice", "PLATFORM", 0, 13)
    dialog = TrainingDialog(Workspace(project, "alice"), runner, None, max_steps=2)
    qtbot.addWidget(dialog)
    dialog.ner_check.setChecked(True)
    handle = dialog.train()
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass
    ((_title, error),) = errors
    assert "cannot train an NER" in str(error) and "overlap" in str(error)
    assert recorded_model(project) is None


def test_cancel_stops_training_without_an_error_box(qtbot, project, runner, errors, monkeypatch):
    started = threading.Event()

    def slow_train(proj, options, *, progress, **kwargs):
        started.set()
        while not progress.cancelled():
            threading.Event().wait(0.005)
        raise Cancelled("cancelled by the user; nothing was stored")

    monkeypatch.setattr("annotator.nlp.training.train_project_model", slow_train)
    dialog = TrainingDialog(Workspace(project, "alice"), runner)
    qtbot.addWidget(dialog)
    dialog.layer_combo.setCurrentIndex(dialog.layer_combo.findData(ALL))  # nobody annotated yet
    trained = []
    dialog.trained.connect(trained.append)
    handle = dialog.train()
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    with qtbot.waitSignal(handle.failed, timeout=WAIT_MS):
        dialog.progress_dialog.cancel_button.click()
    assert isinstance(handle.error, Cancelled)
    assert errors == [] and trained == []
    assert "cancelled" in dialog.result_label.text()
    assert dialog.train_button.isEnabled()


def test_read_only_project_cannot_train(qtbot, project, runner):
    dialog = TrainingDialog(Workspace(project, "alice", read_only=True), runner)
    qtbot.addWidget(dialog)
    assert not dialog.train_button.isEnabled()
    assert dialog.train() is None
    assert runner.active() == []


def test_menu_action_opens_the_dialog(qtbot, project, monkeypatch):
    from annotator.core.settings import Settings
    from annotator.ui.main_window import MainWindow

    opened = []
    monkeypatch.setattr(TrainingDialog, "exec", lambda self: opened.append(self) or 0)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.actions_by_id["suggest.train"].trigger()
    assert len(opened) == 1 and opened[0].parent() is win
