"""A first-use hint until the first span; the reading place remembered per project."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor

from annotator.core.commands import AddSpanCommand
from annotator.ui.article_view import ArticleView
from annotator.ui.first_use import FirstUseBanner
from annotator.ui.reading_place import (
    remember_place,
    remembered_place,
    scroll_to_top,
    top_position,
)
from annotator.ui.workspace import Workspace

PARAGRAPH = "Azerbaijan signed a deal with Pakistan for JF-17C Thunder jets. 🚀\n"


def test_the_hint_names_the_keys_and_goes_with_the_first_span(qtbot, project):
    doc = next(iter(project.add_document("Baykar sold the TB2 to Azerbaijan.").documents))
    workspace = Workspace(project, "alice")
    banner = FirstUseBanner(workspace)
    qtbot.addWidget(banner)
    assert not banner.isHidden()
    assert "1 (ACTOR), 2 (PLATFORM), 3 (MOTIVATION)" in banner.label.text()
    workspace.execute(AddSpanCommand(doc, "alice", "ACTOR", 0, 6))
    assert banner.isHidden()
    again = FirstUseBanner(Workspace(project, "alice"))
    qtbot.addWidget(again)
    assert again.isHidden(), "someone who has annotated gets no hint"


def test_a_place_is_remembered_per_project_and_junk_is_ignored():
    remember_place("/a.db", 7, 1234)
    assert remembered_place("/a.db") == (7, 1234)
    assert remembered_place("/b.db") is None
    QSettings().setValue("reading_place//c.db", ["x", None])
    assert remembered_place("/c.db") is None


def test_scrolling_back_to_a_place_shows_it_at_the_top(qtbot, project):
    text = PARAGRAPH * 400
    doc_id = next(iter(project.add_document(text).documents))
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    with qtbot.waitExposed(view):
        view.show()
    view.show_document(project.document(doc_id), [], {"ACTOR": QColor("#E69F00")})
    target = text.index("Pakistan", len(PARAGRAPH) * 250)
    scroll_to_top(view, target)
    top = top_position(view)
    line_start = text.rindex("\n", 0, target) + 1
    assert line_start <= top <= target
