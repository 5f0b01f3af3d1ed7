"""The Qt-free open document: kept current from change records, reporting rows with indices.

A `Mirror` listener rebuilds the list of span ids from the reports alone (as a Qt view would);
after every record it must equal the model's rows.
"""

from __future__ import annotations

from annotator.core.intervals import SpanIndex
from annotator.core.model import (
    Changes,
    Decision,
    Document,
    Span,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.open_document import BURST_ROWS, OpenDocument, OpenDocumentListener

DOC = Document(1, "Doc", "doc.txt", "x" * 10_000, "sha")
ME = "ana"


def span(span_id: int, start: int, end: int, label: str = "ACTOR", annotator: str = ME) -> Span:
    return Span(span_id, DOC.id, annotator, label, start, end)


class Mirror(OpenDocumentListener):
    """The rows as a view learns them from the reports, and the reports themselves."""

    def __init__(self, opened: OpenDocument) -> None:
        self.opened = opened
        self.ids = [s.id for s in opened.spans]
        self.reports: list[tuple[object, ...]] = []
        self.selections: list[Span | None] = []
        self.suggestion_reports = 0
        self._pending: tuple[object, ...] | None = None

    def _begin(self, *report: object) -> None:
        assert self._pending is None, f"{report} began inside {self._pending}"
        self._pending = report

    def _end(self, *report: object) -> None:
        assert self._pending == report, f"{report} ended, {self._pending} began"
        self._pending = None
        self.reports.append(report)

    def inserting(self, row: int) -> None:
        self._begin("insert", row)
        assert len(self.opened.spans) == len(self.ids)  # not yet changed

    def inserted(self, row: int) -> None:
        self._end("insert", row)
        self.ids.insert(row, self.opened.spans[row].id)

    def removing(self, row: int) -> None:
        self._begin("remove", row)
        assert self.opened.spans[row].id == self.ids[row]  # still there

    def removed(self, row: int) -> None:
        self._end("remove", row)
        del self.ids[row]

    def moving(self, old: int, new: int) -> None:
        self._begin("move", old, new)

    def moved(self, old: int, new: int) -> None:
        self._end("move", old, new)
        self.ids.insert(new, self.ids.pop(old))

    def changed(self, first: int, last: int) -> None:
        assert self._pending is None
        self.reports.append(("change", first, last))
        assert self.ids[first : last + 1] == [s.id for s in self.opened.spans][first : last + 1]

    def resetting(self) -> None:
        self._begin("reset")

    def reset(self) -> None:
        self._end("reset")
        self.ids = [s.id for s in self.opened.spans]

    def selection_changed(self, span: Span | None) -> None:
        self.selections.append(span)

    def suggestions_changed(self) -> None:
        self.suggestion_reports += 1


def opened_with(*spans: Span, reads: list[int] | None = None) -> tuple[OpenDocument, Mirror]:
    def read_suggestions(document_id: int) -> list[Suggestion]:
        if reads is not None:
            reads.append(document_id)
        return [Suggestion(7, document_id, "ACTOR", 0, 3, 0.9, "m")]

    opened = OpenDocument(ME, read_suggestions)
    opened.open(DOC, SpanIndex(spans))
    mirror = Mirror(opened)
    opened.listeners.append(mirror)
    return opened, mirror


def apply(opened: OpenDocument, mirror: Mirror, changes: Changes) -> list[tuple[object, ...]]:
    mirror.reports.clear()
    opened.apply(changes)
    assert mirror._pending is None
    assert mirror.ids == [s.id for s in opened.spans]
    return mirror.reports


def test_an_added_span_is_inserted_at_its_row_in_text_order():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25))
    added = span(3, 10, 15)
    changes = Changes(documents=frozenset({DOC.id}), spans_added=(3,), spans=(added,))
    assert apply(opened, mirror, changes) == [("insert", 1)]
    assert opened.spans.get(3) == added


def test_a_removed_span_leaves_its_row():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25), span(3, 30, 35))
    changes = Changes(documents=frozenset({DOC.id}), spans_removed=(2,))
    assert apply(opened, mirror, changes) == [("remove", 1)]
    assert [s.id for s in opened.spans] == [1, 3]


def test_a_relabel_changes_its_row_in_place():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25))
    relabelled = span(2, 20, 25, "PLACE")
    changes = Changes(documents=frozenset({DOC.id}), spans_updated=(2,), spans=(relabelled,))
    assert apply(opened, mirror, changes) == [("change", 1, 1)]
    assert opened.spans[1].label == "PLACE"


def test_a_span_resized_past_its_neighbours_moves_its_row_both_ways():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25), span(3, 30, 35))
    later = span(1, 40, 45, "PLACE")  # relabelled and moved past both neighbours
    changes = Changes(documents=frozenset({DOC.id}), spans_updated=(1,), spans=(later,))
    assert apply(opened, mirror, changes) == [("move", 0, 2), ("change", 2, 2)]
    earlier = span(3, 1, 2)
    changes = Changes(documents=frozenset({DOC.id}), spans_updated=(3,), spans=(earlier,))
    assert apply(opened, mirror, changes) == [("move", 1, 0), ("change", 0, 0)]
    assert [s.id for s in opened.spans] == [3, 2, 1]


