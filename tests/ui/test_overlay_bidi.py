"""Span edges and suggestion boxes sit on the glyphs they mark, in right-to-left and mixed
paragraphs too (positions are checked against the layout's own cursor positions inside words)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from annotator.core.model import Document
from annotator.ui.article_view import ArticleView
from annotator.ui.overlay import edge_rects, outline_rects, visible_blocks

MIXED = "وقعت أذربيجان Azerbaijan signed a deal مع باكستان لشراء طائرات JF-17C Thunder في 2024."
LTR = "Azerbaijan signed a deal with Pakistan for JF-17C Thunder jets in 2024."


def shown(view: ArticleView, text: str):
    """Show `text` as one paragraph; its block, the layout origin in the viewport, its lines."""
    view.show_document(Document(1, "t", "", text, "0" * 64), [], {"ACTOR": QColor("#E69F00")})
    view.viewport().repaint()
    block, rect = next(visible_blocks(view))
    layout = block.layout()
    lines = [layout.lineAt(n) for n in range(layout.lineCount())]
    return block, rect.topLeft() + layout.position(), lines


def inner_xs(view, block, origin, word: str, text: str) -> list[float]:
    """x of the cursor between each two letters of `word` (unambiguous inside one run)."""
    start = text.index(word)
    line = block.layout().lineForTextPosition(start)
    return [origin.x() + line.cursorToX(i)[0] for i in range(start + 1, start + len(word))]


def covered(rects, xs) -> bool:
    return all(any(r.left() <= x <= r.right() for r in rects) for x in xs)


def touched(rects, xs) -> bool:
    return any(r.left() < x < r.right() for r in rects for x in xs)


@pytest.mark.parametrize("text", [MIXED, LTR], ids=["mixed-rtl-paragraph", "ltr"])
def test_a_box_surrounds_its_own_words_and_no_other(view, text):
    block, origin, lines = shown(view, text)
    start = text.index("Azerbaijan")
    boxes = outline_rects(view, block, origin, lines, start, start + len("Azerbaijan"))
    assert covered(boxes, inner_xs(view, block, origin, "Azerbaijan", text))
    assert not touched(boxes, inner_xs(view, block, origin, "signed", text))


def test_a_box_across_a_direction_change_covers_both_words_only(view):
    block, origin, lines = shown(view, MIXED)
    start = MIXED.index("أذربيجان")
    end = MIXED.index("Azerbaijan") + len("Azerbaijan")
    boxes = outline_rects(view, block, origin, lines, start, end)
    assert covered(boxes, inner_xs(view, block, origin, "أذربيجان", MIXED))
    assert covered(boxes, inner_xs(view, block, origin, "Azerbaijan", MIXED))
    assert not touched(boxes, inner_xs(view, block, origin, "signed", MIXED))
    assert not touched(boxes, inner_xs(view, block, origin, "وقعت", MIXED))


def edge_bars(view, block, origin, word: str, text: str):
    start = text.index(word)
    first, last = block.position(), block.position() + block.length() - 1
    rects = edge_rects(view, block, origin, first, last, start, start + len(word))
    return rects[0], rects[2]  # each end: a bar, then its tick


@pytest.mark.parametrize("text", [MIXED, LTR], ids=["mixed-rtl-paragraph", "ltr"])
def test_left_to_right_words_open_on_the_left_and_close_on_the_right(view, text):
    block, origin, _ = shown(view, text)
    xs = inner_xs(view, block, origin, "Azerbaijan", text)
    opening, closing = edge_bars(view, block, origin, "Azerbaijan", text)
    width = (max(xs) - min(xs)) / (len(xs) - 1)  # about one letter
    assert min(xs) - 2 * width < opening.right() <= min(xs)
    assert max(xs) <= closing.left() < max(xs) + 2 * width


def test_right_to_left_words_open_on_the_right_and_close_on_the_left(view):
    block, origin, _ = shown(view, MIXED)
    xs = inner_xs(view, block, origin, "باكستان", MIXED)
    opening, closing = edge_bars(view, block, origin, "باكستان", MIXED)
    width = (max(xs) - min(xs)) / (len(xs) - 1)
    assert max(xs) <= opening.left() < max(xs) + 2 * width
    assert min(xs) - 2 * width < closing.right() <= min(xs)
