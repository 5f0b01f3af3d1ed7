"""The project's suggestions: store a model's proposals, accept, reject, remember.

Decisions are per annotator (`suggestion_decision`): a suggestion is pending for everyone
who has not decided it, whatever others decided. A suggestion anyone decided stays in the
table, so the same label on the same offsets is not proposed again for that document,
whatever model proposes it. Without an annotator, reads count a suggestion as decided once
anyone decided it (accepted when anyone accepted it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    bindparam,
    delete,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import NotFoundError
from annotator.core.labelrules import normal_name
from annotator.core.model import (
    Changes,
    Decision,
    MarkedDocument,
    NewSuggestion,
    SpanSource,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.project.part import Part
from annotator.core.project.spans import Spans
from annotator.core.project.store import Store
from annotator.core.quality import SuggesterQuality, decided_suggestions, suggester_quality
from annotator.core.storage import repo
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SuggestionDecisionRow,
    SuggestionRow,
    SuggestionRunRow,
    utcnow,
)
from annotator.core.storage.suggestion_rows import add_pending, suggestion_places

_IDS_A_STATEMENT = 900
"""Document ids in one IN list (SQLite before 3.32 binds at most 999 parameters)."""
_SPAN_KEYS = (
    select(SpanRow.document_id, LabelRow.name, SpanRow.start, SpanRow.end)
    .join(LabelRow, SpanRow.label_id == LabelRow.id)
    .where(SpanRow.document_id.in_(bindparam("ids", expanding=True)))
)  # built once: an IN list built per call cost more than the read (a run reads once a group)
_PENDING_KEYS = repo.labelled_marks(SuggestionRow, SuggestionRow.model).where(
    SuggestionRow.document_id.in_(bindparam("ids", expanding=True)), repo.undecided()
)

HUMAN_SOURCES = (SpanSource.MANUAL.value, SpanSource.IMPORT.value, SpanSource.SUGGESTION.value)


class Suggestions(Part):
    """A model's proposals and each annotator's decisions on them; accepting one adds a span
    through the spans part."""

    def __init__(self, store: Store, spans: Spans) -> None:
        super().__init__(store)
        self._spans = spans

    def suggestions(
        self,
        document_id: int,
        status: SuggestionStatus | None = SuggestionStatus.PENDING,
        *,
        annotator: str | None = None,
        within: tuple[int, int] | None = None,
    ) -> list[Suggestion]:
        """A document's suggestions with `annotator`'s decisions (pending ones unless another
        status, or None for all), those inside the (start, end) `within` when given; another
        annotator's private lexicon's are left out."""
        with self._read() as s:
            decision = repo.status_for(s, annotator)
            query = (
                select(*_SUGGESTION_COLUMNS, decision)
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .where(SuggestionRow.document_id == document_id, repo.visible_to(annotator))
                .order_by(SuggestionRow.start, SuggestionRow.end, SuggestionRow.id)
            )
            if within is not None:
                query = query.where(
                    SuggestionRow.start >= within[0], SuggestionRow.end <= within[1]
                )
            if status is not None:
                query = query.where(decision == SuggestionStatus(status).value)
            return [_from_columns(*found) for found in s.execute(query)]

    def suggestions_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """Suggestions of several documents nobody decided yet, by document: one query per
        batch."""
        found: dict[int, list[Suggestion]] = {doc_id: [] for doc_id in document_ids}
        ids = list(found)
        with self._read() as s:
            for start in range(0, len(ids), 500):
                rows = s.execute(
                    select(*_SUGGESTION_COLUMNS, literal(SuggestionStatus.PENDING.value))
                    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                    .where(
                        SuggestionRow.document_id.in_(ids[start : start + 500]), repo.undecided()
                    )
                    .order_by(SuggestionRow.start, SuggestionRow.end, SuggestionRow.id)
                )
                for row in rows:
                    found[row[1]].append(_from_columns(*row))
        return found

    def taken_keys(self, document_ids: Sequence[int]) -> dict[int, set[tuple[str, int, int, str]]]:
        """(label, start, end, who) of every span (who = "") and undecided suggestion (who = the
        model) in several documents: what a suggestion run must not propose again. Plain tuples
        from two Core queries per 500 documents, so runs over a corpus stay cheap."""
        found: dict[int, set[tuple[str, int, int, str]]] = {
            doc_id: set() for doc_id in document_ids
        }
        ids = list(found)
        with self._read() as s:
            conn = s.connection()
            for start in range(0, len(ids), _IDS_A_STATEMENT):
                chunk = {"ids": ids[start : start + _IDS_A_STATEMENT]}
                for doc_id, label, a, b in conn.execute(_SPAN_KEYS, chunk):
                    found[doc_id].add((label, a, b, ""))
                for doc_id, label, a, b, model in conn.execute(_PENDING_KEYS, chunk):
                    found[doc_id].add((label, a, b, model))
        return found

    def suggestion(self, suggestion_id: int, annotator: str | None = None) -> Suggestion:
        """One suggestion by id with `annotator`'s decision, or NotFoundError."""
        with self._read() as s:
            return _to_suggestion(*_suggestion_row(s, suggestion_id, annotator))

    def documents_with_suggestions(self, model: str, version: str | None = None) -> set[int]:
        """Documents that model has already been run over, whatever it found (to resume); with
        `version`, only those it was run over at that version (the others are out of date)."""
        query = select(SuggestionRunRow.document_id).where(SuggestionRunRow.model == model)
        if version is not None:
            query = query.where(SuggestionRunRow.version == version)
        with self._read() as s:
            return set(s.scalars(query))

    def store_suggestions(
        self, document_id: int, model: str, items: Sequence[NewSuggestion]
    ) -> Changes:
        """Replace `model`'s undecided suggestions for the document; labels the project lacks,
        offsets outside the text, and proposals anyone decided are skipped."""
        return self.store_suggestion_batch(model, {document_id: items})

    def store_suggestion_batch(
        self,
        model: str,
        batch: Mapping[int, Sequence[NewSuggestion]],
        version: str = "",
        lengths: Mapping[int, int] | None = None,
    ) -> Changes:
        """`store_suggestions` for many documents in one transaction (a suggestion run's batch),
        recording the run with the suggester's `version`. A caller holding the texts (a run)
        gives their `lengths` (document id -> code points), sparing a read of every text."""
        if not batch:
            return Changes()
        ids = list(batch)
        with self._write() as s:
            conn = s.connection()
            if lengths is None:
                lengths = _text_lengths(conn, ids)
            labels = repo.label_ids(s)
            conn.execute(
                delete(SuggestionRow).where(
                    SuggestionRow.document_id.in_(ids),
                    SuggestionRow.model == model,
                    repo.undecided(),
                )
            )
            decided = suggestion_places(conn, ids, ~repo.undecided())
            add_pending(conn, model, batch, lengths, labels, decided)
            conn.execute(
                delete(SuggestionRunRow).where(
                    SuggestionRunRow.document_id.in_(ids), SuggestionRunRow.model == model
                )
            )
            now = utcnow()
            insert_rows(
                conn,
                SuggestionRunRow.__table__,
                ("document_id",),
                [(i,) for i in ids],
                {"model": model, "run_at": now, "version": version},
            )
        return Changes(suggestions=frozenset(ids))

    def accept_suggestion(self, suggestion_id: int, annotator: str) -> Changes:
        """Turn a suggestion into a span of `annotator` (source `suggestion`) and remember it
        as accepted by them; when the annotator already has that span, only the decision
        changes."""
        suggestion = self.suggestion(suggestion_id)
        changes = Changes()
        existing = [
            sp
            for sp in self._spans.spans(suggestion.document_id, annotator)
            if (sp.label, sp.start, sp.end) == (suggestion.label, suggestion.start, suggestion.end)
        ]
        if not existing:
            changes = self._spans.add_span(
                suggestion.document_id,
                annotator,
                suggestion.label,
                suggestion.start,
                suggestion.end,
                source=SpanSource.SUGGESTION,
            )
        return changes | self.set_suggestion_status(
            suggestion_id, SuggestionStatus.ACCEPTED, annotator
        )

    def reject_suggestion(self, suggestion_id: int, annotator: str) -> Changes:
        """Dismiss a suggestion for `annotator` (others still see it pending)."""
        return self.set_suggestion_status(suggestion_id, SuggestionStatus.REJECTED, annotator)

    def set_suggestion_status(
        self, suggestion_id: int, status: SuggestionStatus, annotator: str
    ) -> Changes:
        """Record what `annotator` decided (or undo their decision with PENDING)."""
        status = SuggestionStatus(status)
        with self._write() as s:
            row, label, _ = _suggestion_row(s, suggestion_id, None)
            key = (suggestion_id, repo.annotator_id(s, annotator, create=True))
            decision = s.get(SuggestionDecisionRow, key)
            if status is SuggestionStatus.PENDING:
                if decision is not None:
                    mine = (SuggestionDecisionRow.suggestion_id == key[0]) & (
                        SuggestionDecisionRow.annotator_id == key[1]
                    )
                    gone = s.execute(delete(SuggestionDecisionRow).where(mine))
                    if not cast(CursorResult[Any], gone).rowcount:
                        raise StaleDataError("the server kept the decision")  # not the user's
            elif decision is None:
                s.add(
                    SuggestionDecisionRow(
                        suggestion_id=key[0],
                        annotator_id=key[1],
                        status=status.value,
                        decided_at=utcnow(),
                    )
                )
            else:
                decision.status, decision.decided_at = status.value, utcnow()
            decided = Decision(annotator, _to_suggestion(row, label, status.value))
            return Changes(suggestions=frozenset({row.document_id}), decided=(decided,))

    def suggester_quality(
        self, annotator: str | None = None, *, by_label: bool = False
    ) -> list[SuggesterQuality]:
        """Precision (accepted / decided) from `annotator`'s decisions (everyone's when None)
        and recall against gold, per suggester (and per label with `by_label`)."""
        with self._read() as s:
            return suggester_quality(s, annotator, by_label=by_label)

    def decided_suggestions(self) -> list[tuple[str, str, float, str, str, int, int]]:
        """Every decision's suggester, label, raw score and status, with its document's text
        and its offsets (the evidence of calibration: core.calibration)."""
        with self._read() as s:
            return decided_suggestions(s)

    def human_phrases(self, annotator: str | None = None) -> dict[str, Counter[str]]:
        """The texts people marked, per label, with how many spans each (the lexicon: tag
        once, suggest everywhere; the label given a phrase most often wins): `annotator`'s own
        spans and the gold layer's, or everyone's when None."""
        phrases: dict[str, Counter[str]] = {}
        for label, text, count in self._iter_human_span_texts(annotator):
            phrase = " ".join(text.split())
            if phrase:
                phrases.setdefault(label, Counter())[phrase] += count
        return phrases

    def marked_documents(
        self, annotator: str | None = None, limit: int = 300
    ) -> list[MarkedDocument]:
        """The latest `limit` documents people marked (as `human_phrases`: `annotator`'s own
        spans and gold's, everyone's when None), each with those spans and the suggestions
        `annotator` (anyone, for None) rejected in it: where the lexicon learns the context
        of its phrases."""
        with self._read() as s:
            learners = _learners(annotator)
            marked = (
                select(SpanRow.document_id)
                .where(SpanRow.source.in_(HUMAN_SOURCES), learners)
                .group_by(SpanRow.document_id)
                .order_by(SpanRow.document_id.desc())
                .limit(limit)
            ).scalar_subquery()
            found = select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(marked))
            texts: dict[int, str] = {i: text for i, text in s.execute(found)}
            documents = {i: MarkedDocument(text) for i, text in texts.items()}
            ids = list(texts)
            spans = (
                select(SpanRow.document_id, SpanRow.start, SpanRow.end, LabelRow.name)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(SpanRow.document_id.in_(ids), SpanRow.source.in_(HUMAN_SOURCES), learners)
            )
            for document_id, start, end, label in s.execute(spans):
                documents[document_id].spans.append((start, end, label))
            rejected = (
                select(
                    SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end, LabelRow.name
                )
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .join(
                    SuggestionDecisionRow, SuggestionDecisionRow.suggestion_id == SuggestionRow.id
                )
                .join(AnnotatorRow, SuggestionDecisionRow.annotator_id == AnnotatorRow.id)
                .where(
                    SuggestionRow.document_id.in_(ids),
                    SuggestionDecisionRow.status == SuggestionStatus.REJECTED.value,
                )
            )
            if annotator is not None:
                rejected = rejected.where(AnnotatorRow.name == normal_name(annotator))
            for document_id, start, end, label in s.execute(rejected):
                documents[document_id].rejected.append((start, end, label))
        return [documents[i] for i in sorted(documents)]

    def _iter_human_span_texts(self, annotator: str | None) -> Iterator[tuple[str, str, int]]:
        with self._read() as s:
            # no bound parameter in the grouped expression: PostgreSQL compares them as text
            first = SpanRow.start + literal_column("1")
            text = func.substr(DocumentRow.text, first, SpanRow.end - SpanRow.start)
            query = (
                select(LabelRow.name, text, func.count())
                .select_from(SpanRow)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .join(DocumentRow, SpanRow.document_id == DocumentRow.id)
                .where(SpanRow.source.in_(HUMAN_SOURCES))
                .group_by(LabelRow.name, text)
            )
            yield from s.execute(query.where(_learners(annotator)))


