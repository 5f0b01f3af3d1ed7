"""What the writers share about relations: the spans a relation links, and relations left out."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.model import Relation, Span
from annotator.io.writers.base import ExportItem, ExportReport

RELATION_OF_DROPPED = "relation(s) left out: a span they link was dropped"


def linked(item: ExportItem) -> list[tuple[Relation, Span, Span]]:
    """The item's relations with their head and tail spans, by the heads' and tails' places in
    the text (start, end, label), then type."""
    spans = {span.id: span for span in item.spans}
    found = [(r, spans[r.head], spans[r.tail]) for r in item.relations]
    return sorted(found, key=lambda x: (_place(x[1]), _place(x[2]), x[0].type))


def left_out(report: ExportReport, relations: Iterable[Relation], reason: str) -> None:
    """Count relations a writer could not write (by reason), and take them off the relations
    the summary says were written."""
    relations = list(relations)
    if relations:
        report.notes[reason] += len(relations)
        report.relations_per_type.subtract(relation.type for relation in relations)


def _place(span: Span) -> tuple[int, int, str, str]:
    return span.start, span.end, span.label, span.annotator
