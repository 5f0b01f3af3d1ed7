"""Review → Agreement: annotator checklist, computed in a worker, tables, charts, opening."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from agreement_data import add_relations, build_agreement_project
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui import agreement_dialog
from annotator.ui.agreement_dialog import AgreementDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000


@pytest.fixture
def workspace(tmp_path):
    project = Project(build_agreement_project(tmp_path / "p.db"))
    yield Workspace(project, "alice")
    project.close()


@pytest.fixture
def dialog(qtbot, workspace, runner):
    dlg = AgreementDialog(workspace, runner)
    qtbot.addWidget(dlg)
    return dlg


def compute(qtbot, dlg: AgreementDialog) -> None:
    handle = dlg.compute()
    assert handle is not None
    with qtbot.waitSignal(handle.finished, timeout=WAIT_MS):
        pass


def cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_gold_is_offered_unticked_and_two_annotators_are_needed(dialog):
    assert dialog.chosen() == ["alice", "bob", "carol"]
    assert dialog.annotator_list.item(3).text() == "gold (gold)"
    assert dialog.compute_button.isEnabled()
    for row in (1, 2):
        dialog.annotator_list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.chosen() == ["alice"] and not dialog.compute_button.isEnabled()
    assert dialog.compute() is None
    assert dialog.summary.text() == agreement_dialog.TOO_FEW


def test_compute_fills_tables_and_charts(qtbot, dialog):
    compute(qtbot, dialog)
    report = dialog.report
    assert report is not None and report.documents == 3
    assert cells(dialog.pairs_table, 0) == ["alice", "alice", "bob"]
    assert cells(dialog.pairs_table, 1) == ["bob", "carol", "carol"]
    assert dialog.pairs_table.item(0, 8).text() == f"{report.pairs[0].kappa:.2f}"
    assert cells(dialog.labels_table, 0) == ["ACTOR", "PLATFORM", "ALL"]
    assert dialog.bars.categories == ["ACTOR", "PLATFORM", "ALL"]
    assert dialog.heatmap.names == ["ACTOR", "PLATFORM", "none"]
    assert cells(dialog.documents_table, 0)[0] == "2"
    assert "3 document(s) done by all of alice, bob, carol" in dialog.summary.text()
    assert "α (nominal, tokens) = " in dialog.summary.text()


def test_double_click_asks_to_open_the_document(qtbot, dialog):
    compute(qtbot, dialog)
    with qtbot.waitSignal(dialog.document_requested) as blocker:
        dialog.documents_table.cellDoubleClicked.emit(1, 1)
    assert blocker.args == [int(dialog.documents_table.item(1, 0).text())]


def test_no_shared_documents_says_so(qtbot, dialog):
    dialog.annotator_list.item(2).setCheckState(Qt.CheckState.Unchecked)  # carol
    dialog.annotator_list.item(3).setCheckState(Qt.CheckState.Checked)  # gold
    dialog._workspace.project.set_status(1, "gold", "todo")
    dialog._workspace.project.set_status(2, "gold", "todo")
    dialog._workspace.project.set_status(3, "gold", "todo")
    compute(qtbot, dialog)
    assert dialog.summary.text() == "No document is marked done by all of alice, bob, gold."
    assert dialog.pairs_table.rowCount() == 3 and dialog.documents_table.rowCount() == 0


def test_errors_reach_the_error_dialog(qtbot, dialog, monkeypatch):
    seen = []
    monkeypatch.setattr(agreement_dialog, "show_error", lambda *args: seen.append(args[1:]))

    def failing(location, annotators, *, progress):
        raise AnnotatorError("broken project")

    monkeypatch.setattr(agreement_dialog, "agreement_task", failing)
    compute(qtbot, dialog)
    assert seen and str(seen[0][1]) == "broken project"
    assert dialog.compute_button.isEnabled()


def test_review_menu_opens_the_dashboard(qtbot, workspace):
    win = MainWindow(workspace, Settings(auto_suggest=False), lambda *args: None)
    qtbot.addWidget(win)
    action = win.actions_by_id["review.agreement"]
    assert action.text() == "&Agreement…"
    action.trigger()
    opened = win.findChildren(AgreementDialog)
    assert len(opened) == 1 and opened[0].isVisible()
    assert opened[0].handle is not None, "the figures are computed on open"
    with qtbot.waitSignal(opened[0].handle.finished, timeout=WAIT_MS):
        pass
    assert opened[0].report is not None and opened[0].report.documents == 3
    opened[0].document_requested.emit(2)
    assert workspace.document is not None and workspace.document.id == 2
    opened[0].close()


def test_the_relations_tab_lists_scores_per_type(qtbot, dialog, workspace):
    """The arithmetic is in agreement_data.add_relations's docstring."""
    add_relations(workspace.project.location)
    compute(qtbot, dialog)
    table = dialog.relations_table
    assert cells(table, 0) == ["BUYS", "SUPPLIES", "ALL"]
    assert [table.item(1, c).text() for c in range(1, 6)] == ["1.00", "0.33", "0.50", "1", "2"]
    assert [table.item(2, c).text() for c in range(1, 6)] == ["0.67", "0.40", "0.50", "2", "4"]
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "&Relations" in tabs and "&Labels" in tabs  # beside the span scores
