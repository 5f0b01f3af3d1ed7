"""Other annotators' layers: chosen per annotator, read for the open document, underlined
read-only in the article, remembered per project, and re-read only for changes from outside."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from annotator.core.model import Changes
from annotator.ui.article_view import ArticleView
from annotator.ui.other_layers import MAX_SHOWN, OtherLayers
from annotator.ui.overlay import outline_rects, visible_blocks
from annotator.ui.workspace import Workspace

TEXT = "Baykar sold the TB2 to Azerbaijan."


@pytest.fixture
def workspace(project):
    doc = next(iter(project.add_document(TEXT).documents))
    project.add_span(doc, "bob", "ACTOR", 23, 33)
    project.add_span(doc, "gold", "ACTOR", 0, 6)
    project.add_span(doc, "alice", "PLATFORM", 16, 19)
    ws = Workspace(project, "alice")
    ws.open_document(doc)
    return ws


def test_a_chosen_layer_is_read_for_the_open_document_and_remembered(workspace):
    layers = OtherLayers(workspace)
    assert layers.candidates() == ["bob", "gold"] and layers.layers == []
    layers.set_shown("bob", True)
    [(name, spans)] = layers.layers
    assert name == "bob" and [(s.start, s.end, s.label) for s in spans] == [(23, 33, "ACTOR")]
    assert OtherLayers(workspace).shown == ["bob"]  # the next window shows it again
    layers.set_shown("bob", False)
    assert layers.layers == [] and OtherLayers(workspace).shown == []


def test_only_changes_from_outside_read_the_layers_again(workspace, monkeypatch):
    layers = OtherLayers(workspace)
    layers.set_shown("bob", True)
    reads = []
    real = workspace.project.span_layer
    monkeypatch.setattr(
        workspace.project, "span_layer", lambda *args: reads.append(args) or real(*args)
    )
    doc = workspace.document.id
    workspace.announce(Changes(documents=frozenset({doc}), spans_added=(99,)))  # an own edit
    assert reads == []
    workspace.announce(Changes(documents=frozenset({doc})))  # e.g. the live refresh
    assert reads == [(doc, "bob")]


def test_no_more_than_the_lanes_allow(project):
    doc = next(iter(project.add_document(TEXT).documents))
    for n in range(MAX_SHOWN + 1):
        project.add_span(doc, f"annotator{n}", "ACTOR", 0, 6)
    layers = OtherLayers(Workspace(project, "alice"))
    for name in layers.candidates():
        layers.set_shown(name, True)
    assert len(layers.shown) == MAX_SHOWN


def test_the_article_underlines_another_layer_in_its_label_colour(qtbot, workspace):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 200)
    with qtbot.waitExposed(view):
        view.show()
    view.show_document(workspace.document, [], {"ACTOR": QColor("#E69F00")})
    view.edge_colors = {"ACTOR": "#FF00FF"}
    layers = OtherLayers(workspace)
    layers.set_shown("bob", True)
    view.show_other_layers(layers.layers)
    image = view.viewport().grab().toImage()
    block, rect = next(visible_blocks(view))
    layout = block.layout()
    origin = rect.topLeft() + layout.position()
    lines = [layout.lineAt(n) for n in range(layout.lineCount())]
    [box] = outline_rects(view, block, origin, lines, 23, 33)
    magenta = [
        (x, y)
        for x in range(int(box.left()), int(box.right()))
        for y in range(int(box.top()), int(box.bottom()) + 2)
        if image.pixelColor(x, y).name() == "#ff00ff"
    ]
    assert magenta, "bob's ACTOR span is underlined"
    [other] = outline_rects(view, block, origin, lines, 0, 6)
    assert not any(other.left() <= x <= other.right() for x, _ in magenta)
