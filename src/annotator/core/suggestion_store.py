"""The Project's suggestion methods: store a model's proposals, accept, reject, remember.

Rejected suggestions stay in the table (status `rejected`), so the same label on the same
offsets is never proposed again for that document, whatever model proposes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.errors import NotFoundError
from annotator.core.model import (
    Changes,
    NewSuggestion,
    SpanSource,
    Suggestion,
    SuggestionStatus,
)
from annotator.core.quality import SuggesterQuality, suggester_quality
from annotator.core.storage import repo
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    DocumentRow,
    LabelRow,
    ProjectSettingRow,
    SpanRow,
    SuggestionRow,
    SuggestionRunRow,
    utcnow,
)

HUMAN_SOURCES = (SpanSource.MANUAL.value, SpanSource.IMPORT.value, SpanSource.SUGGESTION.value)


class SuggestionMethods:
    """Mixed into Project, whose `_read()` / `_write()` sessions, `spans` and `add_span` it
    uses."""

    # -- suggestions ---------------------------------------------------------------------

    def suggestions(
        self, document_id: int, status: SuggestionStatus | None = SuggestionStatus.PENDING
    ) -> list[Suggestion]:
        """A document's suggestions (pending ones unless another status, or None for all)."""
        with self._read() as s:
            query = (
                select(SuggestionRow, LabelRow.name)
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .where(SuggestionRow.document_id == document_id)
                .order_by(SuggestionRow.start, SuggestionRow.end, SuggestionRow.id)
            )
            if status is not None:
                query = query.where(SuggestionRow.status == SuggestionStatus(status).value)
            return [_to_suggestion(row, label) for row, label in s.execute(query)]

    def suggestions_of_documents(self, document_ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """Pending suggestions of several documents, by document: one query per batch."""
        found: dict[int, list[Suggestion]] = {doc_id: [] for doc_id in document_ids}
        ids = list(found)
        with self._read() as s:
            for start in range(0, len(ids), 500):
                rows = s.execute(
                    select(SuggestionRow, LabelRow.name)
                    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                    .where(
                        SuggestionRow.document_id.in_(ids[start : start + 500]),
                        SuggestionRow.status == "pending",
                    )
                    .order_by(SuggestionRow.start, SuggestionRow.end, SuggestionRow.id)
                )
                for row, label in rows:
                    found[row.document_id].append(_to_suggestion(row, label))
        return found

    def taken_keys(self, document_ids: Sequence[int]) -> dict[int, set[tuple[str, int, int, str]]]:
        """(label, start, end, who) of every span (who = "") and pending suggestion (who = the
        model) in several documents: what a suggestion run must not propose again. Plain tuples
        from two Core queries per 500 documents, so runs over a corpus stay cheap."""
        found: dict[int, set[tuple[str, int, int, str]]] = {
            doc_id: set() for doc_id in document_ids
        }
        ids = list(found)
        with self._read() as s:
            conn = s.connection()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                spans = (
                    select(SpanRow.document_id, LabelRow.name, SpanRow.start, SpanRow.end)
                    .join(LabelRow, SpanRow.label_id == LabelRow.id)
                    .where(SpanRow.document_id.in_(chunk))
                )
                for doc_id, label, a, b in conn.execute(spans):
                    found[doc_id].add((label, a, b, ""))
                pending = repo.labelled_marks(SuggestionRow, SuggestionRow.model).where(
                    SuggestionRow.document_id.in_(chunk), SuggestionRow.status == "pending"
                )
                for doc_id, label, a, b, model in conn.execute(pending):
                    found[doc_id].add((label, a, b, model))
        return found

    def suggestion(self, suggestion_id: int) -> Suggestion:
        """One suggestion by id, or NotFoundError."""
        with self._read() as s:
            return _to_suggestion(*_suggestion_row(s, suggestion_id))

    def documents_with_suggestions(self, model: str) -> set[int]:
        """Documents that model has already been run over, whatever it found (to resume)."""
        with self._read() as s:
            return set(
                s.scalars(
                    select(SuggestionRunRow.document_id).where(SuggestionRunRow.model == model)
                )
            )

    def store_suggestions(
        self, document_id: int, model: str, items: Sequence[NewSuggestion]
    ) -> Changes:
        """Replace `model`'s pending suggestions for the document; labels the project lacks,
        offsets outside the text, rejected and already-decided proposals are skipped."""
        return self.store_suggestion_batch(model, {document_id: items})

    def store_suggestion_batch(
        self, model: str, batch: Mapping[int, Sequence[NewSuggestion]]
    ) -> Changes:
        """`store_suggestions` for many documents in one transaction (a suggestion run's batch)."""
        if not batch:
            return Changes()
        ids = list(batch)
        with self._write() as s:
            conn = s.connection()
            lengths = dict(
                conn.execute(
                    select(DocumentRow.id, func.length(DocumentRow.text)).where(
                        DocumentRow.id.in_(ids)
                    )
                ).all()
            )
            missing = sorted(set(ids) - lengths.keys())
            if missing:
                raise NotFoundError(f"no document with id {', '.join(map(str, missing))}")
            labels = repo.label_ids(s)
            pending = (SuggestionRow.status == "pending",)
            conn.execute(
                delete(SuggestionRow).where(
                    SuggestionRow.document_id.in_(ids), SuggestionRow.model == model, *pending
                )
            )
            decided = set(
                conn.execute(
                    select(
                        SuggestionRow.document_id,
                        SuggestionRow.label_id,
                        SuggestionRow.start,
                        SuggestionRow.end,
                    ).where(SuggestionRow.document_id.in_(ids), SuggestionRow.status != "pending")
                ).all()
            )
            rows = _new_rows(batch, lengths, labels, decided)
            insert_rows(
                conn,
                SuggestionRow.__table__,
                _NEW_ROW_COLUMNS,
                rows,
                {"model": model, "status": "pending"},
            )
            conn.execute(
                delete(SuggestionRunRow).where(
                    SuggestionRunRow.document_id.in_(ids), SuggestionRunRow.model == model
                )
            )
            now = utcnow()
            conn.execute(
                insert(SuggestionRunRow),
                [{"document_id": i, "model": model, "run_at": now} for i in ids],
            )
        return Changes(suggestions=frozenset(ids))

    def accept_suggestion(self, suggestion_id: int, annotator: str) -> Changes:
        """Turn a suggestion into a span of `annotator` (source `suggestion`) and remember it
        as accepted; when the annotator already has that span, only the status changes."""
        suggestion = self.suggestion(suggestion_id)
        changes = Changes()
        existing = [
            sp
            for sp in self.spans(suggestion.document_id, annotator)
            if (sp.label, sp.start, sp.end) == (suggestion.label, suggestion.start, suggestion.end)
        ]
        if not existing:
            changes = self.add_span(
                suggestion.document_id,
                annotator,
                suggestion.label,
                suggestion.start,
                suggestion.end,
                source=SpanSource.SUGGESTION,
            )
        return changes | self.set_suggestion_status(suggestion_id, SuggestionStatus.ACCEPTED)

    def reject_suggestion(self, suggestion_id: int) -> Changes:
        """Dismiss a suggestion for good (it will not be proposed again for this document)."""
        return self.set_suggestion_status(suggestion_id, SuggestionStatus.REJECTED)

    def set_suggestion_status(self, suggestion_id: int, status: SuggestionStatus) -> Changes:
        """Record what was decided (or undo a decision with PENDING)."""
        status = SuggestionStatus(status)
        with self._write() as s:
            row, _ = _suggestion_row(s, suggestion_id)
            row.status = status.value
            row.decided_at = None if status is SuggestionStatus.PENDING else utcnow()
            return Changes(suggestions=frozenset({row.document_id}))

    def suggester_quality(self) -> list[SuggesterQuality]:
        """Precision (accepted / decided) and recall against gold, per suggester."""
        with self._read() as s:
            return suggester_quality(s)

    def human_phrases(self) -> dict[str, set[str]]:
        """The distinct texts people marked, per label (the lexicon: tag once, suggest
        everywhere)."""
        phrases: dict[str, set[str]] = {}
        for label, text in self._iter_human_span_texts():
            phrase = " ".join(text.split())
            if phrase:
                phrases.setdefault(label, set()).add(phrase)
        return phrases

    def _iter_human_span_texts(self) -> Iterator[tuple[str, str]]:
        with self._read() as s:
            query = (
                select(
                    LabelRow.name,
                    func.substr(DocumentRow.text, SpanRow.start + 1, SpanRow.end - SpanRow.start),
                )
                .select_from(SpanRow)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .join(DocumentRow, SpanRow.document_id == DocumentRow.id)
                .where(SpanRow.source.in_(HUMAN_SOURCES))
                .distinct()
            )
            yield from s.execute(query)

    # -- project settings ----------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A project-wide setting (JSON value) stored in the file, or `default`."""
        with self._read() as s:
            row = s.get(ProjectSettingRow, key)
            return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> Changes:
        """Store a project-wide setting (any JSON value); None removes it."""
        with self._write() as s:
            row = s.get(ProjectSettingRow, key)
            if value is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(ProjectSettingRow(key=key, value=value))
            else:
                row.value = value
        return Changes()


_NEW_ROW_COLUMNS = ("document_id", "label_id", "start", "end", "score")


def _new_rows(
    batch: Mapping[int, Sequence[NewSuggestion]],
    lengths: Mapping[int, int],
    labels: Mapping[str, int],
    decided: set[tuple[int, int, int, int]],
) -> list[tuple]:
    """Insertable rows (in _NEW_ROW_COLUMNS order; model and status are the same for all):
    known labels, offsets inside the text, nothing decided, no repeats."""
    rows, seen = [], set(decided)
    for document_id, items in batch.items():
        length = lengths[document_id]
        for item in items:
            key = (document_id, labels.get(item.label), item.start, item.end)
            if key not in seen and key[1] is not None and 0 <= key[2] < key[3] <= length:
                seen.add(key)
                rows.append((*key, float(item.score)))
    return rows


def _suggestion_row(s: Session, suggestion_id: int) -> tuple[SuggestionRow, str]:
    found = s.execute(
        select(SuggestionRow, LabelRow.name)
        .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
        .where(SuggestionRow.id == suggestion_id)
    ).first()
    if found is None:
        raise NotFoundError(f"no suggestion with id {suggestion_id}")
    return found[0], found[1]


def _to_suggestion(row: SuggestionRow, label: str) -> Suggestion:
    return Suggestion(
        row.id,
        row.document_id,
        label,
        row.start,
        row.end,
        row.score,
        row.model,
        SuggestionStatus(row.status),
    )
