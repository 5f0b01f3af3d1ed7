"""The article in the centre: read-only text, span colours, relation arcs, selection, clicks,
find, zoom.

The view never reads text back from Qt: positions go through the document's QtOffsets and the
stored string is sliced. It knows spans only to draw and hit-test them; edits are requested
with signals and carried out by the main window through the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core.adjudication import RelationCandidate
from annotator.core.intervals import SpanIndex
from annotator.core.model import Document, Relation, RelationType, Span, Suggestion
from annotator.core.offsets import QtOffsets
from annotator.core.open_document import same_relation
from annotator.core.relation_keys import RelationKey
from annotator.core.selection import resized, snap_to_words, without_possessive
from annotator.core.text import is_mostly_rtl
from annotator.ui.arc_levels import ArcLevels
from annotator.ui.guard import qt_override
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.overlay import paint_overlays, visible_blocks
from annotator.ui.relation_arcs import arc_room, clear_arc_room, paint_arcs
from annotator.ui.review_overlay import RelationCandidateArcs, ReviewLayer

READING_WIDTH_CHARS = 80
REBUILD_ARCS = 64
"""Above this many relations changed at once, the arcs' levels are built anew (shorter ones
lower) instead of placed one by one."""
_RESIZE_KEYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: +1}


class ArticleView(QPlainTextEdit):
    """Shows one document with its spans; emits what the user asks for."""

    span_clicked = Signal(object)  # Span | None
    suggestion_clicked = Signal(object)  # Suggestion
    candidate_clicked = Signal(object)  # review Candidate
    resize_requested = Signal(int, int, int)  # span id, new start, new end
    relation_clicked = Signal(int)  # relation id
    relation_dragged = Signal(object, object, QPoint)  # head Span, tail Span, global point
    span_menu_requested = Signal(object, QPoint)  # list[Span] under the point, global point

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        option = self.document().defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        self.document().setDefaultTextOption(option)
        self.document().setDocumentMargin(12)
        self.highlighter = SpanHighlighter(self.document())
        self.snap_to_words = True
        self.document_shown: Document | None = None
        self.offsets = QtOffsets("")
        self.index = SpanIndex()
        self._selected: Span | None = None
        self._hits: list[tuple[int, int]] = []
        self._press: QPoint | None = None
        self._centering = False
        self.edge_colors: dict[str, str] = {}
        self.suggestion_index = SpanIndex()
        self.current_suggestion: Suggestion | None = None
        self.review_layer: ReviewLayer | None = None  # set by review mode
        self.other_layers: list[tuple[str, SpanIndex]] = []  # others' spans, underlined
        self.label_tags = False  # label names above the spans (the app turns them on)
        self.relations: dict[int, Relation] = {}
        self.relation_types: dict[str, RelationType] = {}
        self.arcs = ArcLevels()  # the relations' levels above the text
        self._arc_ends: dict[int, list[tuple[int, int]]] = {}  # relation id: (block, position)
        self._block_arcs: dict[int, set[int]] = {}  # block number: relations ending in it
        self._arc_room: dict[int, dict[int, float]] = {}  # per block: the arcs' room by end
        self.selected_relation_id: int | None = None
        self.pending_relation: tuple[int, int, str | None] | None = None
        """The relation being made (head span id, tail span id, type or None), drawn dashed."""
        self.candidate_arcs = RelationCandidateArcs()
        """Review mode's relation candidates, drawn among the relations (negative ids)."""
        self.current_candidate_arc: int | None = None
        self._arc_hits: list[tuple[QRectF, int]] = []
        self._drag_from: Span | None = None

    # -- content -------------------------------------------------------------------------

    def show_document(
        self, document: Document | None, spans: Iterable[Span], tints: dict[str, QColor]
    ) -> None:
        """Display a document (or nothing) with its spans coloured by label tint; a SpanIndex
        given as `spans` becomes the view's own (pass a copy to keep yours)."""
        self.document_shown = document
        self.offsets = QtOffsets(document.text if document else "")
        self.index = spans if isinstance(spans, SpanIndex) else SpanIndex(spans)
        self._selected = None
        self._hits = []
        self.suggestion_index = SpanIndex()
        self.current_suggestion = None
        self.relations, self.arcs, self._arc_hits = {}, ArcLevels(), []
        self._arc_ends, self._block_arcs, self._arc_room = {}, {}, {}
        self.selected_relation_id = self.pending_relation = None
        self.candidate_arcs, self.current_candidate_arc = RelationCandidateArcs(), None
        option = self.document().defaultTextOption()
        rtl = document is not None and is_mostly_rtl(document.text)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        self.document().setDefaultTextOption(option)  # QPlainTextEdit aligns all blocks alike
        self.highlighter.set_content(SpanIndex(), self.offsets, tints)
        self.setPlainText(self.offsets.display_text())
        self.highlighter.set_content(self.index, self.offsets, tints)
        self._make_room()
        self._update_extra_selections()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def update_spans(self, added: Iterable[Span], removed: Iterable[int]) -> None:
        """Apply span changes and re-highlight only the blocks they touch (none: nothing)."""
        added, removed = list(added), list(removed)
        if not added and not removed:
            return  # e.g. a relation edit: the spans, colours and outlines stand
        old = self.index.update(removed, added)
        touched = [(span.start, span.end) for span in (*old, *added)]
        if self._selected is not None:
            self._selected = self.index.get(self._selected.id)
        self.highlighter.refresh(touched)
        if self.relations and touched:  # a resized span moves its arcs
            moved = {span.id for span in (*old, *added)}
            self._replace_arcs(
                [r for r in self.relations.values() if r.head in moved or r.tail in moved], []
            )
        self._update_extra_selections()
        self.viewport().update()

    def set_label_tags(self, on: bool) -> None:
        """Write each span's label name above its first word (or not)."""
        self.label_tags = on
        self._make_room()
        self.viewport().update()

    def show_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        """Outline these pending suggestions (replacing the ones shown)."""
        self.suggestion_index = index = SpanIndex(suggestions)
        current = self.current_suggestion
        if current is not None:  # the one at the same place (a new run gives new ids)
            place = (current.start, current.end, current.label)
            self.current_suggestion = next(
                (s for s in index.overlapping(*place[:2]) if (s.start, s.end, s.label) == place),
                None,
            )
        self.viewport().update()

    def set_current_suggestion(self, suggestion: Suggestion | None) -> None:
        """Make a suggestion the one Enter accepts and Backspace rejects; scroll to it."""
        self.current_suggestion = suggestion
        if suggestion is not None:
            self.scroll_to(suggestion.start, suggestion.end)
        self.viewport().update()

    def neighbour_suggestion(self, step: int) -> Suggestion | None:
        """The suggestion after (step > 0) or before the current one or the caret."""
        ordered = list(self.suggestion_index)
        if not ordered:
            return None
        if self.current_suggestion is not None and self.current_suggestion.id in {
            s.id for s in ordered
        }:
            i = next(n for n, s in enumerate(ordered) if s.id == self.current_suggestion.id)
            return ordered[(i + step) % len(ordered)]
        caret = self.offsets.to_py(self.textCursor().position())
        after = [s for s in ordered if s.start >= caret]
        before = [s for s in ordered if s.start < caret]
        if step > 0:
            return after[0] if after else ordered[0]
        return before[-1] if before else ordered[-1]

    def suggestions_at(self, point: QPoint) -> list[Suggestion]:
        """Suggestions under a viewport point, innermost first."""
        return self.suggestion_index.at(self._py_position_at(point))

    def show_other_layers(self, layers: list[tuple[str, SpanIndex]]) -> None:
        """Underline these annotators' spans (read-only; replacing the ones shown)."""
        self.other_layers = layers
        self.viewport().update()

    def set_tints(self, tints: dict[str, QColor]) -> None:
        """New label colours (schema or theme change)."""
        self.highlighter.set_tints(tints)
        self.viewport().update()

    # -- relations -----------------------------------------------------------------------

    def show_relations(
        self, relations: Iterable[Relation], types: Iterable[RelationType] | None = None
    ) -> None:
        """Draw these relations as arcs over the text (replacing the ones shown); `types`, when
        given, are the relation types they are drawn with. The arcs that stay keep their level;
        a new one takes the lowest free over its text."""
        new = {relation.id: relation for relation in relations}
        if types is not None:
            self.relation_types = {kind.name: kind for kind in types}
        old = self.relations
        gone = [i for i, relation in old.items() if not same_relation(new.get(i), relation)]
        came = [relation for i, relation in new.items() if not same_relation(old.get(i), relation)]
        self.relations = new
        self._redraw_arcs(came, gone)

    def update_relations(self, came: Iterable[Relation], gone: Iterable[int]) -> None:
        """Draw the relations `came` (new, or new values) and take off those `gone` (by id),
        without comparing the others: as `show_relations` with the rest unchanged."""
        came = [r for r in came if not same_relation(self.relations.get(r.id), r)]
        gone = [i for i in gone if self.relations.pop(i, None) is not None]
        self.relations.update((relation.id, relation) for relation in came)
        self._redraw_arcs(came, gone)

    def _redraw_arcs(self, came: list[Relation], gone: list[int]) -> None:
        """Place the arcs of the relations that came and went; many at once: all anew."""
        if len(gone) + len(came) > REBUILD_ARCS:
            drawn = [*self.relations.values(), *self.candidate_arcs.relations.values()]
            self.arcs.rebuild(drawn, self.relation_end)
            self._arc_ends, self._block_arcs, self._arc_room = {}, {}, {}
            self._room_for_arcs(drawn, [])
        else:
            self._replace_arcs(came, gone)
        self.viewport().update()

    def set_selected_relation(self, relation: Relation | None) -> None:
        """Highlight a relation's arc (or none) and scroll its head into view."""
        self.selected_relation_id = None if relation is None else relation.id
        head = None if relation is None else self.index.get(relation.head)
        if head is not None:
            self.scroll_to(head.start, head.end)
        self.viewport().update()

    def set_pending_relation(self, pending: tuple[int, int, str | None] | None) -> None:
        """Draw the relation being made (head span id, tail span id, type name or None), with
        room above its ends' lines."""
        if pending != self.pending_relation:
            self.pending_relation = pending
            self._make_room()
        self.viewport().update()

    def show_relation_candidates(
        self, candidates: Sequence[RelationCandidate], current: RelationKey | None = None
    ) -> None:
        """Draw review mode's relation candidates as arcs between their spans (of other layers)
        beside the relations, on levels where no two names overlap; `current` emphasised."""
        gone = list(self.candidate_arcs.relations)
        doc_id = self.document_shown.id if self.document_shown is not None else 0
        self.candidate_arcs = RelationCandidateArcs.of(candidates, doc_id)
        self.current_candidate_arc = None
        self._redraw_arcs(list(self.candidate_arcs.relations.values()), gone)
        self.set_current_relation_candidate(current)

    def set_current_relation_candidate(self, key: RelationKey | None) -> None:
        """Emphasise the arc of the relation candidate with this key (None: no candidate)."""
        self.current_candidate_arc = None if key is None else self.candidate_arcs.ids.get(key)
        self.viewport().update()

    def drawn_relation(self, relation_id: int) -> Relation | None:
        """A relation drawn as an arc: the layer's, or a relation candidate's (negative id)."""
        if relation_id < 0:
            return self.candidate_arcs.relations.get(relation_id)
        return self.relations.get(relation_id)

    def relation_end(self, span_id: int) -> Span | None:
        """The span at an end of a drawn relation: the layer's, or a candidate's (negative)."""
        return self.candidate_arcs.ends.get(span_id) if span_id < 0 else self.index.get(span_id)

    def relation_at(self, point: QPoint) -> int | None:
        """The id of the relation whose arc or name is under a viewport point, if any."""
        spot = QPointF(point)
        return next((rid for rect, rid in reversed(self._arc_hits) if rect.contains(spot)), None)

    def _replace_arcs(self, came: Iterable[Relation], gone: Iterable[int]) -> None:
        """Take relations `gone` off their levels and place `came` (again, when moved)."""
        came = list(came)
        for relation_id in [*gone, *(r.id for r in came)]:
            self.arcs.remove(relation_id)
        for relation in came:
            self.arcs.add(relation, self.relation_end)
        self._room_for_arcs(came, gone)

    def _room_for_arcs(self, came: Iterable[Relation], gone: Iterable[int]) -> None:
        """Keep each block's room for the levels of the arcs ending in it, for relations that
        came or went (the other blocks keep theirs)."""
        touched: set[int] = set()
        for relation_id in [*gone, *(r.id for r in came)]:
            for number, _ in self._arc_ends.pop(relation_id, ()):
                self._block_arcs[number].discard(relation_id)
                touched.add(number)
        for relation in came:
            if relation.id not in self.arcs.levels:
                continue
            ends = self._ends_in_blocks((relation.head, relation.tail))
            self._arc_ends[relation.id] = ends
            for number, _ in ends:
                self._block_arcs.setdefault(number, set()).add(relation.id)
                touched.add(number)
        for number in touched:
            if not self._block_arcs.get(number):
                self._block_arcs.pop(number, None)
        self._make_room(touched)

    def _make_room(self, blocks: Iterable[int] | None = None) -> None:
        """Room above the lines: for label tags everywhere when they are on, and above each
        line where arcs end for their levels (worked out again for `blocks`, default all), and
        above the ends of the relation being made for its level."""
        font = self.font()
        if blocks is None:
            self._arc_room = {}
            blocks = list(self._block_arcs)
        for number in blocks:
            inside: dict[int, float] = {}
            for relation_id in self._block_arcs.get(number, ()):
                room = arc_room(font, self.arcs.levels[relation_id] + 1)
                for block, at in self._arc_ends[relation_id]:
                    if block == number:
                        inside[at] = max(inside.get(at, 0.0), room)
            self._arc_room.pop(number, None)
            if inside:
                self._arc_room[number] = inside
        arcs = dict(self._arc_room)
        if self.pending_relation is not None:
            room = arc_room(font, self.pending_level() + 1)
            for number, at in self._ends_in_blocks(self.pending_relation[:2]):
                arcs[number] = {**arcs.get(number, {}), at: room}
        self.highlighter.make_room(font, tags=self.label_tags, arcs=arcs)

    def pending_level(self) -> int:
        """The level the relation being made is drawn at: the lowest free over its text."""
        assert self.pending_relation is not None
        ends = [self.relation_end(i) for i in self.pending_relation[:2]]
        found = [s for s in ends if s is not None]
        if not found:
            return 0
        return self.arcs.free_level(min(s.start for s in found), max(s.end for s in found))

    def _ends_in_blocks(self, span_ids: Iterable[int]) -> list[tuple[int, int]]:
        """(block number, position in the block) of each of these spans' starts (those shown)."""
        doc, to_qt = self.document(), self.offsets.to_qt
        ends = []
        for span in map(self.relation_end, span_ids):
            if span is not None:
                block = doc.findBlock(to_qt(span.start))
                ends.append((block.blockNumber(), to_qt(span.start) - block.position()))
        return ends

    # -- selection -----------------------------------------------------------------------

    def selection_span(self) -> tuple[int, int] | None:
        """The text selection as a clean code-point span (trimmed, whole graphemes, whole
        words when snapping is on), or None when nothing is selected."""
        if self.document_shown is None:
            return None
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        span = self.offsets.selection_to_span(cursor.selectionStart(), cursor.selectionEnd())
        if span is not None and self.snap_to_words:
            span = snap_to_words(self.offsets.text, *span)
        return span

    def clear_selection(self) -> None:
        """Drop the text selection, keeping the caret where the selection ended."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def set_selected_span(self, span: Span | None) -> None:
        """Outline the current span (or none) and scroll it into view."""
        self._selected = span
        self._update_extra_selections()
        if span is not None:
            self.scroll_to(span.start, span.end)

    def scroll_to(self, start: int, end: int | None = None) -> None:
        """Bring code points [start, end) into view without selecting them."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(end if end is not None else start))
        self.setTextCursor(cursor)
        cursor.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def spans_at(self, point: QPoint) -> list[Span]:
        """Spans under a viewport point, innermost first."""
        return self.index.at(self._py_position_at(point))

    def span_at_caret(self) -> Span | None:
        """The innermost span the caret is in or at an end of (None: none, or a selection)."""
        cursor = self.textCursor()
        if cursor.hasSelection() or self.document_shown is None:
            return None
        caret = self.offsets.to_py(cursor.position())
        near = self.index.overlapping(max(0, caret - 1), caret + 1)
        touching = [s for s in near if s.start <= caret <= s.end]
        return min(touching, key=lambda s: (s.end - s.start, s.start), default=None)

    def _py_position_at(self, point: QPoint) -> int:
        """The code point under a viewport point (not the caret gap nearest to it)."""
        cursor = self.cursorForPosition(point)
        q = cursor.position()
        if point.x() < self.cursorRect(cursor).x() and q > 0:
            q -= 1  # the click fell on the right half of the character before the caret
        return self.offsets.to_py(q)

    def _update_extra_selections(self) -> None:
        selections = []
        for start, end in self._hits:
            selections.append(self._extra(start, end, hit=True))
        if self._selected is not None:
            selections.append(self._extra(self._selected.start, self._selected.end, hit=False))
        self.setExtraSelections(selections)

    def _extra(self, start: int, end: int, *, hit: bool) -> QTextEdit.ExtraSelection:
        extra = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        extra.cursor = cursor
        fmt = QTextCharFormat()
        if hit:
            fmt.setBackground(QColor(255, 230, 0, 160))
        else:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(self.palette().text().color())
            fmt.setFontUnderline(True)
            fmt.setFontWeight(700)
        extra.format = fmt
        return extra

    # -- find ----------------------------------------------------------------------------

    def find_text(self, needle: str, *, backwards: bool = False) -> bool:
        """Mark every match of `needle` (case-insensitive) and move to the next (or previous)
        one after the caret; False when there is none."""
        text = self.offsets.text.casefold()
        needle = needle.casefold()
        self._hits = []
        if needle and len(needle) <= len(text):
            i = text.find(needle)
            while i >= 0 and len(self._hits) < 10_000:
                self._hits.append((i, i + len(needle)))
                i = text.find(needle, i + 1)
        self._update_extra_selections()
        if not self._hits:
            return False
        caret = self.offsets.to_py(self.textCursor().position())
        if backwards:
            before = [h for h in self._hits if h[1] < caret]
            start, end = before[-1] if before else self._hits[-1]
        else:
            after = [h for h in self._hits if h[0] >= caret]
            start, end = after[0] if after else self._hits[0]
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        return True

    @property
    def hit_count(self) -> int:
        """How many matches the last find marked."""
        return len(self._hits)

    def clear_find(self) -> None:
        """Remove the find marks."""
        self._hits = []
        self._update_extra_selections()

    # -- events (every override guarded: an escaping exception can crash Python 3.11) ----

    @qt_override()
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        self._drag_from = None
        linking = event.modifiers() & (
            Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
        )
        spans = self.spans_at(self._press) if linking else []
        if spans and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = spans[0]  # Alt/Ctrl + drag from a span: a relation to another
            return
        super().mousePressEvent(event)

    @qt_override()
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            super().mouseMoveEvent(event)
            return
        spans = self.spans_at(event.position().toPoint())
        tail = next((s for s in spans if s.id != self._drag_from.id), None)
        self.set_pending_relation(None if tail is None else (self._drag_from.id, tail.id, None))

    @qt_override()
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        head, self._drag_from = self._drag_from, None
        if head is not None:
            tail = next((s for s in self.spans_at(point) if s.id != head.id), None)
            self.set_pending_relation(None)  # (as laid out with its room, `point` was aimed)
            if tail is not None:
                self.relation_dragged.emit(head, tail, event.globalPosition().toPoint())
            return
        super().mouseReleaseEvent(event)
        is_click = self._press is not None and (point - self._press).manhattanLength() < 4
        if event.button() == Qt.MouseButton.LeftButton and is_click:
            self._on_click(point, event.globalPosition().toPoint())

    @qt_override()
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)  # Qt's word: "Azerbaijan's" whole, "O'Brien" half
        self._select_whole_word()

    def _select_whole_word(self) -> None:
        """Make a double-clicked word the word as snapping and suggestions see it: "O'Brien"
        whole, "Azerbaijan's" without its possessive."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.document_shown is None:
            return
        text, to_py = self.offsets.text, self.offsets.to_py
        start, end = to_py(cursor.selectionStart()), to_py(cursor.selectionEnd())
        word = without_possessive(text, *snap_to_words(text, start, end))
        if word != (start, end):
            cursor.setPosition(self.offsets.to_qt(word[0]))
            cursor.setPosition(self.offsets.to_qt(word[1]), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def _on_click(self, point: QPoint, global_point: QPoint) -> None:
        relation_id = self.relation_at(point)
        if relation_id is not None:
            self.relation_clicked.emit(relation_id)
            return
        if self.review_layer is not None:
            candidates = self.review_layer.at(self._py_position_at(point))
            if candidates:
                self.candidate_clicked.emit(candidates[0])
        spans = self.spans_at(point)
        suggestions = self.suggestions_at(point)
        if suggestions and not spans:
            self.suggestion_clicked.emit(suggestions[0])
            return
        if len(spans) <= 1:
            self.span_clicked.emit(spans[0] if spans else None)
            return
        chosen = self.choose_span(spans, global_point)
        if chosen is not None:
            self.span_clicked.emit(chosen)

    def choose_span(self, spans: list[Span], global_point: QPoint) -> Span | None:
        """Ask which of several overlapping spans the click meant (a popup menu)."""
        menu = QMenu(self)
        menu.setObjectName("span_chooser")
        for span in spans:
            text = self.offsets.text[span.start : span.end].replace("\n", " ")
            short = text if len(text) <= 50 else text[:49] + "…"
            action = menu.addAction(f"{span.label}: {short}")
            action.setData(span.id)
        chosen = menu.exec(global_point)
        return None if chosen is None else self.index.get(chosen.data())

    @qt_override()
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        spans = self.spans_at(event.pos())
        if spans:
            self.span_menu_requested.emit(spans, event.globalPos())
        else:
            super().contextMenuEvent(event)

    @qt_override()
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._resize_by_key(event):
            super().keyPressEvent(event)

    def _resize_by_key(self, event: QKeyEvent) -> bool:
        """Shift+Left/Right move the selected span's end; Alt+Shift+Left/Right its start."""
        step = _RESIZE_KEYS.get(Qt.Key(event.key()))
        mods = event.modifiers()
        if self._selected is None or step is None or not mods & Qt.KeyboardModifier.ShiftModifier:
            return False
        edge = "start" if mods & Qt.KeyboardModifier.AltModifier else "end"
        span = self._selected
        new = resized(self.offsets.text, span.start, span.end, edge, step)
        if new is not None:
            self.resize_requested.emit(span.id, *new)
        return True

    @qt_override(False)
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _show_tooltip(self, event) -> None:
        point = self.viewport().mapFromGlobal(event.globalPos())
        inside = self.viewport().rect().contains(point)
        spans = self.spans_at(point) if inside else []
        suggestions = self.suggestions_at(point) if inside else []
        review = []
        if inside and self.review_layer is not None:
            review = self.review_layer.tooltip_lines(self._py_position_at(point))
        if inside and self.other_layers:
            position = self._py_position_at(point)
            review += [
                f"<b>{escape(s.label)}</b> — {escape(name)} (their layer, read-only)"
                for name, index in self.other_layers
                for s in index.at(position)
            ]
        if not spans and not suggestions and not review:
            QToolTip.hideText()
            return
        lines = [
            f"<b>{escape(s.label)}</b> — {escape(s.annotator)} ({s.source.value})" for s in spans
        ] + review
        lines += [
            f"suggested <b>{escape(s.label)}</b> — {escape(s.model)}, score {s.score:.2f}"
            " (Enter accepts, Backspace rejects)"
            for s in suggestions
        ]
        QToolTip.showText(event.globalPos(), "<br>".join(lines), self)

    @qt_override()
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._make_room()  # zoomed: room for the new size

    @qt_override()
    def paintEvent(self, event) -> None:
        self.highlighter.highlight_blocks(block for block, _ in visible_blocks(self))
        super().paintEvent(event)
        paint_overlays(self)
        clear_arc_room(self)  # span tints and edges stand as tall as their line
        self._arc_hits = paint_arcs(self)

    @qt_override()
    def resizeEvent(self, event) -> None:
        if not self._centering:  # setViewportMargins re-enters resizeEvent
            self._centering = True
            try:
                self._center_column(self.width())  # event.size() may be the viewport's
            finally:
                self._centering = False
        super().resizeEvent(event)  # lays the text out for the new viewport width
        self.highlighter.relayout()  # other lines: tag room on other spaces

    def _center_column(self, width: int) -> None:
        """Keep lines at a comfortable reading width by padding the sides of wide windows."""
        column = self.fontMetrics().averageCharWidth() * READING_WIDTH_CHARS
        side = max(0, width - column - 40) // 2
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)
