"""Decisions of a merge: suggestions with each annotator's decisions, and review rejections.

Suggestions match by (document, label, start, end, model). A new one comes with its score and
every annotator's decision. For one already here, an annotator's decision is added when that
annotator has none here; two different decisions of one annotator keep this project's and are
reported. A suggestion nobody decided, on a label and offsets someone decided here (by any
model), is not added, counted as already present: a decided suggestion is not proposed again
(as in SuggestionMethods.store_suggestion_batch).

Review rejections match by (document, label, start, end). One that this project's gold layer
contradicts (gold holds that label on those offsets) is not added: the gold span is kept and a
conflict reported.

Suggestion runs (`suggestion_run`) are neither carried nor marked. A run records that *this
project's* suggester has gone over a document, and resuming skips such documents; a suggester
of the same name elsewhere may hold other phrases or another model. Left unmarked, a merged
document is still run on the next resume, which replaces its pending suggestions of that model
and keeps every decided one, merged or not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.core.merge_names import MergeNames
from annotator.core.merge_records import (
    MergeDecision,
    MergeDocument,
    MergeRejection,
    MergeReport,
    MergeSuggestion,
)
from annotator.core.model import SuggestionStatus
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    ReviewRejectionRow,
    SpanRow,
    SuggestionDecisionRow,
    SuggestionRow,
    utcnow,
)

_Place = tuple[int, int, int, int]
"""(document, label, start, end)."""
_SuggestionKey = tuple[int, int, int, int, str]
"""(document, label, start, end, model)."""
_PENDING_COLUMNS = ("document_id", "label_id", "start", "end", "score", "model")


class MergeDecisions:
    """Merges one batch's suggestions and review rejections; `describe` names a document of
    this project in conflict messages."""

    def __init__(
        self,
        s: Session,
        report: MergeReport,
        names: MergeNames,
        describe: Callable[[int], str],
    ) -> None:
        self._s = s
        self._report = report
        self._names = names
        self._describe = describe

    def merge(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Merge the suggestions and review rejections of a batch whose documents are `ids`."""
        self._suggestions(source, batch, ids)
        self._rejections(source, batch, ids)

    def _suggestions(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        wanted: dict[_SuggestionKey, MergeSuggestion] = {}
        decisions: dict[_SuggestionKey, dict[int, MergeDecision]] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for item in doc.suggestions:
                label = self._names.label_id(source, item.label, doc.line)
                key = (doc_id, label, item.start, item.end, item.model)
                wanted.setdefault(key, item)
                by_annotator = decisions.setdefault(key, {})
                for decision in item.decisions:
                    annotator = self._names.annotator_id(source, decision.annotator, doc.line)
                    by_annotator.setdefault(annotator, decision)
        if not wanted:
            return
        present, ours, decided = _existing_suggestions(self._s, {key[0] for key in wanted})
        decided |= {key[:4] for key, theirs in decisions.items() if theirs}
        counts, now = self._report.counts["suggestions"], utcnow()
        pending, new_decided, new_decisions = [], [], []
        for key, item in wanted.items():
            if key not in present:
                if decisions[key]:
                    new_decided.append(key)
                elif key[:4] in decided:
                    counts.present += 1
                else:
                    pending.append((*key[:4], item.score, key[4]))
                continue
            counts.present += 1
            suggestion_id = present[key]
            for annotator, theirs in decisions[key].items():
                here = ours.get((suggestion_id, annotator))
                if here is None:
                    new_decisions.append(_decision_row(suggestion_id, annotator, theirs, now))
                    self._report.suggestion_document_ids.add(key[0])
                elif here is not theirs.status:
                    self._report.conflict(
                        "suggestions",
                        source,
                        f"{self._describe(key[0])}: {key[4] or 'unnamed model'}'s {item.label} "
                        f"suggestion [{item.start}, {item.end}) is {theirs.status.value} by "
                        f"{theirs.annotator} there, {here.value} here; kept {here.value}",
                    )
        counts.updated += len(new_decisions)
        conn = self._s.connection()
        insert_rows(conn, SuggestionRow.__table__, _PENDING_COLUMNS, pending, {"status": "pending"})
        if new_decided:
            made = conn.execute(
                insert(SuggestionRow.__table__).returning(
                    SuggestionRow.id, sort_by_parameter_order=True
                ),
                [_suggestion_row(key, wanted[key]) for key in new_decided],
            ).scalars()
            for key, suggestion_id in zip(new_decided, made, strict=True):
                new_decisions.extend(
                    _decision_row(suggestion_id, annotator, theirs, now)
                    for annotator, theirs in decisions[key].items()
                )
        if new_decisions:
            conn.execute(insert(SuggestionDecisionRow.__table__), new_decisions)
        counts.added += len(pending) + len(new_decided)
        self._report.suggestion_document_ids.update(
            [row[0] for row in pending] + [key[0] for key in new_decided]
        )

    def _rejections(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        wanted: dict[_Place, MergeRejection] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for item in doc.rejections:
                label = self._names.label_id(source, item.label, doc.line)
                wanted.setdefault((doc_id, label, item.start, item.end), item)
        if not wanted:
            return
        documents = sorted({key[0] for key in wanted})
        columns = (
            ReviewRejectionRow.document_id,
            ReviewRejectionRow.label_id,
            ReviewRejectionRow.start,
            ReviewRejectionRow.end,
        )
        present = set(
            self._s.execute(select(*columns).where(ReviewRejectionRow.document_id.in_(documents)))
        )
        gold = _gold_places(self._s, documents)
        counts, now = self._report.counts["review rejections"], utcnow()
        rows: list[dict[str, Any]] = []
        for key, theirs in wanted.items():
            if key in present:
                counts.present += 1
            elif key in gold:
                self._report.conflict(
                    "review rejections",
                    source,
                    f"{self._describe(key[0])}: {theirs.label} [{theirs.start}, {theirs.end}) "
                    "was rejected in review there and is in the gold layer here; kept the gold "
                    "span",
                )
            else:
                document_id, label_id, start, end = key
                rows.append(
                    {
                        "document_id": document_id,
                        "label_id": label_id,
                        "start": start,
                        "end": end,
                        "decided_at": theirs.decided_at or now,
                    }
                )
        if rows:
            self._s.connection().execute(insert(ReviewRejectionRow.__table__), rows)
        counts.added += len(rows)
        self._report.document_ids.update(row["document_id"] for row in rows)


def _existing_suggestions(
    s: Session, document_ids: set[int]
) -> tuple[dict[_SuggestionKey, int], dict[tuple[int, int], SuggestionStatus], set[_Place]]:
    """The id of every suggestion of these documents by identity, every decision on them by
    (suggestion, annotator), and the places anyone decided."""
    documents = sorted(document_ids)
    columns = (
        SuggestionRow.document_id,
        SuggestionRow.label_id,
        SuggestionRow.start,
        SuggestionRow.end,
        SuggestionRow.model,
        SuggestionRow.id,
    )
    conn = s.connection()
    present, places = {}, {}
    for d, lab, st, en, model, row_id in conn.execute(
        select(*columns).where(SuggestionRow.document_id.in_(documents))
    ):
        present[(d, lab, st, en, model)] = row_id
        places[row_id] = (d, lab, st, en)
    query = (
        select(
            SuggestionDecisionRow.suggestion_id,
            SuggestionDecisionRow.annotator_id,
            SuggestionDecisionRow.status,
        )
        .join(SuggestionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id)
        .where(SuggestionRow.document_id.in_(documents))
    )
    ours = {(row_id, who): SuggestionStatus(status) for row_id, who, status in conn.execute(query)}
    decided = {places[row_id] for row_id, _ in ours}
    return present, ours, decided


def _gold_places(s: Session, document_ids: list[int]) -> set[_Place]:
    """(document, label, start, end) of this project's gold spans in these documents."""
    query = (
        select(SpanRow.document_id, SpanRow.label_id, SpanRow.start, SpanRow.end)
        .join(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id)
        .where(AnnotatorRow.is_gold.is_(True), SpanRow.document_id.in_(document_ids))
    )
    return set(s.execute(query))


def _suggestion_row(key: _SuggestionKey, item: MergeSuggestion) -> dict[str, Any]:
    document_id, label_id, start, end, model = key
    return {
        "document_id": document_id,
        "label_id": label_id,
        "start": start,
        "end": end,
        "score": item.score,
        "model": model,
    }


def _decision_row(
    suggestion_id: int, annotator_id: int, item: MergeDecision, now: datetime
) -> dict[str, Any]:
    return {
        "suggestion_id": suggestion_id,
        "annotator_id": annotator_id,
        "status": item.status.value,
        "decided_at": item.decided_at or now,
    }
