"""Edit → Relation Types…: relation types are added, changed (name, colour, key, direction, head
and tail labels, guideline) and removed in the app, each undoable; refusals are shown in the
dialog and change nothing; the article redraws its arcs with the new definition."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from annotator.core.commands import AddRelationCommand
from annotator.ui.relation_type_editor import RelationTypeEditor, RelationTypeFields, type_text
from annotator.ui.workspace import Workspace

TEXT = "Azerbaijan buys JF-17C Thunder jets from Pakistan."


@pytest.fixture
def workspace(project):
    project.add_document(TEXT, "Seed")
    return Workspace(project, "alice")


@pytest.fixture
def editor(qtbot, workspace):
    dialog = RelationTypeEditor(workspace)
    qtbot.addWidget(dialog)
    return dialog


def fill_in(monkeypatch, **fields):
    """Make the fields dialog return these values as if typed and ticked, and OK pressed."""

    def exec_(dialog: RelationTypeFields) -> QDialog.DialogCode:
        if "name" in fields:
            dialog.name_edit.setText(fields["name"])
        if "hotkey" in fields:
            dialog.hotkey_edit.setText(fields["hotkey"])
        if "directed" in fields:
            dialog.directed_box.setChecked(fields["directed"])
        for listing, chosen in ((dialog.head_list, "head"), (dialog.tail_list, "tail")):
            if chosen in fields:
                for n in range(listing.count()):
                    listing.item(n).setSelected(listing.item(n).text() in fields[chosen])
        if "description" in fields:
            dialog.description_edit.setPlainText(fields["description"])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RelationTypeFields, "exec", exec_)


def names(workspace) -> list[str]:
    return [kind.name for kind in workspace.relation_types]


def test_a_type_added_in_the_dialog_is_listed_and_undone(monkeypatch, editor, workspace):
    fill_in(
        monkeypatch,
        name="OPERATES",
        hotkey="o",
        head=("ACTOR",),
        tail=("PLATFORM",),
        description="Who flies it. Example: Azerbaijan operates the JF-17C.",
    )
    editor.add_type()
    kind = workspace.project.relation_type("OPERATES")
    assert (kind.hotkey, kind.directed, kind.head_labels, kind.tail_labels) == (
        "o",
        True,
        ("ACTOR",),
        ("PLATFORM",),
    )
    assert editor.current_name() == "OPERATES"
    assert editor.list.currentItem().text() == "OPERATES (O): ACTOR → PLATFORM"
    workspace.undo()
    assert "OPERATES" not in names(workspace)
    assert editor.list.count() == len(names(workspace))


def test_editing_renames_and_the_open_relations_follow_then_undo(monkeypatch, editor, workspace):
    workspace.open_document(workspace.project.documents()[0].id)
    doc = workspace.document
    az = workspace.project.add_span(doc.id, "alice", "ACTOR", 0, 10).spans[0]
    pk = workspace.project.add_span(doc.id, "alice", "ACTOR", 41, 49).spans[0]
    workspace.open_document(doc.id)
    assert workspace.execute(AddRelationCommand(doc.id, "alice", "PARTNERS_WITH", az.id, pk.id))
    editor.rebuild()
    editor.list.setCurrentRow(names(workspace).index("PARTNERS_WITH"))
    fill_in(monkeypatch, name="ALLIED_WITH", hotkey="")
    editor.edit_type()
    assert "ALLIED_WITH" in names(workspace) and "PARTNERS_WITH" not in names(workspace)
    assert [r.type for r in workspace.relations.values()] == ["ALLIED_WITH"]
    assert workspace.project.relation_type("ALLIED_WITH").hotkey is None
    workspace.undo()
    assert [r.type for r in workspace.relations.values()] == ["PARTNERS_WITH"]
    assert workspace.project.relation_type("PARTNERS_WITH").hotkey == "p"


def test_a_refused_change_is_shown_and_changes_nothing(monkeypatch, editor, workspace):
    before = names(workspace)
    fill_in(monkeypatch, name="buys")  # the name BUYS is taken, whatever its case
    editor.add_type()
    assert editor.problem.text()
    assert names(workspace) == before


def test_removing_a_type_takes_its_relations_and_undo_brings_both_back(
    monkeypatch, editor, workspace
):
    workspace.open_document(workspace.project.documents()[0].id)
    doc = workspace.document
    az = workspace.project.add_span(doc.id, "alice", "ACTOR", 0, 10).spans[0]
    jf = workspace.project.add_span(doc.id, "alice", "PLATFORM", 16, 30).spans[0]
    workspace.open_document(doc.id)
    assert workspace.execute(AddRelationCommand(doc.id, "alice", "BUYS", az.id, jf.id))
    editor.rebuild()
    editor.list.setCurrentRow(names(workspace).index("BUYS"))
    monkeypatch.setattr("annotator.ui.relation_type_editor.ask", lambda *_args: True)
    editor.remove_type()
    assert "BUYS" not in names(workspace) and workspace.relations == {}
    workspace.undo()
    assert "BUYS" in names(workspace)
    assert [r.type for r in workspace.relations.values()] == ["BUYS"]


def test_type_text_shows_key_direction_and_any_label():
    from annotator.core.model import RelationType

    kind = RelationType(1, "PARTNERS_WITH", "#CC79A7", None, False, (), ("ACTOR",))
    assert type_text(kind) == "PARTNERS_WITH: * ↔ ACTOR"
