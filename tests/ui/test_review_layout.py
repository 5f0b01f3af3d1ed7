"""The Review dock's place survives a restart, hidden until review mode; starting review is an
undo step when it makes the gold layer, and undoing it ends review mode."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QRect, Qt

from annotator.core.settings import Settings
from annotator.ui import review_controller
from annotator.ui.main_window import MainWindow
from annotator.ui.review_model import LABEL, STATE, WHO
from annotator.ui.review_model import TEXT as TEXT_COLUMN
from annotator.ui.review_panel import CANDIDATE_TEXT_MIN, MIN_ROWS
from annotator.ui.window_layout import place_default
from annotator.ui.workspace import Workspace

TEXT = "Baykar Makina sold TB2 drones to Poland."
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


@pytest.fixture
def doc(project, monkeypatch):
    monkeypatch.setattr(review_controller, "ask_review_annotators", lambda *a: ["alice", "bob"])
    (doc_id,) = project.add_document(TEXT).documents
    project.add_span(doc_id, "alice", "ACTOR", 0, 6)
    project.add_span(doc_id, "bob", "ACTOR", 0, 13)
    project.add_span(doc_id, "bob", "PLATFORM", 19, 22)
    return doc_id


def open_window(qtbot, project, doc) -> MainWindow:
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.workspace.open_document(doc)
    return window


def start(qtbot, window) -> None:
    window.actions_by_id["review.start"].trigger()
    qtbot.waitUntil(lambda: window.review.tally.ready)


def test_a_new_window_has_the_dock_hidden_in_its_default_tab(qtbot, project, doc):
    window = open_window(qtbot, project, doc)
    dock = window.review.dock
    assert not dock.isVisible() and not dock.toggleViewAction().isVisible()
    start(qtbot, window)
    assert dock.isVisible() and window.dockWidgetArea(dock) == RIGHT
    assert window.spans_dock in window.tabifiedDockWidgets(dock)
    window.close()


def test_the_dock_comes_back_where_it_was_left(qtbot, project, doc):
    first = open_window(qtbot, project, doc)
    first.resize(760, 700)  # within the offscreen screen, so the geometry restores unclamped
    start(qtbot, first)
    first.addDockWidget(LEFT, first.review.dock)  # the reviewer drags it to the left
    first.resizeDocks([first.review.dock], [300], Qt.Orientation.Horizontal)
    first.resizeDocks([first.review.dock], [260], Qt.Orientation.Vertical)
    qtbot.wait(50)  # let the layout settle
    size = first.review.dock.size()
    first.close()  # saves the layout, review mode on and dock shown
    second = open_window(qtbot, project, doc)
    dock = second.review.dock
    assert not second.review.active and not dock.isVisible()  # review mode is not resumed
    start(qtbot, second)
    assert dock.isVisible() and not dock.isFloating()
    assert second.dockWidgetArea(dock) == LEFT and second.tabifiedDockWidgets(dock) == []
    qtbot.waitUntil(lambda: dock.size() == size)
    second.close()


def test_a_floating_dock_floats_again(qtbot, project, doc):
    first = open_window(qtbot, project, doc)
    start(qtbot, first)
    first.review.dock.setFloating(True)
    first.review.dock.resize(500, 380)
    first.review.leave()  # closed outside review mode this time
    first.close()
    second = open_window(qtbot, project, doc)
    start(qtbot, second)
    dock = second.review.dock
    assert dock.isFloating() and dock.isVisible()
    assert (dock.width(), dock.height()) == (500, 380)
    second.close()


def test_undo_after_start_review_unmarks_the_gold_layer_and_ends_review(qtbot, project, doc):
    window = open_window(qtbot, project, doc)
    stack = window.workspace.undo_stack
    start(qtbot, window)
    assert project.gold_annotator() == "gold"
    assert stack.count() == 1 and stack.undoText() == "Make 'gold' the gold layer"
    window.review.accept()  # the first open disagreement: alice's ACTOR 0-6
    assert [(s.start, s.end) for s in project.spans(doc, "gold")] == [(0, 6)]
    window.actions_by_id["edit.undo"].trigger()
    assert project.spans(doc, "gold") == [] and window.review.active
    window.actions_by_id["edit.undo"].trigger()
    assert project.gold_annotator() is None
    assert "gold" not in {a.name for a in project.annotators()}
    assert not window.review.active and window.workspace.annotator == "alice"
    assert not window.review.dock.isVisible()
    assert "no longer the gold layer" in window.statusBar().currentMessage()
    window.actions_by_id[
        "edit.redo"
    ].trigger()  # the marking comes back; review mode is started again by the reviewer
    assert project.gold_annotator() == "gold" and not window.review.active
    start(qtbot, window)
    assert window.review.active and stack.count() == 2  # nothing new to undo: gold exists
    window.close()


def test_start_review_with_a_gold_layer_adds_no_undo_step(qtbot, project, doc):
    project.set_gold("reviewer")
    window = open_window(qtbot, project, doc)
    start(qtbot, window)
    assert window.review.active and window.workspace.annotator == "reviewer"
    assert window.workspace.undo_stack.count() == 0
    window.close()


def test_the_candidate_list_shows_several_rows_in_a_small_first_window(qtbot, project, doc):
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    place_default(window, QRect(0, 0, 1024, 700))
    window.fit_docks()
    window.show()
    qtbot.waitExposed(window)
    window.workspace.open_document(doc)
    start(qtbot, window)
    table = window.review.panel.table
    qtbot.waitUntil(lambda: table.viewport().height() >= MIN_ROWS * table.rowHeight(0))
    assert window.centralWidget().width() >= window.width() / 2
    window.resizeDocks([window.labels_dock], [500], Qt.Orientation.Vertical)  # Labels grows
    qtbot.wait(50)
    assert table.viewport().height() >= MIN_ROWS * table.rowHeight(0)  # the list gives no more
    window.close()


@pytest.mark.parametrize("width", [180, 460])
def test_the_candidate_text_stretches_the_others_fit_and_no_scroll_bar(qtbot, project, doc, width):
    """Text takes the width the other columns leave (fitted to their cells; "Marked by" gives
    way in a narrow dock), never a horizontal scroll bar; its tooltip is the whole text."""
    window = open_window(qtbot, project, doc)
    window.resize(1200, 700)
    start(qtbot, window)
    window.resizeDocks([window.review.dock], [width], Qt.Orientation.Horizontal)
    table = window.review.panel.table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: abs(window.review.dock.width() - width) < 20)
    qtbot.wait(20)  # the columns refit once the resize has been handled
    shown = [c for c in (STATE, LABEL, TEXT_COLUMN, WHO) if not header.isSectionHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) == table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    for column in set(shown) - {TEXT_COLUMN}:
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
    assert (WHO in shown) == (width > 300)
    assert header.sectionSize(TEXT_COLUMN) >= min(
        CANDIDATE_TEXT_MIN,
        table.viewport().width() - header.sectionSize(STATE) - header.sectionSize(LABEL),
    )
    texts = [
        table.model().index(row, TEXT_COLUMN).data(Qt.ItemDataRole.ToolTipRole) for row in range(3)
    ]
    assert ["Baykar Makina" in tip for tip in texts] == [False, True, False]
    window.close()