def test_spans_of_others_and_other_documents_are_not_rows():
    opened, mirror = opened_with(span(1, 0, 5))
    theirs = span(2, 10, 15, annotator="ben")
    elsewhere = Span(3, 2, ME, "ACTOR", 0, 5)
    changes = Changes(
        documents=frozenset({DOC.id, 2}), spans_added=(2, 3), spans=(theirs, elsewhere)
    )
    assert apply(opened, mirror, changes) == []
    other_document = Changes(documents=frozenset({2}), spans_removed=(1,))
    assert apply(opened, mirror, other_document) == []
    assert [s.id for s in opened.spans] == [1]


def test_an_updated_span_without_a_value_is_gone():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25))
    changes = Changes(documents=frozenset({DOC.id}), spans_updated=(1,))
    assert apply(opened, mirror, changes) == [("remove", 0)]


def test_the_selection_follows_its_span_and_clears_when_it_is_removed():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25))
    opened.select(opened.spans.get(2))
    resized = span(2, 20, 30)
    changes = Changes(documents=frozenset({DOC.id}), spans_updated=(2,), spans=(resized,))
    apply(opened, mirror, changes)
    assert opened.selected == resized
    unrelated = Changes(documents=frozenset({DOC.id}), spans_removed=(1,))
    apply(opened, mirror, unrelated)
    assert opened.selected == resized
    removed = Changes(documents=frozenset({DOC.id}), spans_removed=(2,))
    apply(opened, mirror, removed)
    assert opened.selected is None
    assert mirror.selections == [span(2, 20, 25), resized, None]


def test_a_burst_is_one_reset_and_still_follows_the_selection():
    opened, mirror = opened_with(*(span(i, i * 10, i * 10 + 5) for i in range(1, 31)))
    opened.select(opened.spans.get(1))
    added = tuple(span(100 + i, i * 10 + 1, i * 10 + 3) for i in range(BURST_ROWS))
    changes = Changes(
        documents=frozenset({DOC.id}),
        spans_added=tuple(s.id for s in added),
        spans_removed=(1,),
        spans=added,
    )
    assert apply(opened, mirror, changes) == [("reset",)]
    assert len(opened.spans) == 29 + BURST_ROWS
    assert opened.selected is None


def test_re_read_spans_change_in_place_when_in_the_same_order_else_reset():
    opened, mirror = opened_with(span(1, 0, 5), span(2, 20, 25))
    opened.select(opened.spans.get(2))
    renamed = SpanIndex([span(1, 0, 5, "WHO"), span(2, 20, 25, "WHO")])
    mirror.reports.clear()
    opened.replace_spans(renamed)
    assert mirror.reports == [("change", 0, 1)]
    assert opened.selected == span(2, 20, 25, "WHO")
    mirror.reports.clear()
    opened.replace_spans(SpanIndex([span(1, 0, 5)]))
    assert mirror.reports == [("reset",)]
    assert mirror.ids == [1]
    assert opened.selected is None


def test_suggestions_are_read_once_per_change_that_names_the_document():
    reads: list[int] = []
    opened, mirror = opened_with(span(1, 0, 5), reads=reads)
    assert [s.id for s in opened.suggestions] == [7]
    assert [s.id for s in opened.suggestions] == [7]
    assert reads == [DOC.id]
    apply(opened, mirror, Changes(documents=frozenset({DOC.id}), spans_removed=(1,)))
    assert [s.id for s in opened.suggestions] == [7]
    assert reads == [DOC.id]  # a record not naming suggestions reads none
    apply(opened, mirror, Changes(suggestions=frozenset({DOC.id})))
    assert mirror.suggestion_reports == 1
    assert [s.id for s in opened.suggestions] == [7]
    assert reads == [DOC.id, DOC.id]


def test_decisions_the_record_carries_update_the_suggestions_without_a_read():
    reads: list[int] = []
    opened, mirror = opened_with(span(1, 0, 5), reads=reads)
    (pending,) = opened.suggestions
    named = frozenset({DOC.id})

    def decided(who: str, status: SuggestionStatus) -> Changes:
        value = Suggestion(7, DOC.id, "ACTOR", 0, 3, 0.9, "m", status)
        return Changes(suggestions=named, decided=(Decision(who, value),))

    apply(opened, mirror, decided(ME, SuggestionStatus.REJECTED))
    assert opened.suggestions == [] and mirror.suggestion_reports == 1
    apply(opened, mirror, decided("bob", SuggestionStatus.ACCEPTED))  # not my pending list
    assert opened.suggestions == []
    apply(opened, mirror, decided(ME, SuggestionStatus.PENDING))  # my decision undone
    assert opened.suggestions == [pending] and mirror.suggestion_reports == 3
    assert reads == [DOC.id]  # only the first read, when the document opened
    apply(opened, mirror, Changes(suggestions=named))  # a run: nothing carried, read again
    assert opened.suggestions == [pending] and reads == [DOC.id, DOC.id]


def test_opening_another_document_resets_and_clears_the_selection():
    opened, mirror = opened_with(span(1, 0, 5))
    opened.select(opened.spans.get(1))
    mirror.reports.clear()
    opened.open(None, SpanIndex())
    assert mirror.reports == [("reset",)]
    assert mirror.ids == []
    assert opened.selected is None
    assert opened.suggestions == []
