"""SpanTableModel and SpanListPanel: display, relabel through undo, delete key, live updates."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox

from annotator.core.commands import (
    AddSpanCommand,
    MacroCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
)
from annotator.ui.plain import plain_tip
from annotator.ui.span_list import SpanListPanel
from annotator.ui.span_model import LABEL, MAX_TEXT, SpanTableModel
from annotator.ui.workspace import Workspace

TEXT = "Baykar sold TB2\ndrones to Azerbaijan. " + "Long tail " * 12


@pytest.fixture
def doc_id(project) -> int:
    return next(iter(project.add_document(TEXT, title="TB2").documents))


@pytest.fixture
def other_doc(project) -> int:
    return next(iter(project.add_document("Another article.", title="other").documents))


@pytest.fixture
def workspace(qapp, project, doc_id, other_doc) -> Workspace:
    project.add_span(doc_id, "alice", "PLATFORM", 12, 22)  # "TB2\ndrones"
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)  # "Baykar"
    project.add_span(doc_id, "alice", "MOTIVATION", 23, len(TEXT))  # long
    project.add_span(doc_id, "bob", "ACTOR", 0, 6)  # another layer: not listed
    ws = Workspace(project, "alice")
    ws.open_document(doc_id)
    return ws


@pytest.fixture
def model(workspace) -> SpanTableModel:
    return SpanTableModel(workspace)


def rows(model: SpanTableModel) -> list[tuple]:
    return [
        tuple(model.index(row, col).data() for col in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def test_model_passes_the_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)


def test_rows_show_the_annotators_spans_in_text_order(model):
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Text",
        "Label",
        "Annotator",
        "Start–End",
    ]
    shown = rows(model)
    assert shown[0] == ("Baykar", "ACTOR", "alice", "0–6")
    assert shown[1] == ("TB2⏎drones", "PLATFORM", "alice", "12–22")
    long_text = shown[2][0]
    assert len(long_text) == MAX_TEXT and long_text.endswith("…")
    assert model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole) == plain_tip(TEXT[23:])


def test_label_column_has_a_colour_swatch_and_is_editable(model, workspace):
    swatch = model.index(0, LABEL).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(swatch, QColor)
    assert swatch.name().upper() == workspace.label("ACTOR").color.upper()
    assert model.flags(model.index(0, LABEL)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_span_at_and_row_of(model):
    span = model.span_at(1)
    assert (span.label, span.start) == ("PLATFORM", 12)
    assert model.row_of(span.id) == 1
    assert model.row_of(9999) is None


def test_relabel_through_set_data_is_one_undoable_command(model, workspace, qtbot):
    span_id = model.span_at(0).id
    with qtbot.waitSignal(model.dataChanged):
        assert model.setData(model.index(0, LABEL), "PLATFORM")
    assert workspace.undo_stack.count() == 1
    assert model.index(0, LABEL).data() == "PLATFORM"
    assert workspace.project.span(span_id).label == "PLATFORM"
    workspace.undo_stack.undo()
    assert model.index(0, LABEL).data() == "ACTOR"
    assert workspace.project.span(span_id).label == "ACTOR"
    workspace.undo_stack.redo()
    assert model.index(0, LABEL).data() == "PLATFORM"


def test_set_data_refuses_unknown_labels_and_no_ops(model, workspace, qtbot):
    with qtbot.waitSignal(workspace.error_raised) as error:
        assert not model.setData(model.index(0, LABEL), "NOPE")
    assert "NOPE" in error.args[0]
    assert not model.setData(model.index(0, LABEL), "ACTOR")  # unchanged
    assert not model.setData(model.index(0, 0), "text")  # not editable
    assert workspace.undo_stack.count() == 0
    assert model.index(0, LABEL).data() == "ACTOR"


def test_incremental_insert_remove_and_move(model, workspace, doc_id, other_doc, qtbot):
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        workspace.execute(AddSpanCommand(doc_id, "alice", "ACTOR", 7, 11))  # "sold"
    assert inserted.args[1:] == [1, 1]
    assert [r[0] for r in rows(model)][:3] == ["Baykar", "sold", "TB2⏎drones"]
    with qtbot.assertNotEmitted(model.rowsInserted):
        workspace.execute(AddSpanCommand(doc_id, "bob", "ACTOR", 7, 11))
        workspace.execute(AddSpanCommand(other_doc, "alice", "ACTOR", 0, 7))
    with qtbot.waitSignal(model.rowsMoved):
        workspace.execute(ResizeSpanCommand(model.span_at(0).id, start=30, end=35))
    assert [r[3] for r in rows(model)] == ["7–11", "12–22", "23–" + str(len(TEXT)), "30–35"]
    with qtbot.waitSignal(model.rowsRemoved) as removed:
        workspace.execute(RemoveSpanCommand(model.span_at(1).id))
    assert removed.args[1:] == [1, 1]
    assert model.rowCount() == 3
    workspace.undo_stack.undo()  # the removed span comes back in place
    assert model.index(1, 0).data() == "TB2⏎drones"
    assert resets == []


def test_opening_a_document_resets(model, workspace, other_doc, qtbot):
    with qtbot.waitSignal(model.modelReset):
        workspace.open_document(other_doc)
    assert model.rowCount() == 0
    workspace.open_document(None)
    assert model.rowCount() == 0


@pytest.fixture
def panel(qtbot, workspace) -> SpanListPanel:
    widget = SpanListPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    return widget


def click_row(qtbot, panel: SpanListPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_click_selects_the_span_and_emits(panel, workspace, qtbot):
    with qtbot.waitSignal(panel.span_activated) as activated:
        click_row(qtbot, panel, 1)
    assert activated.args[0].label == "PLATFORM"
    assert workspace.selected_span == activated.args[0]


def test_view_follows_the_workspace_selection(panel, workspace):
    span = panel.model.span_at(2)
    workspace.select_span(span)
    assert panel.current_span() == span
    workspace.select_span(None)
    assert panel.current_span() is None


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_key_removes_the_selected_span_undoably(panel, workspace, qtbot, key):
    click_row(qtbot, panel, 0)
    span_id = panel.model.span_at(0).id
    with qtbot.waitSignal(panel.model.rowsRemoved):
        qtbot.keyClick(panel.view, key)
    assert panel.model.row_of(span_id) is None
    assert workspace.undo_stack.count() == 1
    assert workspace.selected_span is None
    workspace.undo_stack.undo()
    assert panel.model.row_of(span_id) == 0


def test_delete_key_without_selection_does_nothing(panel, workspace, qtbot):
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == 3 and workspace.undo_stack.count() == 0


def test_label_delegate_offers_a_combo_of_labels(panel, workspace, qtbot):
    index = panel.model.index(0, LABEL)
    panel.view.setCurrentIndex(index)
    panel.view.edit(index)
    combo = panel.view.viewport().findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["ACTOR", "PLATFORM", "MOTIVATION"]
    assert combo.currentText() == "ACTOR"
    combo.setCurrentText("MOTIVATION")
    with qtbot.waitSignal(panel.model.dataChanged):
        panel.delegate.commitData.emit(combo)
    assert panel.model.index(0, LABEL).data() == "MOTIVATION"
    assert workspace.undo_stack.count() == 1


def test_delete_key_on_the_view_wins_over_a_window_delete_action(qtbot, workspace):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    panel = SpanListPanel(workspace)
    window.setCentralWidget(panel)
    fired = []
    action = QAction("Delete Span", window)
    action.setShortcut(QKeySequence("Delete"))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    panel.view.setFocus()
    click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert fired == [] and panel.model.rowCount() == 2
    panel.view.clearSelection()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)  # nothing selected here: the window acts
    assert fired == [True]


def test_a_change_of_many_spans_is_one_reset_not_a_row_each(model, workspace, doc_id, qtbot):
    """Accept All adds thousands of spans in one change; each inserted row made the list
    re-fit its columns over every row (quadratic: 7,000 took minutes)."""
    commands = [AddSpanCommand(doc_id, "alice", "ACTOR", n, n + 1) for n in range(30, 130)]
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    with qtbot.waitSignal(model.modelReset):
        assert workspace.execute(MacroCommand("Add 100", commands))
    assert inserted == [] and model.rowCount() == 103
    assert [model.span_at(row).id for row in range(103)] == [s.id for s in workspace.layer]
