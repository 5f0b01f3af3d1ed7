"""The open document as the views see it, without Qt: one annotator's spans in text order, the
relations between them, the pending suggestions and the selected span or relation, kept current
from change records (decisions on suggestions and relation values included: a record carrying
them needs no read).

`OpenDocument.apply` takes a `Changes` record that carries the values of the spans it added or
updated (`core.commands.with_span_values`) and reports each row it inserts, removes, moves or
changes to its listeners, before and after, in the manner of napari's list events: a Qt model
only translates them into `beginInsertRows`/`endInsertRows` and the like.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, Document, Relation, Span, Suggestion, SuggestionStatus

BURST_ROWS = 50
"""Above this many spans touched by one record (Accept All, its undo) the rows are reported as
one reset instead of row by row (a view refreshing per row would be quadratic)."""


@dataclass(frozen=True, slots=True)
class RelationChange:
    """Which relations one change record added (with their values) and removed (by id): a view
    follows them without comparing every relation it shows."""

    came: tuple[Relation, ...] = ()
    gone: tuple[int, ...] = ()


class OpenDocumentListener:
    """What an open document reports; each method does nothing until a listener overrides it.

    The `-ing` calls come before the rows change and their past-tense twins after, with the same
    arguments; rows count in (start, end, id) order."""

    def inserting(self, row: int) -> None:
        """A span is about to become row `row`."""

    def inserted(self, row: int) -> None:
        """A span became row `row`."""

    def removing(self, row: int) -> None:
        """Row `row` is about to go."""

    def removed(self, row: int) -> None:
        """Row `row` went."""

    def moving(self, old: int, new: int) -> None:
        """Row `old` is about to move to `new` (its row once moved)."""

    def moved(self, old: int, new: int) -> None:
        """Row `old` moved to `new`."""

    def changed(self, first: int, last: int) -> None:
        """Rows `first` to `last` hold new values."""

    def resetting(self) -> None:
        """Every row is about to be replaced."""

    def reset(self) -> None:
        """Every row was replaced."""

    def selection_changed(self, span: Span | None) -> None:
        """The selected span is now `span` (None: no span is selected)."""

    def suggestions_changed(self) -> None:
        """The pending suggestions changed (`OpenDocument.suggestions` holds them now)."""

    def relations_changed(self, change: RelationChange | None) -> None:
        """The relations changed (`OpenDocument.relations` holds them now): those `change`
        names, or any of them when it is None (read again)."""

    def relation_selected(self, relation: Relation | None) -> None:
        """The selected relation is now `relation` (None: no relation is selected)."""


class OpenDocument:
    """One annotator's view of the open document: `spans`, `relations`, `suggestions`, and the
    `selected` span or `selected_relation` (at most one of the two)."""

    def __init__(self, annotator: str, read_suggestions: Callable[[int], list[Suggestion]]) -> None:
        self.annotator = annotator
        self.document: Document | None = None
        self.spans = SpanIndex()
        """The annotator's spans in the open document; listeners are told of every change."""
        self.selected: Span | None = None
        self.relations: dict[int, Relation] = {}
        """The annotator's relations in the open document by id, in the order they came."""
        self.selected_relation: Relation | None = None
        self.listeners: list[OpenDocumentListener] = []
        self._read_suggestions = read_suggestions
        self._suggestions: list[Suggestion] | None = []  # None: read again when asked
        self._quiet = False  # inside a reset: no row by row reports

    @property
    def suggestions(self) -> list[Suggestion]:
        """The open document's pending suggestions for the annotator (read once per change)."""
        if self._suggestions is None:
            document = self.document
            self._suggestions = [] if document is None else self._read_suggestions(document.id)
        return self._suggestions

    def open(
        self, document: Document | None, spans: SpanIndex, relations: Iterable[Relation] = ()
    ) -> None:
        """Show another document with its spans and relations (None closes): nothing is
        selected."""
        self.select(None)
        self.select_relation(None)

        def take() -> None:
            self.document, self.spans = document, spans

        self._reset(take)
        self.replace_relations(relations)
        self._suggestions_stale()

    def select(self, span: Span | None) -> None:
        """Make `span` the selected one, or select none (a span chosen drops the selected
        relation)."""
        if span is not None and self.selected_relation is not None:
            self.select_relation(None)
        self.selected = span
        for listener in self.listeners:
            listener.selection_changed(span)

    def select_relation(self, relation: Relation | None) -> None:
        """Make `relation` the selected one, or select none (a relation chosen drops the
        selected span)."""
        if relation is not None and self.selected is not None:
            self.select(None)
        self.selected_relation = relation
        for listener in self.listeners:
            listener.relation_selected(relation)

    def replace_relations(self, relations: Iterable[Relation]) -> None:
        """Take the relations as read again (e.g. a renamed relation type); the selection
        follows its relation."""
        self.relations = {relation.id: relation for relation in relations}
        for listener in self.listeners:
            listener.relations_changed(None)
        self._follow_selected_relation()

    def relations_of(self, span_id: int) -> list[Relation]:
        """The relations with `span_id` at either end."""
        return [r for r in self.relations.values() if span_id in (r.head, r.tail)]

    def replace_spans(self, spans: SpanIndex) -> None:
        """Take the layer as read again (e.g. a renamed label): the rows change in place when
        they are the same spans in the same order; the selection follows its span."""
        if spans.same_order(self.spans):
            self.spans = spans
            if len(spans):
                self._report(lambda listener: listener.changed(0, len(spans) - 1))
        else:

            def take() -> None:
                self.spans = spans

            self._reset(take)
        if self.selected is not None:
            self._follow_selection(spans.get(self.selected.id))

    def apply(self, changes: Changes) -> None:
        """Bring the rows up to date with a record carrying the values of the spans it added or
        updated; an added or updated span without a value is no longer there."""
        document = self.document
        if document is None:
            return
        if document.id in changes.suggestions:
            self._follow_suggestions(changes)
        if document.id not in changes.documents:
            return
        values = {span.id: span for span in changes.spans}  # a later value wins
        touched = tuple(dict.fromkeys(changes.spans_added + changes.spans_updated))
        current = {
            span_id: span
            for span_id, span in ((i, values.get(i)) for i in touched)
            if span is not None
            and span.document_id == document.id
            and span.annotator == self.annotator
        }

        def edit() -> None:
            for span_id in changes.spans_removed:
                self._remove(span_id)
            for span_id in touched:
                span = current.get(span_id)
                if span is None:
                    self._remove(span_id)
                elif self.spans.position(span_id) is None:
                    self._insert(span)
                else:
                    self._update(span)

        def edit_at_once() -> None:  # one sort for the lot: the rows are reset anyway
            gone = [span_id for span_id in touched if span_id not in current]
            self.spans.update([*changes.spans_removed, *gone], current.values())

        if len(changes.spans_removed) + len(touched) > BURST_ROWS:
            self._reset(edit_at_once)
        else:
            edit()
        selected = self.selected
        if selected is not None and selected.id in {*changes.spans_removed, *touched}:
            self._follow_selection(current.get(selected.id))
        gone = {*changes.spans_removed, *(i for i in touched if i not in current)}
        self._follow_relations(changes, gone)

    # -- internals -----------------------------------------------------------------------

    def _follow_relations(self, changes: Changes, gone_spans: set[int]) -> None:
        """Take the relations the record added and removed, with the values it carries; a
        relation whose span went goes with it."""
        document = self.document
        assert document is not None
        values = {relation.id: relation for relation in changes.relations}
        removed = set(changes.relations_removed)
        if gone_spans:
            removed.update(
                i for i, r in self.relations.items() if r.head in gone_spans or r.tail in gone_spans
            )
        added = [
            relation
            for relation in map(values.get, changes.relations_added)
            if relation is not None
            and relation.document_id == document.id
            and relation.annotator == self.annotator
        ]
        gone = tuple(i for i in removed if self.relations.pop(i, None) is not None)
        if not (gone or added):
            return
        self.relations.update((relation.id, relation) for relation in added)
        change = RelationChange(tuple(added), gone)
        for listener in self.listeners:
            listener.relations_changed(change)
        self._follow_selected_relation()

    def _follow_selected_relation(self) -> None:
        selected = self.selected_relation
        if selected is not None and self.relations.get(selected.id) != selected:
            self.select_relation(self.relations.get(selected.id))

    def _follow_selection(self, span: Span | None) -> None:
        if span != self.selected:
            self.select(span)

    def _follow_suggestions(self, changes: Changes) -> None:
        """Take the decisions the record carries on this document's suggestions; read the
        pending ones again when it carries none (a suggestion run, a bulk decision)."""
        document_id = self.document.id if self.document is not None else None
        on_this = [d for d in changes.decided if d.suggestion.document_id == document_id]
        if not on_this or self._suggestions is None:
            self._suggestions_stale()
            return
        mine = {d.suggestion.id: d.suggestion for d in on_this if d.annotator == self.annotator}
        kept = [s for s in self._suggestions if s.id not in mine]
        back = [s for s in mine.values() if s.status is SuggestionStatus.PENDING]
        self._suggestions = sorted(kept + back, key=lambda s: (s.start, s.end, s.id))
        for listener in self.listeners:
            listener.suggestions_changed()

    def _suggestions_stale(self) -> None:
        self._suggestions = None
        for listener in self.listeners:
            listener.suggestions_changed()

    def _report(self, call: Callable[[OpenDocumentListener], None]) -> None:
        if not self._quiet:
            for listener in self.listeners:
                call(listener)

    def _reset(self, edit: Callable[[], None]) -> None:
        self._report(lambda listener: listener.resetting())
        self._quiet = True
        try:
            edit()
        finally:
            self._quiet = False
        self._report(lambda listener: listener.reset())

    def _remove(self, span_id: int) -> None:
        row = self.spans.position(span_id)
        if row is not None:
            self._report(lambda listener: listener.removing(row))
            self.spans.remove(span_id)
            self._report(lambda listener: listener.removed(row))

    def _insert(self, span: Span) -> None:
        row = self.spans.insertion_point(span)
        self._report(lambda listener: listener.inserting(row))
        self.spans.add(span)
        self._report(lambda listener: listener.inserted(row))

    def _update(self, span: Span) -> None:
        old = self.spans.position(span.id)
        assert old is not None
        new = self.spans.insertion_point(span)  # counted with the old row still in place
        if new > old:
            new -= 1
        if new != old:  # resized past a neighbour: the row moves
            self._report(lambda listener: listener.moving(old, new))
            self.spans.add(span)
            self._report(lambda listener: listener.moved(old, new))
        else:
            self.spans.add(span)
        self._report(lambda listener: listener.changed(new, new))


def same_relation(one: Relation | None, other: Relation) -> bool:
    """Whether two relation values are equal (most often the same object: a quick test)."""
    return one is other or one == other
