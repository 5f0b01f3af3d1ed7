"""LabelPalette: rows with swatch and hotkey, tooltips, label_chosen, guidelines, rebuilds."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from annotator.core.commands import AddLabelCommand, RemoveLabelCommand, UpdateLabelCommand
from annotator.ui import label_palette
from annotator.ui.label_palette import LabelPalette
from annotator.ui.workspace import Workspace


@pytest.fixture
def workspace(project) -> Workspace:
    return Workspace(project, "alice")


@pytest.fixture
def palette(qtbot, workspace) -> LabelPalette:
    widget = LabelPalette(workspace)
    qtbot.addWidget(widget)
    widget.resize(300, 400)
    widget.show()
    return widget


def texts(palette: LabelPalette) -> list[str]:
    return [palette.list.item(row).text() for row in range(palette.list.count())]


def click(qtbot, palette: LabelPalette, name: str) -> None:
    rect = palette.list.visualItemRect(palette.item_of(name))
    qtbot.mouseClick(palette.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_one_row_per_label_with_swatch_and_hotkey(palette):
    assert texts(palette) == ["ACTOR  [1]", "PLATFORM  [2]", "MOTIVATION  [3]"]
    assert all(not palette.list.item(r).icon().isNull() for r in range(palette.list.count()))


def test_tooltip_is_the_description(palette, workspace):
    for label in workspace.labels:
        shown = QTextDocument()
        shown.setHtml(palette.item_of(label.name).toolTip())  # a tooltip is rendered as rich text
        assert shown.toPlainText().split() == label.description.split()
        assert label.description


def test_click_emits_label_chosen_and_shows_guidelines(palette, workspace, qtbot):
    with qtbot.waitSignal(palette.label_chosen) as chosen:
        click(qtbot, palette, "PLATFORM")
    assert chosen.args == ["PLATFORM"]
    assert palette.current_label() == "PLATFORM"
    shown = palette.guidelines.toPlainText()
    assert shown.startswith("PLATFORM")
    first_words = workspace.label("PLATFORM").description.split()[:3]
    assert " ".join(first_words) in " ".join(shown.split())


def test_hover_shows_a_labels_guidelines(palette):
    palette.set_current_label("ACTOR")
    palette.list.itemEntered.emit(palette.item_of("MOTIVATION"))
    assert palette.guidelines.toPlainText().startswith("MOTIVATION")


def test_set_current_label_does_not_emit(palette, qtbot):
    with qtbot.assertNotEmitted(palette.label_chosen):
        palette.set_current_label("MOTIVATION")
    assert palette.current_label() == "MOTIVATION"
    palette.set_current_label(None)
    assert palette.current_label() is None
    assert palette.guidelines.toPlainText() == label_palette.GUIDELINES_HINT


def test_rebuilds_when_a_label_is_added_changed_or_removed(palette, workspace):
    palette.set_current_label("PLATFORM")
    workspace.execute(AddLabelCommand("COUNTRY", "#112233", "4", "Sovereign states only."))
    assert texts(palette)[-1] == "COUNTRY  [4]"
    assert palette.item_of("COUNTRY").toolTip() == "<p>Sovereign states only.</p>"  # escaped
    assert palette.current_label() == "PLATFORM"
    workspace.execute(UpdateLabelCommand("COUNTRY", {"new_name": "STATE", "hotkey": None}))
    assert texts(palette)[-1] == "STATE"
    workspace.execute(RemoveLabelCommand("PLATFORM"))
    assert texts(palette) == ["ACTOR  [1]", "MOTIVATION  [3]", "STATE"]
    assert palette.current_label() is None
    workspace.undo_stack.undo()
    assert "PLATFORM  [2]" in texts(palette)


def test_guidelines_follow_no_links_and_load_nothing(palette, workspace):
    browser = palette.guidelines
    assert not browser.openLinks() and not browser.openExternalLinks()
    url = QUrl("https://example.org/tracker.png")
    assert browser.loadResource(int(QTextDocument.ResourceType.ImageResource), url) is None
    workspace.execute(
        AddLabelCommand("HTML", description="<b>bold</b> and ![x](https://example.org/x.png)")
    )
    palette.set_current_label("HTML")
    assert "<b>bold</b>" in palette.guidelines.toPlainText()  # shown as text, not markup


def test_the_hint_wraps_in_a_narrow_dock(qtbot, project):
    palette = LabelPalette(Workspace(project, "alice"))
    qtbot.addWidget(palette)
    palette.resize(150, 400)
    with qtbot.waitExposed(palette):
        palette.show()
    palette.set_current_label(None)
    guidelines = palette.guidelines
    assert guidelines.toPlainText() == label_palette.GUIDELINES_HINT
    size = guidelines.document().documentLayout().documentSize()
    assert size.width() <= guidelines.viewport().width()
    assert guidelines.document().firstBlock().layout().lineCount() > 1
