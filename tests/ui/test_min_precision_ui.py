"""The minimum precision in Suggestion Settings, and Suggestion Quality per label beside the
project model's held-out precision."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from annotator.core.model import NewSuggestion
from annotator.nlp.calibration import MIN_PRECISION_SETTING, min_precision
from annotator.nlp.projectmodel import record_model
from annotator.ui.quality_dialog import QualityDialog
from annotator.ui.suggestion_settings import SuggestionSettingsDialog
from annotator.ui.workspace import Workspace

DATE = "2026-12-06T09:00:00Z"


def test_the_minimum_precision_is_shown_saved_and_left_alone_when_unchanged(qtbot, project):
    dialog = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    assert dialog.precision_spin.value() == pytest.approx(0.6)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert project.get_setting(MIN_PRECISION_SETTING) is None
    again = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(again)
    again.precision_spin.setValue(0.75)
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert min_precision(project) == pytest.approx(0.75)
    read_only = SuggestionSettingsDialog(Workspace(project, "alice", read_only=True))
    qtbot.addWidget(read_only)
    assert read_only.precision_spin.value() == pytest.approx(0.75)
    assert not read_only.precision_spin.isEnabled()


def test_quality_lists_each_label_with_its_held_out_precision(qtbot, project, tmp_path):
    model = f"project-model:{DATE}"
    record_model(project, tmp_path, DATE, {"labels": {"ACTOR": {"precision": 0.73}}})
    doc = next(iter(project.add_document("Baykar sold TB2 drones.").documents))
    project.store_suggestions(
        doc,
        model,
        [NewSuggestion(0, 6, "ACTOR", 0.9), NewSuggestion(12, 15, "PLATFORM", 0.8)],
    )
    project.store_suggestions(doc, "lexicon", [NewSuggestion(12, 22, "PLATFORM", 1.0)])
    for suggestion in project.suggestions(doc, annotator="alice"):
        if suggestion.model == model and suggestion.label == "ACTOR":
            project.accept_suggestion(suggestion.id, "alice")
        else:
            project.reject_suggestion(suggestion.id, "alice")
    project.set_setting(MIN_PRECISION_SETTING, 0.7)
    dialog = QualityDialog(project, "alice")
    qtbot.addWidget(dialog)
    cells = [
        tuple(dialog.table.item(r, c).text() for c in range(dialog.table.columnCount()))
        for r in range(dialog.table.rowCount())
    ]
    assert cells == [
        ("lexicon", "0", "0", "1", "0%", "–", "–"),
        ("lexicon: PLATFORM", "0", "0", "1", "0%", "–", "–"),
        (model, "0", "1", "1", "50%", "–", "–"),
        (f"{model}: ACTOR", "0", "1", "0", "100%", "73%", "–"),
        (f"{model}: PLATFORM", "0", "0", "1", "0%", "–", "–"),
    ]
    assert any("reliably below 70%" in label.text() for label in dialog.findChildren(QLabel))
