"""Label tags: each span's label name written above its first word, in room the highlighter
makes by giving the spaces a taller font of the same width (issue 17: label names in the text)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtGui import QColor, QFontMetricsF

from annotator.core.model import Document, Span
from annotator.ui.article_view import ArticleView
from annotator.ui.highlighter import _space_positions
from annotator.ui.overlay import tag_rects, tag_text, visible_blocks

TEXT = "Azerbaijan's Ministry of Defense bought JF-17C Thunder jets from Pakistan 👍 in 2024."
MIXED = "وقعت أذربيجان Azerbaijan signed a deal مع باكستان لشراء طائرات JF-17C Thunder في 2024."
TINTS = {"ACTOR": QColor("#0072B2"), "PLATFORM": QColor("#E69F00"), "MOTIVATION": QColor("#009E73")}


def span(n: int, text: str, word: str, label: str, length: int | None = None) -> Span:
    start = text.index(word)
    return Span(n, 1, "alice", label, start, start + (length or len(word)))


def show(view: ArticleView, text: str, spans: list[Span]):
    """Show `text` as one paragraph; its block, layout origin in the viewport and first line."""
    view.show_document(Document(1, "t", "", text, "0" * 64), spans, TINTS)
    view.viewport().repaint()
    block, rect = next(visible_blocks(view))
    layout = block.layout()
    return block, rect.topLeft() + layout.position(), layout.lineAt(0)


def tags_of(view, block, origin):
    """The tags of every span in the shown block."""
    last = block.position() + block.length() - 1
    return tag_rects(view, block, origin, block.position(), last, view.index.overlapping(0, 10**6))


def test_tags_sit_in_room_above_their_first_word_and_never_overlap(view):
    spans = [
        span(1, TEXT, "Azerbaijan's Ministry of Defense", "ACTOR"),
        span(2, TEXT, "Azerbaijan", "ACTOR"),  # nested, same start
        span(3, TEXT, "Azerbaijan's Ministry", "MOTIVATION"),  # same start again
        span(4, TEXT, "JF-17C Thunder", "PLATFORM"),
        span(5, TEXT, "Pakistan", "ACTOR"),
    ]
    view.set_label_tags(True)
    block, origin, line = show(view, TEXT, spans)
    tags = tags_of(view, block, origin)
    assert sorted(s.id for _, s in tags) == [1, 2, 3, 4, 5]
    room = line.ascent() - QFontMetricsF(view.font()).ascent()
    for rect, tagged in tags:
        word_x = origin.x() + line.cursorToX(view.offsets.to_qt(tagged.start))[0]
        assert rect.top() >= origin.y() + line.y()
        assert rect.bottom() <= origin.y() + line.y() + room  # above the glyphs, not on them
        assert rect.left() >= word_x - 1
    boxes = sorted((rect for rect, _ in tags), key=lambda rect: rect.left())
    for left, right in pairwise(boxes):
        assert left.right() <= right.left()  # side by side, nested ones included
    platform = next(rect for rect, s in tags if s.id == 4)
    thunder_x = origin.x() + line.cursorToX(TEXT.index("JF-17C"))[0]
    assert abs(platform.left() - thunder_x) < 2  # where its word starts


def test_room_keeps_every_word_in_place_and_goes_with_the_tags(view):
    spans = [span(1, TEXT, "JF-17C Thunder", "PLATFORM")]
    _, _, plain = show(view, TEXT, spans)
    plain_height, plain_x = plain.height(), plain.cursorToX(TEXT.index("Pakistan"))[0]
    view.set_label_tags(True)
    _, _, roomy = show(view, TEXT, spans)
    assert roomy.height() > plain_height * 1.5
    assert roomy.cursorToX(TEXT.index("Pakistan"))[0] == pytest.approx(plain_x, abs=0.5)
    view.set_label_tags(False)
    block, origin, back = show(view, TEXT, spans)
    assert back.height() == plain_height
    assert tags_of(view, block, origin) == []  # no room: no tags (and none are painted)


def test_a_tall_space_inside_a_span_keeps_the_span_tint(view):
    spans = [span(1, TEXT, "Azerbaijan's Ministry", "PLATFORM")]
    view.set_label_tags(True)
    block, _, _ = show(view, TEXT, spans)
    inside = TEXT.index(" ")  # the line's first space: the tall one
    ranges = block.layout().formats()
    (fmt,) = [r.format for r in ranges if r.start <= inside < r.start + r.length]
    assert fmt.background().color() == TINTS["PLATFORM"]
    assert fmt.font().pointSizeF() > view.font().pointSizeF()


def test_a_right_to_left_tag_ends_at_its_words_right_edge(view):
    spans = [span(1, MIXED, "أذربيجان", "ACTOR")]
    view.set_label_tags(True)
    block, origin, line = show(view, MIXED, spans)
    ((rect, _),) = tags_of(view, block, origin)
    runs = line.glyphRuns(MIXED.index("أذربيجان"), 1)
    right = max(run.boundingRect().right() for run in runs)
    assert rect.right() == pytest.approx(origin.x() + right, abs=1)


def test_zooming_keeps_room_for_the_tags(view):
    spans = [span(1, TEXT, "Pakistan", "ACTOR")]
    view.set_label_tags(True)
    view.zoomIn(4)
    block, origin, _ = show(view, TEXT, spans)
    assert len(tags_of(view, block, origin)) == 1


def test_space_positions_count_utf16_units_after_emoji():
    assert list(_space_positions("a b")) == [1]
    assert list(_space_positions("👍 a\u00a0b")) == [2, 4]


def test_hostile_label_names_become_one_short_plain_line():
    assert tag_text("EVIL\nLABEL\x1b[31m") == "EVIL LABEL [31m"
    assert tag_text("<b>bold</b>") == "<b>bold</b>"  # drawn as text, never as markup
    assert len(tag_text("X" * 80)) == 16 and tag_text("X" * 80).endswith("…")


def test_after_a_resize_every_line_with_a_space_inside_has_room_again(view, qtbot):
    text = " ".join(["Azerbaijan bought JF-17C Thunder jets from Pakistan."] * 12)
    view.set_label_tags(True)
    block, _, _ = show(view, text, [span(1, text, "Pakistan", "ACTOR")])
    plain = QFontMetricsF(view.font()).ascent()
    view.resize(420, 300)
    qtbot.waitUntil(lambda: block.layout().lineCount() > 4)
    view.viewport().repaint()
    layout = block.layout()
    lines = [layout.lineAt(n) for n in range(layout.lineCount())]
    in_view = [line for line in lines if line.y() + line.height() < view.viewport().height()]
    assert len(in_view) > 3
    for line in in_view:
        inner = text[line.textStart() : line.textStart() + line.textLength()].strip()
        if " " in inner:
            assert line.ascent() > plain * 1.5
