"""DocumentTableModel (lazy pages, filters, sorting, refresh, navigation) and NavigatorPanel."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, Qt

from annotator.core.commands import AddSpanCommand, SetStatusCommand
from annotator.core.model import ImportedDocument, NewSuggestion, Status
from annotator.core.project import DocumentFilter
from annotator.core.project.documents import ranked_document_ids
from annotator.ui import document_model
from annotator.ui.document_model import (
    COLUMNS,
    DATE,
    DONE_BY,
    LENGTH,
    PAGE,
    SOURCE,
    SPANS,
    STATUS,
    DocumentTableModel,
)
from annotator.ui.navigator import TITLE_FLOOR, NavigatorPanel
from annotator.ui.workspace import Workspace

COUNT = 450  # more than two pages
ROOT = QModelIndex()


@pytest.fixture
def ids(project) -> list[int]:
    """COUNT documents titled "Doc 000".. with distinct texts (some mention drones)."""
    docs = [
        ImportedDocument(
            f"Article {i}: " + ("drone " if i % 50 == 0 else "") + "x" * (i % 13),
            title=f"Doc {i:03}",
        )
        for i in range(COUNT)
    ]
    return project.import_documents(docs).document_ids


@pytest.fixture
def workspace(project, ids) -> Workspace:
    return Workspace(project, "alice")


@pytest.fixture
def model(qapp, workspace) -> DocumentTableModel:
    return DocumentTableModel(workspace)


def fetch_all(model: DocumentTableModel) -> None:
    while model.canFetchMore(ROOT):
        model.fetchMore(ROOT)


def column(model: DocumentTableModel, col: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(row, col).data(role) for row in range(model.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester, model, workspace, ids):
    workspace.project.set_status(ids[1], "alice", Status.DONE)
    qtmodeltester.check(model)
    fetch_all(model)
    qtmodeltester.check(model)


def test_pages_are_fetched_lazily(model):
    assert model.rowCount() == 0 and model.canFetchMore(ROOT)
    model.fetchMore(ROOT)
    assert model.rowCount() == PAGE
    model.fetchMore(ROOT)
    assert model.rowCount() == 2 * PAGE
    model.fetchMore(ROOT)
    assert model.rowCount() == COUNT
    assert not model.canFetchMore(ROOT)
    assert column(model, 0)[:2] == ["Doc 000", "Doc 001"]


def test_columns_show_title_status_word_spans_and_length(model, workspace, ids):
    workspace.project.set_status(ids[0], "alice", Status.IN_PROGRESS)
    workspace.project.add_span(ids[0], "alice", "ACTOR", 0, 7)
    workspace.project.add_span(ids[0], "bob", "ACTOR", 0, 7)
    model.fetchMore(ROOT)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["Title", "Date", "Source", "Status", "Spans", "Done by", "Length"]
    row = [model.index(0, c).data() for c in range(len(COLUMNS))]
    assert row == ["Doc 000", "", "", "In progress", 1, 0, len("Article 0: drone ")]
    assert model.index(1, STATUS).data() == "To do"
    assert not model.index(0, STATUS).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_filters_by_status_label_and_search(model, workspace, ids):
    project = workspace.project
    project.set_status(ids[3], "alice", Status.DONE)
    project.set_status(ids[4], "bob", Status.DONE)
    project.add_span(ids[5], "alice", "PLATFORM", 0, 3)
    project.add_span(ids[6], "bob", "PLATFORM", 0, 3)
    model.set_filter(DocumentFilter(status=Status.DONE))
    fetch_all(model)
    assert model.loaded_ids() == [ids[3]]
    model.set_filter(DocumentFilter(annotator="bob", label="PLATFORM"))
    fetch_all(model)
    assert model.filter.annotator == "alice"
    assert model.loaded_ids() == [ids[5]]
    model.set_filter(DocumentFilter(search="drone"))
    fetch_all(model)
    assert model.loaded_ids() == ids[::50]
    model.set_filter(DocumentFilter())
    fetch_all(model)
    assert model.rowCount() == COUNT


def test_sort_by_header_columns_resets_and_orders(model, qtbot):
    with qtbot.waitSignal(model.modelReset):
        model.sort(LENGTH, Qt.SortOrder.DescendingOrder)
    model.fetchMore(ROOT)
    lengths = column(model, LENGTH)
    assert lengths == sorted(lengths, reverse=True)
    assert model.order == ("length", True)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.fetchMore(ROOT)
    assert column(model, 0)[:2] == ["Doc 449", "Doc 448"]
    model.sort(-1)
    model.fetchMore(ROOT)
    assert column(model, 0)[0] == "Doc 000" and model.order == ("id", False)


def test_changes_refresh_only_the_touched_rows(model, workspace, ids, qtbot):
    fetch_all(model)
    seen = []
    model.dataChanged.connect(lambda top, bottom: seen.append((top.row(), bottom.row())))
    with qtbot.waitSignal(model.dataChanged):
        workspace.execute(AddSpanCommand(ids[300], "alice", "ACTOR", 0, 7))
    workspace.execute(SetStatusCommand(ids[300], "alice", Status.DONE))
    assert seen == [(300, 300), (300, 300)]
    assert [model.index(300, c).data() for c in (STATUS, SPANS, DONE_BY)] == ["Done", 1, 1]
    workspace.undo_stack.undo()
    assert model.index(300, STATUS).data() == "To do"


def test_rows_stay_when_a_change_takes_them_out_of_the_filter(model, workspace, ids):
    model.set_filter(DocumentFilter(status=Status.TODO))
    model.fetchMore(ROOT)
    workspace.execute(SetStatusCommand(ids[2], "alice", Status.DONE))
    assert model.rowCount() == PAGE
    assert model.index(2, STATUS).data() == "Done"


def test_row_of_and_neighbour_fetch_pages_as_needed(model, ids):
    assert model.row_of(ids[420]) == 420
    assert model.rowCount() == COUNT
    model.reload()
    assert model.neighbour(ids[0], 1) == ids[1]
    assert model.neighbour(ids[0], -1) is None
    assert model.neighbour(ids[199], 1) == ids[200]  # crosses into the second page
    assert model.neighbour(ids[449], 1) is None
    assert model.neighbour(ids[300], -2) == ids[298]
    model.set_filter(DocumentFilter(search="drone"))
    assert model.neighbour(ids[50], 1) == ids[100]
    assert model.row_of(ids[51]) is None


def test_neighbour_follows_the_sort_order(model, ids):
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.neighbour(ids[449], 1) == ids[448]
    assert model.neighbour(ids[0], 1) is None


def test_next_unfinished_searches_the_project_and_wraps_once(model, workspace, ids):
    project = workspace.project
    for doc_id in ids:
        project.set_status(doc_id, "alice", Status.DONE)
    project.set_status(ids[10], "alice", Status.TODO)
    project.set_status(ids[430], "alice", Status.IN_PROGRESS)
    project.set_status(ids[431], "alice", Status.SKIPPED)
    model.fetchMore(ROOT)  # only the first page is loaded
    assert model.next_unfinished(ids[10]) == ids[430]
    assert model.rowCount() == PAGE  # found by query, not by loading rows
    assert model.next_unfinished(ids[430]) == ids[10]  # wrapped around
    assert model.next_unfinished(None) == ids[10]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.next_unfinished(ids[440]) == ids[430]
    assert model.next_unfinished(ids[430]) == ids[10]
    project.set_status(ids[430], "alice", Status.DONE)
    assert model.next_unfinished(ids[10]) is None  # nothing else left


@pytest.fixture
def panel(qtbot, workspace) -> NavigatorPanel:
    widget = NavigatorPanel(workspace)
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    return widget


def test_panel_fetches_and_sorts_by_header_click(panel, qtbot):
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    assert panel.model.order == ("id", False)
    header = panel.view.horizontalHeader()
    assert header.isSectionHidden(LENGTH)  # 500 pixels: Length gave way, Date did not
    centre = _section_centre(header, DATE)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert panel.model.order[0] == "date"


@pytest.mark.parametrize("width", [230, 260])
def test_in_a_narrow_dock_the_title_elides_and_the_date_keeps_its_width(qtbot, project, width):
    """Issue 22: at ~240 px the Date column hid to keep the title 150 px wide. Now the other
    columns give way first, then the title elides (down to TITLE_FLOOR) while the date stays
    whole; only narrower than that does the date give way too."""
    long_title = "Azerbaijan's Ministry of Defense receives the first Bayraktar TB2 drones"
    docs = [
        ImportedDocument(f"Text {n}", title=f"{long_title} ({n})", meta={"date": "2024-03-08"})
        for n in range(5)
    ]
    project.import_documents(docs)
    panel = NavigatorPanel(Workspace(project, "alice"))
    qtbot.addWidget(panel)
    panel.resize(width, 400)
    panel.show()
    view, header = panel.view, panel.view.horizontalHeader()

    def shown() -> list[int]:
        return [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]

    def date_whole() -> bool:  # "2024-03-08", not "20…" (once refitted to the rows)
        return panel.model.rowCount() > 0 and view.columnWidth(DATE) >= view.sizeHintForColumn(DATE)

    qtbot.waitUntil(lambda: shown() == [0, DATE, STATUS] and date_whole())
    assert TITLE_FLOOR <= view.columnWidth(0) < view.sizeHintForColumn(0)  # elided
    assert view.horizontalScrollBar().maximum() == 0  # everything in view
    panel.resize(180, 400)
    qtbot.waitUntil(lambda: shown() == [0, STATUS])


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_panel_status_combo_and_debounced_search_filter(panel, qtbot, workspace, ids):
    workspace.project.set_status(ids[7], "alice", Status.SKIPPED)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(Status.SKIPPED.value))
    assert panel.model.filter.status == Status.SKIPPED
    panel.status_combo.setCurrentIndex(0)
    qtbot.keyClicks(panel.search_edit, "drone")
    assert panel.search_timer.isActive() and panel.model.filter.search is None
    with qtbot.waitSignal(panel.model.modelReset, timeout=2000):
        pass
    assert panel.model.filter.search == "drone"
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Escape)
    assert panel.search_edit.text() == "" and panel.model.filter.search is None


def test_panel_label_combo_filters_and_follows_new_labels(panel, workspace, ids):
    workspace.project.add_span(ids[9], "alice", "MOTIVATION", 0, 3)
    names = [panel.label_combo.itemText(i) for i in range(panel.label_combo.count())]
    assert names == ["Any label", "ACTOR", "PLATFORM", "MOTIVATION"]
    panel.label_combo.setCurrentIndex(panel.label_combo.findData("MOTIVATION"))
    fetch_all(panel.model)
    assert panel.model.loaded_ids() == [ids[9]]
    from annotator.core.commands import AddLabelCommand

    workspace.execute(AddLabelCommand("COUNTRY"))
    assert panel.label_combo.findData("COUNTRY") > 0
    assert panel.label_combo.currentData() == "MOTIVATION"


def test_panel_click_emits_and_show_document_does_not(panel, qtbot, ids):
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    rect = panel.view.visualRect(panel.model.index(2, 0))
    with qtbot.waitSignal(panel.document_activated) as signal:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [ids[2]]
    with qtbot.assertNotEmitted(panel.document_activated):
        panel.show_document(ids[350])
    assert panel.view.currentIndex().row() == 350
    with qtbot.waitSignal(panel.document_activated) as signal:
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert signal.args == [ids[351]]


def test_panel_next_previous_and_next_unfinished(panel, qtbot, workspace, ids):
    with qtbot.waitSignal(panel.document_activated) as signal:
        assert panel.next_document() == ids[0]  # nothing current: the first document
    assert signal.args == [ids[0]]
    assert panel.next_document() == ids[1]
    assert panel.previous_document() == ids[0]
    assert panel.previous_document() is None
    workspace.project.set_status(ids[1], "alice", Status.DONE)
    assert panel.next_unfinished() == ids[2]
    workspace.open_document(ids[449])
    assert panel.current_document == ids[449]
    assert panel.view.currentIndex().row() == 449
    assert panel.next_document() is None
    assert panel.next_unfinished() == ids[0]


def test_panel_refresh_shows_new_documents_and_follows_the_annotator(panel, workspace, ids):
    panel.model.sort(0, Qt.SortOrder.DescendingOrder)
    new_id = next(iter(workspace.project.add_document("Fresh text", title="Doc 999").documents))
    workspace.project.set_status(new_id, "bob", Status.DONE)
    panel.refresh()
    assert panel.model.index(0, 0).data() == "Doc 999"
    assert panel.model.order == ("title", True)
    workspace.annotator = "bob"
    panel.refresh()
    assert panel.model.filter.annotator == "bob"
    assert panel.model.index(0, STATUS).data() == "Done"


@pytest.fixture
def dated(project) -> dict[str, int]:
    """Four articles: three dated, from two sources, and one undated from a file."""
    docs = [
        ImportedDocument("A", title="March", meta={"date": "2024-03-08", "source": "Reuters"}),
        ImportedDocument("B", title="January", meta={"date": "2024-01-15", "source": "AP News"}),
        ImportedDocument("C", title="Undated", source="/home/r/articles/c.txt"),
        ImportedDocument("D", title="Spring", meta={"date_text": "spring 2023"}),
        ImportedDocument("E", title="May", meta={"date": "2023-05-02", "source": "Reuters"}),
    ]
    ids = project.import_documents(docs).document_ids
    return {doc.title: doc_id for doc, doc_id in zip(docs, ids, strict=True)}


def test_the_date_and_source_columns_show_them(qapp, project, dated):
    model = DocumentTableModel(Workspace(project, "alice"))
    fetch_all(model)
    cells = [[model.index(row, c).data() for c in (0, DATE, SOURCE)] for row in range(5)]
    shown = {title: (date, source) for title, date, source in cells}
    assert shown["March"] == ("2024-03-08", "Reuters")
    assert shown["Undated"] == ("", "c.txt")  # a file's name, its folders in the tooltip
    assert shown["Spring"] == ("spring 2023", "")
    tip = model.index(model.row_of(dated["Undated"]), SOURCE).data(Qt.ItemDataRole.ToolTipRole)
    assert "/home/r/articles/c.txt" in tip


def test_sorting_by_date_puts_undated_articles_last_both_ways(qapp, project, dated):
    model = DocumentTableModel(Workspace(project, "alice"))
    model.sort(DATE, Qt.SortOrder.AscendingOrder)
    fetch_all(model)
    assert column(model, 0)[:3] == ["May", "January", "March"]
    assert set(column(model, 0)[3:]) == {"Undated", "Spring"}
    model.sort(DATE, Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    assert column(model, 0)[:3] == ["March", "January", "May"]
    model.sort(SOURCE, Qt.SortOrder.AscendingOrder)
    fetch_all(model)
    assert model.order == ("source", False) and column(model, 0)[-2:] == ["March", "May"]


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("2024", {"March", "January"}),
        ("2024-03", {"March"}),
        ("reuters", {"March", "May"}),
        ("Reuters 2023", {"May"}),
        ("articles", {"Undated"}),  # a word of its file's path
    ],
)
def test_the_search_box_filters_by_date_and_source_too(qapp, project, dated, search, titles):
    model = DocumentTableModel(Workspace(project, "alice"))
    model.set_filter(DocumentFilter(search=search))
    fetch_all(model)
    assert set(column(model, 0)) == titles


def test_panel_most_uncertain_first_orders_by_pending_suggestions(panel, qtbot, workspace, ids):
    """The status combo's "Most uncertain first" sorts by the suggestions' uncertainty (least
    sure first, done and unsuggested documents last); a header click or another entry ends it."""
    project = workspace.project
    for n, score in ((5, 0.9), (9, 0.55), (3, 0.7)):
        project.store_suggestions(ids[n], "m", [NewSuggestion(0, 7, "ACTOR", score)])
    project.store_suggestions(ids[0], "m", [NewSuggestion(0, 7, "ACTOR", 0.5)])
    project.set_status(ids[0], "alice", Status.DONE)
    combo = panel.status_combo
    with qtbot.waitSignal(panel.model.ranked):  # read by a worker
        combo.setCurrentIndex(combo.findText("Most uncertain first"))
    assert panel.model.order[0] == "uncertain" and panel.model.filter.status is None
    shown = panel.model.loaded_ids()
    assert shown[:3] == [ids[9], ids[3], ids[5]] and ids[0] not in shown[:PAGE]
    assert panel.view.horizontalHeader().sortIndicatorSection() == -1
    header = panel.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, 0))
    assert panel.model.order == ("title", False) and combo.currentIndex() == 0
    combo.setCurrentIndex(combo.findText("Most uncertain first"))
    combo.setCurrentIndex(0)
    assert panel.model.order[0] == "id"


def test_an_uncertainty_order_overtaken_by_another_order_is_dropped(qtbot, model, ids, monkeypatch):
    """The worker's order arrives after the user chose another: the list keeps the new one."""
    release = threading.Event()

    def held_back(*args, **kwargs):  # the worker's order arrives only when the test says
        release.wait(10)
        return ranked_document_ids(*args, **kwargs)

    monkeypatch.setattr(document_model, "ranked_document_ids", held_back)
    model.set_order("uncertain")
    assert model.ranking and not model.canFetchMore(ROOT)  # nothing read on the GUI thread
    qtbot.waitUntil(lambda: bool(model.runner.active()))  # held back: cannot finish unseen
    model.set_order("title", descending=True)
    assert not model.ranking
    release.set()
    qtbot.waitUntil(lambda: not model.runner.active())
    fetch_all(model)
    assert model.order == ("title", True) and model.loaded_ids()[:2] == [ids[449], ids[448]]
