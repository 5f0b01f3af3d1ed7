"""Relation arcs over the article: their ends sit on their spans' glyphs as laid out (also in a
right-to-left paragraph and zoomed), arcs stack in levels whose names never overlap (50
relations in one paragraph), an arc across lines is a bracket in the margin, and the lines get
room above their words for the levels they hold."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtGui import QColor

from annotator.core.adjudication import Candidate
from annotator.core.intervals import SpanIndex
from annotator.core.model import Document, Relation, RelationType, Span
from annotator.ui.arc_levels import ArcLevels
from annotator.ui.overlay import outline_rects, visible_blocks, visible_lines
from annotator.ui.relation_arcs import arcs_in_view
from annotator.ui.review_overlay import ReviewLayer

MIXED = "وقعت أذربيجان Azerbaijan signed a deal مع باكستان لشراء طائرات JF-17C Thunder في 2024."
LTR = "Azerbaijan signed a deal with Pakistan for JF-17C Thunder jets in 2024."
TINTS = {"ACTOR": QColor("#0072B2"), "PLATFORM": QColor("#E69F00")}
TYPES = [
    RelationType(1, "BUYS", "#D55E00", "b", True, ("ACTOR",), ("PLATFORM",)),
    RelationType(2, "PARTNERS_WITH", "#CC79A7", "p", False, ("ACTOR",), ("ACTOR",)),
]


def span(n: int, text: str, word: str, label: str) -> Span:
    start = text.index(word)
    return Span(n, 1, "alice", label, start, start + len(word))


def show(view, text: str, spans: list[Span], relations: list[Relation]) -> None:
    view.show_document(Document(1, "t", "", text, "0" * 64), spans, TINTS)
    view.show_relations(relations, TYPES)
    view.viewport().repaint()


def boxes_of(view, s: Span):
    """The drawn boxes of a span on the visible lines (the layout's own glyph runs)."""
    found = []
    for block, origin, lines in visible_lines(view):
        found += outline_rects(view, block, origin, lines, s.start, s.end)
    return found


@pytest.mark.parametrize("text", [MIXED, LTR], ids=["rtl-paragraph", "ltr"])
@pytest.mark.parametrize("zoom", [0, 6], ids=["actual-size", "zoomed-in"])
def test_an_arc_meets_its_spans_above_their_glyphs(view, text, zoom):
    az = span(1, text, "Azerbaijan", "ACTOR")
    jf = span(2, text, "JF-17C Thunder", "PLATFORM")
    view.zoomIn(zoom)
    show(view, text, [az, jf], [Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    (arc,) = arcs_in_view(view)
    for point, s in ((arc.head, az), (arc.tail, jf)):
        box = boxes_of(view, s)[0]  # on the line where the span starts
        assert box.left() < point.x() < box.right()
        assert box.top() - 2 <= point.y() <= box.top() + box.height() / 2  # at the words' top
    top = min(p.y() for piece in arc.pieces for p in piece)
    assert top < arc.head.y() and top < arc.tail.y()  # the arc goes up, above the words
    assert arc.label is not None and arc.label.center().y() == pytest.approx(top, abs=1)
    (_, rect), *_ = visible_blocks(view)
    assert arc.label.top() >= rect.top()  # the room above the line holds it


def test_the_arc_of_a_right_to_left_pair_runs_from_its_head_word_to_its_tail_word(view):
    az = span(1, MIXED, "أذربيجان", "ACTOR")
    pk = span(2, MIXED, "باكستان", "ACTOR")
    show(view, MIXED, [az, pk], [Relation(10, 1, "alice", "PARTNERS_WITH", az.id, pk.id)])
    (arc,) = arcs_in_view(view)
    (az_box,) = boxes_of(view, az)
    (pk_box,) = boxes_of(view, pk)
    assert az_box.left() > pk_box.left()  # right to left: the first word is drawn right
    assert az_box.left() < arc.head.x() < az_box.right()
    assert pk_box.left() < arc.tail.x() < pk_box.right()


def test_fifty_relations_in_a_paragraph_stack_so_no_two_names_overlap(view):
    words = [f"w{n:02d}" for n in range(60)]
    text = " ".join(words) + "."
    spans = [span(n + 1, text, w, "ACTOR") for n, w in enumerate(words)]
    relations = [
        Relation(100 + n, 1, "alice", "PARTNERS_WITH", spans[n].id, spans[(n * 7 + 3) % 60].id)
        for n in range(50)
        if n != (n * 7 + 3) % 60
    ]
    relations += [
        Relation(200 + n, 1, "alice", "PARTNERS_WITH", spans[n].id, spans[n + 1].id)
        for n in range(50 - len(relations))
    ]
    assert len(relations) == 50
    view.resize(900, 600)
    show(view, text, spans, relations)
    arcs = arcs_in_view(view)
    labels = [a.label for a in arcs if a.label is not None]
    assert len(labels) == len({a.relation_id for a in arcs}) == 50
    same_level = [
        (a, b)
        for a, b in combinations(arcs, 2)
        if a.level == b.level and a.level < 8 and a.label and b.label
    ]
    for a, b in same_level:
        assert not a.label.intersects(b.label), (a.relation_id, b.relation_id)


def test_levels_never_share_text_shorter_arcs_sit_lower_and_edits_move_no_other_arc():
    spans = [Span(n, 1, "a", "ACTOR", n * 20, n * 20 + 5) for n in range(10)]
    index = SpanIndex(spans)
    relations = [
        Relation(1, 1, "a", "PARTNERS_WITH", 0, 9),
        Relation(2, 1, "a", "PARTNERS_WITH", 1, 2),
        Relation(3, 1, "a", "PARTNERS_WITH", 3, 4),
        Relation(4, 1, "a", "PARTNERS_WITH", 2, 3),
    ]
    arcs = ArcLevels()
    arcs.rebuild(relations, index.get)
    assert arcs.levels == {2: 0, 3: 0, 4: 1, 1: 2}
    arcs.remove(2)
    arcs.add(Relation(5, 1, "a", "PARTNERS_WITH", 5, 6), index.get)  # on level 0, beside 3
    arcs.add(Relation(6, 1, "a", "PARTNERS_WITH", 0, 1), index.get)  # level 0 is free again there
    assert arcs.levels == {3: 0, 4: 1, 1: 2, 5: 0, 6: 0}
    assert [s.id for s in arcs.extents.overlapping(0, 30)] == [6, 1]
    arcs.add(Relation(7, 1, "a", "X", 0, 99), index.get)  # a span not there: not drawn
    assert 7 not in arcs.levels


def test_an_arc_across_lines_is_a_bracket_through_the_margin(view):
    text = "Azerbaijan signed a deal.\nMuch later, Pakistan delivered the JF-17C Thunder jets."
    az = span(1, text, "Azerbaijan", "ACTOR")
    jf = span(2, text, "JF-17C Thunder", "PLATFORM")
    show(view, text, [az, jf], [Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    (arc,) = arcs_in_view(view)
    assert arc.tail.y() > arc.head.y() + 10  # on the next line
    (_, origin, lines), *_ = visible_lines(view)
    margin = origin.x() + lines[0].width()
    verticals = [p for p in arc.pieces if len(p) == 2 and p[0].x() == p[1].x()]
    (bracket,) = verticals
    assert bracket[0].x() > margin  # beside the text column, not over words
    assert bracket[0].y() < arc.head.y() and bracket[1].y() < arc.tail.y()
    assert bracket[1].y() > bracket[0].y()


def test_lines_with_arcs_get_room_above_their_words_and_lose_it_with_them(view):
    az = span(1, LTR, "Azerbaijan", "ACTOR")
    jf = span(2, LTR, "JF-17C Thunder", "PLATFORM")
    show(view, LTR, [az, jf], [])
    (block, _), *_ = visible_blocks(view)
    plain = block.layout().lineAt(0).ascent()
    show(view, LTR, [az, jf], [Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    (block, _), *_ = visible_blocks(view)
    assert block.layout().lineAt(0).ascent() > plain + 8
    view.show_relations([])
    view.viewport().repaint()
    (block, _), *_ = visible_blocks(view)
    assert block.layout().lineAt(0).ascent() == pytest.approx(plain, abs=0.5)


def test_only_the_lines_where_arcs_end_get_room_and_the_one_being_made_gets_it_too(view):
    text = LTR + " " + " ".join(["Another sentence that wraps onto further lines."] * 6)
    az = span(1, text, "Azerbaijan", "ACTOR")
    jf = span(2, text, "JF-17C Thunder", "PLATFORM")
    show(view, text, [az, jf], [])
    (block, _), *_ = visible_blocks(view)
    plain = block.layout().lineAt(0).ascent()
    assert block.layout().lineCount() > 2
    view.set_pending_relation((az.id, jf.id, None))
    view.viewport().repaint()
    (block, _), *_ = visible_blocks(view)
    assert block.layout().lineAt(0).ascent() > plain + 8  # room for the arc being made
    view.set_pending_relation(None)
    view.show_relations([Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    view.viewport().repaint()
    (block, _), *_ = visible_blocks(view)
    layout = block.layout()
    assert layout.lineAt(0).ascent() > plain + 8
    assert layout.lineAt(layout.lineCount() - 1).ascent() == pytest.approx(plain, abs=0.5)


def test_span_tints_do_not_stand_tall_behind_the_arcs(view):
    az = span(1, LTR, "Azerbaijan", "ACTOR")
    jf = span(2, LTR, "JF-17C Thunder", "PLATFORM")
    show(view, LTR, [az, jf], [Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    (_, origin, lines), *_ = visible_lines(view)
    (box,) = boxes_of(view, az)
    image = view.viewport().grab().toImage()
    paper = view.palette().base().color().name()
    x = round(box.left() + 3)  # inside the span, away from the arc's foot in its middle
    column = [image.pixelColor(x, y).name() for y in range(round(box.top()), round(box.bottom()))]
    assert TINTS["ACTOR"].name() in column  # the words are tinted
    assert image.pixelColor(x, round(origin.y() + lines[0].y() + 1)).name() == paper


def test_review_boxes_keep_all_four_edges_on_a_line_with_arc_room(view):
    """The boxes are drawn around the words, not the whole line: the arc room above and the
    tall space's descent below are papered over after the boxes are drawn."""
    az = span(1, LTR, "Azerbaijan", "ACTOR")
    jf = span(2, LTR, "JF-17C Thunder", "PLATFORM")
    pk = span(3, LTR, "Pakistan", "ACTOR")
    show(view, LTR, [az, jf], [Relation(10, 1, "alice", "BUYS", az.id, jf.id)])
    candidate = Candidate("ACTOR", pk.start, pk.end, ("alice",), False, 0)
    view.edge_colors = {"ACTOR": TINTS["ACTOR"].name()}
    view.review_layer = ReviewLayer([candidate], current=candidate.key)  # a solid box
    view.viewport().repaint()
    (_, origin, lines), *_ = visible_lines(view)
    assert lines[0].ascent() > view.fontMetrics().ascent() + 8  # the line has arc room
    (box,) = boxes_of(view, pk)
    image = view.viewport().grab().toImage()
    edge = TINTS["ACTOR"].name()

    def colours(xs, ys) -> set[str]:
        return {image.pixelColor(x, y).name() for x in xs for y in ys}

    left, right = round(box.left()), round(box.right())
    top, bottom = round(box.top()), round(box.bottom())
    middle_x = range(left + 3, right - 3)
    assert edge in colours(middle_x, range(top - 1, top + 2))  # the top edge
    assert edge in colours(middle_x, range(bottom - 1, bottom + 2))  # the bottom edge
    assert edge in colours(range(left - 1, left + 2), range(top + 3, bottom - 3))  # the left
    assert box.top() > origin.y() + lines[0].y() + lines[0].ascent() - view.fontMetrics().ascent()
    assert box.bottom() < origin.y() + lines[0].y() + lines[0].height()


def test_an_arc_between_nested_spans_meets_each_at_its_own_glyphs(view):
    text = "Azerbaijan's Ministry of Defense signed with Baykar."
    outer = span(1, text, "Azerbaijan's Ministry of Defense", "ACTOR")
    inner = span(2, text, "Ministry", "ACTOR")
    show(
        view, text, [outer, inner], [Relation(10, 1, "alice", "PARTNERS_WITH", outer.id, inner.id)]
    )
    (arc,) = arcs_in_view(view)
    (outer_box,) = boxes_of(view, outer)
    (inner_box,) = boxes_of(view, inner)
    assert inner_box.left() < arc.tail.x() < inner_box.right()
    assert outer_box.left() < arc.head.x() < outer_box.right()
    assert abs(arc.head.x() - arc.tail.x()) > 5  # two ends, not one point


def test_an_edit_draws_the_relations_it_names_and_leaves_the_others_where_they_were(view):
    az = span(1, LTR, "Azerbaijan", "ACTOR")
    pk = span(2, LTR, "Pakistan", "ACTOR")
    jf = span(3, LTR, "JF-17C Thunder", "PLATFORM")
    buys = Relation(10, 1, "alice", "BUYS", az.id, jf.id)
    partners = Relation(11, 1, "alice", "PARTNERS_WITH", az.id, pk.id)
    show(view, LTR, [az, pk, jf], [buys, partners])
    levels = dict(view.arcs.levels)
    supplies = Relation(12, 1, "alice", "BUYS", pk.id, jf.id)
    view.update_relations([supplies], [partners.id, 99])  # 99: not shown, nothing to take off
    view.viewport().repaint()
    assert view.relations == {buys.id: buys, supplies.id: supplies}
    assert view.arcs.levels[buys.id] == levels[buys.id]
    assert {arc.relation_id for arc in arcs_in_view(view)} == {buys.id, supplies.id}
    assert view.arcs.free_level(pk.start, jf.end) > view.arcs.levels[supplies.id]


def test_an_arc_that_leaves_each_lines_room_as_it_was_lays_nothing_out_again(view, monkeypatch):
    text = "Azerbaijan buys jets. Turkey buys drones."
    az, jets = span(1, text, "Azerbaijan", "ACTOR"), span(2, text, "jets", "PLATFORM")
    tr, drones = span(3, text, "Turkey", "ACTOR"), span(4, text, "drones", "PLATFORM")
    show(view, text, [az, jets, tr, drones], [])
    (block, _), *_ = visible_blocks(view)
    plain = block.layout().lineAt(0).ascent()
    buys = Relation(10, 1, "alice", "BUYS", az.id, jets.id)
    view.show_relations([buys])
    view.viewport().repaint()
    laid_out = []
    monkeypatch.setattr(view.highlighter, "rehighlightBlock", laid_out.append)
    view.show_relations([buys, Relation(11, 1, "alice", "BUYS", tr.id, drones.id)])  # level 0 too
    view.viewport().repaint()
    assert view.arcs.levels == {10: 0, 11: 0}
    assert laid_out == []  # the line's room stands as it was
    (block, _), *_ = visible_blocks(view)
    assert block.layout().lineAt(0).ascent() > plain + 8


def test_a_record_without_span_changes_leaves_the_spans_and_their_outline_alone(view, monkeypatch):
    az = span(1, LTR, "Azerbaijan", "ACTOR")
    show(view, LTR, [az], [])
    view.set_selected_span(az)
    outlined = []
    monkeypatch.setattr(view, "setExtraSelections", outlined.append)
    view.update_spans([], [])  # e.g. a relation added
    assert outlined == [] and view.index.get(az.id) == az
    view.update_spans([], [az.id])
    assert len(outlined) == 1 and view.index.get(az.id) is None
