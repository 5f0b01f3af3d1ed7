"""A first start's layout: the window fits the screen, the article gets most of the width,
columns give way in narrow docks so titles, texts and label names stay readable."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QRect, Qt

from annotator.core.commands import AddSpanCommand
from annotator.core.settings import Settings
from annotator.ui.document_model import COLUMNS, DATE, LENGTH
from annotator.ui.main_window import MainWindow
from annotator.ui.navigator import TITLE_FLOOR
from annotator.ui.plain import plain_tip
from annotator.ui.span_model import LABEL, TEXT
from annotator.ui.window_layout import place_default
from annotator.ui.workspace import Workspace

TITLE = "Morocco orders six Embraer C-390 transports to replace ageing Hercules fleet"
BODY = "Morocco has ordered six C-390 Millennium military transport aircraft. " * 30


@pytest.fixture
def project_with_spans(project):
    (doc_id,) = project.add_document(BODY, TITLE).documents
    project.add_span(doc_id, "alice", "MOTIVATION", 0, 40)
    project.add_span(doc_id, "alice", "ACTOR", 0, 7)
    return project


def first_start(qtbot, project, screen: QRect, *, maximised: bool) -> MainWindow:
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: 0)
    qtbot.addWidget(window)
    place_default(window, screen)
    if maximised:
        window.resize(screen.size())
    window.fit_docks()
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("maximised", [False, True])
@pytest.mark.parametrize("width, height", [(1024, 700), (1400, 900)])
def test_the_article_gets_at_least_half_the_width(
    qtbot, project_with_spans, width, height, maximised
):
    screen = QRect(0, 0, width, height)
    window = first_start(qtbot, project_with_spans, screen, maximised=maximised)
    if not maximised:
        assert window.width() == int(width * 0.8) and window.height() == int(height * 0.8)
        assert screen.contains(window.geometry())
    assert window.centralWidget().width() >= window.width() / 2
    assert window.spans_dock.height() > window.labels_dock.height()  # the list, not the palette


@pytest.mark.parametrize("width, height", [(1024, 700), (1400, 900)])
def test_the_title_and_span_text_columns_keep_room_and_label_names_show(
    qtbot, project_with_spans, width, height
):
    window = first_start(qtbot, project_with_spans, QRect(0, 0, width, height), maximised=False)
    documents = window.navigator.view
    # The title was squeezed to "Moro…"; it keeps TITLE_FLOOR beside the date (issue 22).
    assert documents.columnWidth(0) >= TITLE_FLOOR and not documents.isColumnHidden(DATE)
    assert documents.horizontalHeader().sectionResizeMode(0).name == "Stretch"
    spans = window.span_list.view
    model = spans.model()
    assert [model.index(row, LABEL).data() for row in range(2)] == ["ACTOR", "MOTIVATION"]
    assert spans.columnWidth(LABEL) >= spans.sizeHintForColumn(LABEL)  # not "■ …"
    assert spans.columnWidth(TEXT) >= 70
    assert documents.isColumnHidden(LENGTH)  # Length gave way to the title
    window.resizeDocks([window.navigator_dock], [700], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: not any(documents.isColumnHidden(c) for c in range(len(COLUMNS))))


def test_document_tooltip_holds_the_full_title_and_the_source(qtbot, project_with_spans):
    window = first_start(qtbot, project_with_spans, QRect(0, 0, 1024, 700), maximised=False)
    tip = window.navigator.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == plain_tip(TITLE)


def test_a_span_tagged_in_an_empty_list_shows_its_label_name(qtbot, project):
    (doc_id,) = project.add_document(BODY, TITLE).documents
    window = first_start(qtbot, project, QRect(0, 0, 1400, 900), maximised=False)
    spans = window.span_list.view
    empty_width = spans.columnWidth(LABEL)
    window.workspace.execute(AddSpanCommand(doc_id, "alice", "MOTIVATION", 0, 7))
    qtbot.waitUntil(lambda: spans.model().rowCount() == 1)
    qtbot.wait(20)
    assert spans.columnWidth(LABEL) >= spans.sizeHintForColumn(LABEL) > empty_width  # not "■ …"


def test_the_docks_give_way_when_the_window_gets_narrower(qtbot, project_with_spans):
    """Issue 17: a window made 1024 px wide kept the docks sized for a wider one, and the article
    got less than half (~460 px of 1024, ~280 before the first-start layout)."""
    window = first_start(qtbot, project_with_spans, QRect(0, 0, 1400, 900), maximised=False)
    left, right = window.navigator_dock.width(), window.labels_dock.width()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.centralWidget().width() >= window.width() / 2)
    assert window.navigator_dock.width() < left and window.labels_dock.width() < right
    assert window.navigator_dock.width() >= 180 and window.labels_dock.width() >= 180
