"""Suggestions > Suggestion Settings: label map, pipeline, order and term lists, saved on OK."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from annotator.core.errors import InputError
from annotator.nlp.labelmap import LABEL_MAP_SETTING, label_map_for
from annotator.nlp.pretrained import PIPELINE_SETTING
from annotator.nlp.runner import suggester_order
from annotator.nlp.suggesters import ORDER_SETTING
from annotator.nlp.termlists import TERM_LISTS_SETTING, term_lists_for
from annotator.ui import suggestion_settings
from annotator.ui.suggestion_settings import SuggestionSettingsDialog
from annotator.ui.workspace import Workspace

DEFAULTS = {
    "GPE": "ACTOR",
    "NORP": "ACTOR",
    "ORG": "ACTOR",
    "PERSON": "ACTOR",
    "PRODUCT": "PLATFORM",
}
SETTINGS = (LABEL_MAP_SETTING, PIPELINE_SETTING, ORDER_SETTING, TERM_LISTS_SETTING)


@pytest.fixture
def errors(monkeypatch):
    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(
        suggestion_settings, "show_error", lambda parent, title, error: seen.append((title, error))
    )
    return seen


@pytest.fixture
def dialog(qtbot, project):
    dlg = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dlg)
    return dlg


def stored(project) -> dict:
    return {key: project.get_setting(key) for key in SETTINGS}


def press_ok(dlg: SuggestionSettingsDialog) -> None:
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def map_row(dlg: SuggestionSettingsDialog, source: str) -> int:
    return next(
        r for r in range(dlg.map_table.rowCount()) if dlg.map_table.item(r, 0).text() == source
    )


def test_opens_with_the_defaults_and_ok_without_edits_stores_nothing(dialog, project, errors):
    assert dialog.label_map() == DEFAULTS
    assert dialog.pipeline() == "en_core_web_sm"
    assert dialog.order() == ["lexicon", "project-model", "pipeline"]
    assert dialog.term_counts() == {}
    press_ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and errors == []
    assert stored(project) == dict.fromkeys(SETTINGS)


def test_label_map_edits_are_saved(dialog, project, errors):
    dialog.map_table.selectRow(map_row(dialog, "PERSON"))
    dialog.remove_map_button.click()
    dialog.add_map_button.click()
    row = dialog.map_table.rowCount() - 1
    dialog.map_table.item(row, 0).setText("FAC")
    dialog.map_table.cellWidget(row, 1).setCurrentText("PLATFORM")
    dialog.map_table.cellWidget(map_row(dialog, "NORP"), 1).setCurrentText("MOTIVATION")
    press_ok(dialog)
    assert errors == []
    expected = {**DEFAULTS, "FAC": "PLATFORM", "NORP": "MOTIVATION"}
    del expected["PERSON"]
    assert project.get_setting(LABEL_MAP_SETTING) == expected == label_map_for(project)


def test_a_target_that_is_no_project_label_is_refused_and_the_dialog_stays(qtbot, project, errors):
    project.set_setting(LABEL_MAP_SETTING, {"ORG": "ACTOR", "LOC": "PLACE"})  # PLACE was removed
    dlg = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.move_order(+1)  # another edit, which must not be stored either
    press_ok(dlg)
    ((title, error),) = errors
    assert title == "Suggestion Settings"
    assert "LOC -> PLACE" in str(error) and "no span label 'PLACE'" in str(error)
    assert dlg.isVisible() and dlg.result() != QDialog.DialogCode.Accepted
    assert project.get_setting(ORDER_SETTING) is None
    dlg.map_table.cellWidget(map_row(dlg, "LOC"), 1).setCurrentText("ACTOR")
    press_ok(dlg)
    assert len(errors) == 1 and not dlg.isVisible()
    assert project.get_setting(LABEL_MAP_SETTING) == {"ORG": "ACTOR", "LOC": "ACTOR"}


@pytest.mark.parametrize(
    ("source", "message"), [("two words", "not a pipeline label"), ("ORG", "ORG is mapped twice")]
)
def test_bad_entity_labels_are_refused(dialog, project, errors, source, message):
    row = dialog.add_map_row(source, "ACTOR")
    assert dialog.map_table.item(row, 0).text() == source
    press_ok(dialog)
    ((_title, error),) = errors
    assert message in str(error)
    assert stored(project) == dict.fromkeys(SETTINGS)


def test_reset_to_defaults_follows_the_defaults_again(qtbot, project, errors):
    project.set_setting(LABEL_MAP_SETTING, {"ORG": "PLATFORM"})
    dlg = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dlg)
    assert dlg.label_map() == {"ORG": "PLATFORM"}
    dlg.reset_map_button.click()
    assert dlg.label_map() == DEFAULTS
    press_ok(dlg)
    assert project.get_setting(LABEL_MAP_SETTING) is None
    assert label_map_for(project) == DEFAULTS


def test_term_list_loaded_from_a_file_is_counted_and_saved(
    qtbot, dialog, project, errors, tmp_path, monkeypatch
):
    terms = tmp_path / "actors.txt"
    terms.write_text("Baykar\n# a comment\n\nTurkish  Aerospace\nBaykar\n", encoding="utf-8")
    asked = []

    def pick(parent, caption, folder, filters):
        asked.append(caption)
        return str(terms), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    dialog.term_label_combo.setCurrentText("ACTOR")
    dialog.load_terms_button.click()
    assert asked == ["Load Term List for ACTOR"]
    assert dialog.term_counts() == {"ACTOR": 2}
    counts = {
        dialog.terms_table.item(r, 0).text(): dialog.terms_table.item(r, 1).text()
        for r in range(dialog.terms_table.rowCount())
    }
    assert counts == {"ACTOR": "2", "PLATFORM": "0", "MOTIVATION": "0"}
    assert term_lists_for(project) == {}  # nothing stored before OK
    press_ok(dialog)
    assert errors == []
    assert term_lists_for(project) == {"ACTOR": ["Baykar", "Turkish Aerospace"]}


def test_clearing_a_term_list_is_saved(qtbot, project, errors):
    project.set_setting(TERM_LISTS_SETTING, {"PLATFORM": ["TB2", "K2"]})
    dlg = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dlg)
    assert dlg.term_counts() == {"PLATFORM": 2}
    dlg.term_label_combo.setCurrentText("PLATFORM")
    dlg.clear_terms_button.click()
    press_ok(dlg)
    assert term_lists_for(project) == {"PLATFORM": []}


def test_a_bad_term_list_file_shows_path_and_line_and_changes_nothing(
    dialog, project, errors, tmp_path
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Baykar\nT\xfcrkiye\n")
    dialog.term_label_combo.setCurrentText("ACTOR")
    assert not dialog.load_terms(bad)
    ((title, error),) = errors
    assert title == "Term List Not Loaded" and isinstance(error, InputError)
    assert str(error).startswith(f"{bad}:2: not UTF-8")
    assert dialog.term_counts() == {}
    missing = tmp_path / "missing.txt"
    assert not dialog.load_terms(missing)
    assert str(errors[-1][1]).startswith(f"{missing}: cannot read")
    press_ok(dialog)
    assert term_lists_for(project) == {}


def test_suggester_order_is_saved(dialog, project, errors):
    dialog.order_list.setCurrentRow(2)  # the pretrained pipeline first
    dialog.up_button.click()
    dialog.up_button.click()
    dialog.up_button.click()  # already at the top: nothing happens
    assert dialog.order() == ["pipeline", "lexicon", "project-model"]
    dialog.down_button.click()
    assert dialog.order() == ["lexicon", "pipeline", "project-model"]
    press_ok(dialog)
    assert suggester_order(project) == ["lexicon", "pipeline", "project-model"]


def test_unavailable_suggesters_say_why(dialog):
    items = {
        dialog.order_list.item(i).data(Qt.ItemDataRole.UserRole): dialog.order_list.item(i)
        for i in range(3)
    }
    assert "not available" in items["project-model"].text()
    assert "train a model first" in items["project-model"].toolTip()
    assert "the lexicon is empty" in items["lexicon"].toolTip()


def test_pipeline_folder_is_checked_browsed_and_saved(
    dialog, project, errors, tmp_path, monkeypatch
):
    folder = tmp_path / "my_pipeline"
    folder.mkdir()
    dialog.pipeline_combo.setEditText(str(folder))
    assert "no spaCy pipeline at" in dialog.pipeline_status.text()
    (folder / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda parent, caption, start: str(folder)
    )
    dialog.pipeline_combo.setEditText("")
    dialog.browse_button.click()
    assert dialog.pipeline() == str(folder)
    assert dialog.pipeline_status.text().startswith("✓")
    press_ok(dialog)
    assert project.get_setting(PIPELINE_SETTING) == str(folder)


def test_missing_package_gives_the_install_hint(dialog):
    dialog.pipeline_combo.setEditText("xx_not_a_pipeline_sm")
    assert "pip install xx_not_a_pipeline_sm" in dialog.pipeline_status.text()


def test_read_only_disables_editing_and_hides_ok(qtbot, project):
    dlg = SuggestionSettingsDialog(Workspace(project, "alice", read_only=True))
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isVisible()
    for widget in (
        dlg.pipeline_combo,
        dlg.browse_button,
        dlg.map_table,
        dlg.add_map_button,
        dlg.reset_map_button,
        dlg.order_list,
        dlg.up_button,
        dlg.load_terms_button,
        dlg.retrain_check,
        dlg.retrain_spin,
    ):
        assert not widget.isEnabled()
    dlg.accept()
    assert stored(project) == dict.fromkeys(SETTINGS)


def test_menu_action_saves_and_rebuilds_the_suggesters(qtbot, project, monkeypatch):
    from annotator.core.settings import Settings
    from annotator.ui.main_window import MainWindow

    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    rebuilt = []
    monkeypatch.setattr(win.suggester, "invalidate", lambda: rebuilt.append(True))

    def exec_(self):
        self.move_order(+1)
        self.accept()
        return self.result()

    monkeypatch.setattr(SuggestionSettingsDialog, "exec", exec_)
    win.actions_by_id["suggest.settings"].trigger()
    assert rebuilt == [True]
    assert suggester_order(project) == ["project-model", "lexicon", "pipeline"]


def test_lexicon_case_sensitivity_is_saved_and_used(qtbot, project):
    from annotator.nlp.lexicon import LexiconSuggester
    from annotator.ui.suggestion_settings import SuggestionSettingsDialog
    from annotator.ui.workspace import Workspace

    doc = next(iter(project.add_document("Baykar and BAYKAR.").documents))
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    assert len(LexiconSuggester.from_project(project).suggest(["BAYKAR"])[0]) == 1
    dialog = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    dialog.case_check.setChecked(True)
    dialog.save()
    assert project.get_setting("lexicon_case_sensitive") is True
    assert LexiconSuggester.from_project(project).suggest(["BAYKAR"])[0] == []


def test_learning_from_every_annotator_is_saved_and_used(qtbot, project):
    from annotator.nlp.lexicon import LexiconSuggester
    from annotator.ui.suggestion_settings import SuggestionSettingsDialog
    from annotator.ui.workspace import Workspace

    doc = next(iter(project.add_document("Baykar and Saab.").documents))
    project.add_span(doc, "bob", "ACTOR", 0, 6)
    assert LexiconSuggester.from_project(project, "alice").suggest(["Baykar"])[0] == []
    dialog = SuggestionSettingsDialog(Workspace(project, "alice"))
    qtbot.addWidget(dialog)
    assert not dialog.everyone_check.isChecked()
    dialog.everyone_check.setChecked(True)
    dialog.save()
    assert project.get_setting("lexicon_learns_from_everyone") is True
    assert len(LexiconSuggester.from_project(project, "alice").suggest(["Baykar"])[0]) == 1


def test_background_training_checkbox_and_count_are_project_settings(dialog, project):
    from annotator.nlp.retraining import RetrainPolicy, retrain_policy

    assert dialog.retrain_check.isChecked() and dialog.retrain_spin.value() == 10
    before = stored(project)
    press_ok(dialog)
    assert project.get_setting("auto_train") is None and stored(project) == before
    dialog.retrain_spin.setValue(25)
    dialog.retrain_check.setChecked(False)
    assert not dialog.retrain_spin.isEnabled()
    dialog.save()
    assert retrain_policy(project) == RetrainPolicy(enabled=False, after=25)
    again = SuggestionSettingsDialog(dialog._workspace)
    assert not again.retrain_check.isChecked() and again.retrain_spin.value() == 25
    again.deleteLater()
