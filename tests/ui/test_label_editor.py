"""Edit → Labels…: labels are added, changed and removed in the app, undoably; refusals are
shown in the dialog and change nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from annotator.ui import label_editor
from annotator.ui.label_editor import LabelEditor, LabelFields
from annotator.ui.label_palette import LabelPalette
from annotator.ui.workspace import Workspace


@pytest.fixture
def workspace(project):
    return Workspace(project, "alice")


@pytest.fixture
def editor(qtbot, workspace):
    dialog = LabelEditor(workspace)
    qtbot.addWidget(dialog)
    return dialog


def fill_in(monkeypatch, **fields):
    """Make the fields dialog return these values as if typed, and OK pressed."""

    def exec_(dialog: LabelFields) -> QDialog.DialogCode:
        if "name" in fields:
            dialog.name_edit.setText(fields["name"])
        if "hotkey" in fields:
            dialog.hotkey_edit.setText(fields["hotkey"])
        if "description" in fields:
            dialog.description_edit.setPlainText(fields["description"])
        if "color" in fields:
            dialog.color = fields["color"]
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LabelFields, "exec", exec_)


def names(workspace) -> list[str]:
    return [label.name for label in workspace.project.labels()]


def test_a_label_added_in_the_dialog_is_listed_keyed_and_undone(
    qtbot, monkeypatch, editor, workspace
):
    palette = LabelPalette(workspace)
    qtbot.addWidget(palette)
    fill_in(monkeypatch, name="WEAPON", hotkey="4", description="Arms *systems*", color="#17BECF")
    editor.add_label()
    label = workspace.project.label("WEAPON")
    assert (label.hotkey, label.color, label.description) == ("4", "#17BECF", "Arms *systems*")
    assert editor.current_name() == "WEAPON" and palette.item_of("WEAPON") is not None
    workspace.undo()
    assert "WEAPON" not in names(workspace)
    assert palette.item_of("WEAPON") is None and editor.list.count() == len(names(workspace))


def test_renaming_carries_the_spans_and_undo_restores_the_name(monkeypatch, editor, workspace):
    project = workspace.project
    doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    editor.list.setCurrentRow(names(workspace).index("ACTOR"))
    fill_in(monkeypatch, name="AGENT")
    editor.edit_label()
    assert "AGENT" in names(workspace) and "ACTOR" not in names(workspace)
    assert [s.label for s in project.spans(doc)] == ["AGENT"]
    workspace.undo()
    assert [s.label for s in project.spans(doc)] == ["ACTOR"]


def test_a_refused_rename_is_shown_and_changes_nothing(monkeypatch, editor, workspace):
    before = workspace.project.labels()
    editor.list.setCurrentRow(names(workspace).index("ACTOR"))
    fill_in(monkeypatch, name="platform")
    editor.edit_label()
    assert "already" in editor.problem.text() and "platform" in editor.problem.text().lower()
    assert workspace.project.labels() == before
    assert workspace.undo_stack.count() == 0


def test_removing_a_used_label_asks_then_undo_brings_its_spans_back(monkeypatch, editor, workspace):
    project = workspace.project
    doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
    project.add_span(doc, "alice", "PLATFORM", 16, 19)
    asked = []
    monkeypatch.setattr(
        label_editor, "ask", lambda _parent, _title, text: asked.append(text) or True
    )
    editor.list.setCurrentRow(names(workspace).index("PLATFORM"))
    editor.remove_label()
    assert "1 span(s)" in asked[0]
    assert "PLATFORM" not in names(workspace) and project.spans(doc) == []
    workspace.undo()
    assert [(s.label, s.start, s.end) for s in project.spans(doc)] == [("PLATFORM", 16, 19)]


def test_a_read_only_project_offers_no_edits(qtbot, project):
    dialog = LabelEditor(Workspace(project, "alice", read_only=True))
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(0)
    assert not dialog.add_button.isEnabled() and not dialog.remove_button.isEnabled()


@pytest.mark.parametrize("kind", ["label", "relation type"])
def test_the_colour_button_picks_a_colour_for_either_kind_of_item(qtbot, monkeypatch, kind):
    from PySide6.QtGui import QColor

    from annotator.ui.relation_type_editor import RelationTypeFields

    asked = []

    def get_color(initial, parent, title):
        asked.append((initial.name().upper(), title))
        return QColor("#123456")

    monkeypatch.setattr(label_editor.QColorDialog, "getColor", get_color)
    if kind == "label":
        fields = LabelFields("Add Label", None)
    else:
        fields = RelationTypeFields("Add Relation Type", None, ["ACTOR"], None)
    qtbot.addWidget(fields)
    start = fields.color
    fields.color_button.click()
    assert asked == [(start, f"{kind.capitalize()} colour")]
    assert fields.color == "#123456" and fields.color_button.text() == "#123456"
    assert fields.values()["color"] == "#123456"
