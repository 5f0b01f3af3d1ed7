"""Training and export options are defined once (core.options): what `annotator train` and
`annotator export` pass without options, what the dialogs offer first and what the core
functions default to are the same options, by construction."""

from __future__ import annotations

import inspect
from dataclasses import replace

import pytest

pytest.importorskip("PySide6")

import annotator.io.exporter
import annotator.nlp.training
from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.core.layers import default_layer
from annotator.io.export_options import ExportOptions, export_formats
from annotator.nlp.train_options import DEFAULTS, TrainOptions
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.training_dialog import TrainingDialog
from annotator.ui.workspace import Workspace


@pytest.fixture
def with_gold(project):
    (doc_id,) = project.add_document("Baykar sold TB2 drones.", "one").documents
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    project.set_gold("alice")
    return project


def test_train_defaults_are_one_definition(with_gold, runner, qtbot, monkeypatch):
    real_train = annotator.nlp.training.train_project_model
    passed = []

    def train(project, options, **rest):
        passed.append(options)
        raise AnnotatorError("recorded")  # no training: only what it was asked for counts

    monkeypatch.setattr(annotator.nlp.training, "train_project_model", train)
    assert main(["train", "--db", str(with_gold.path)]) == 1
    dialog = TrainingDialog(Workspace(with_gold, "alice"), runner)
    qtbot.addWidget(dialog)
    assert passed == [DEFAULTS] == [TrainOptions()]  # no --layer: the core picks the default
    # the dialog opens on the layer that one core function picks for the command line too
    assert dialog.options() == replace(DEFAULTS, layer=default_layer(with_gold.annotators()))
    assert dialog.options().layer == "gold"
    assert inspect.signature(real_train).parameters["options"].default == TrainOptions()


def test_export_defaults_are_one_definition(project, qtbot, tmp_path, monkeypatch):
    (doc_id,) = project.add_document("Baykar sold TB2 drones.", "one").documents
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    out = tmp_path / "out.jsonl"
    real_export = annotator.io.exporter.export
    passed = []

    def export(project, progress, **options):
        passed.append(ExportOptions(**options))
        return real_export(project, progress=progress, **options)

    monkeypatch.setattr(annotator.io.exporter, "export", export)
    assert main(["export", "--db", str(project.path), "--format", "jsonl", "--out", str(out)]) == 0
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(out))
    assert passed == [ExportOptions(export_formats()[0], out)]  # no --layer: the default
    # the dialog opens on the layer that one core function picks for the command line too
    chosen = default_layer(project.annotators())
    assert dialog.options() == replace(passed[0], layer=chosen) and chosen == "alice"
    # the core function has no default of its own: it fills ExportOptions
    own = set(inspect.signature(real_export).parameters) - {"project", "fmt", "out", "progress"}
    assert own == {"choices"}
    with pytest.raises(TypeError, match="layers"):
        real_export(project, "jsonl", out, layers="gold")


def test_the_dialog_offers_the_formats_the_cli_takes(project, qtbot):
    dialog = ExportDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    offered = [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())]
    assert offered == list(export_formats())