def _learners(annotator: str | None) -> ColumnElement[bool]:
    """Span rows the lexicon learns from: `annotator`'s and gold's (everyone's for None)."""
    if annotator is None:
        return literal(True)
    own_and_gold = select(AnnotatorRow.id).where(
        (AnnotatorRow.name == normal_name(annotator)) | AnnotatorRow.is_gold
    )
    return SpanRow.annotator_id.in_(own_and_gold)


def _suggestion_row(
    s: Session, suggestion_id: int, annotator: str | None
) -> tuple[SuggestionRow, str, str]:
    found = s.execute(
        select(SuggestionRow, LabelRow.name, repo.status_for(s, annotator))
        .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
        .where(SuggestionRow.id == suggestion_id)
    ).first()
    if found is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    return found[0], found[1], found[2]


_SUGGESTION_COLUMNS = (
    SuggestionRow.id,
    SuggestionRow.document_id,
    LabelRow.name,
    SuggestionRow.start,
    SuggestionRow.end,
    SuggestionRow.score,
    SuggestionRow.model,
)
"""A Suggestion's fields but the status, read as plain columns: building one ORM object per
row took most of the time of reading a document's 7,000 suggestions."""
_STATUSES = {status.value: status for status in SuggestionStatus}


def _from_columns(
    suggestion_id: int,
    document_id: int,
    label: str,
    start: int,
    end: int,
    score: float,
    model: str,
    status: str,
) -> Suggestion:
    """A Suggestion from _SUGGESTION_COLUMNS and the status."""
    status_value = _STATUSES[status]
    return Suggestion(suggestion_id, document_id, label, start, end, score, model, status_value)


def _to_suggestion(row: SuggestionRow, label: str, status: str) -> Suggestion:
    return Suggestion(
        row.id,
        row.document_id,
        label,
        row.start,
        row.end,
        row.score,
        row.model,
        SuggestionStatus(status),
    )


def _text_lengths(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """Each document's text length in code points, or NotFoundError naming the missing ones."""
    query = select(DocumentRow.id, func.length(DocumentRow.text)).where(DocumentRow.id.in_(ids))
    lengths: dict[int, int] = dict(conn.execute(query).all())
    missing = sorted(set(ids) - lengths.keys())
    if missing:
        raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
    return lengths
