"""Merge other projects' work into this one: one transaction, Core inserts, idempotent.

Documents match by text hash (new ones come with title, source and meta; existing ones keep
ours). A document's imported tokens and sentences (core.tokenisation) come with it, and go to a
document here that has none; different ones here are kept and reported. Labels and annotators:
see core.merge_names. Spans match by (document, annotator, label, start, end) and come with
their source, note and timestamps; for a span already here with another note, an empty note here
takes theirs, else ours is kept and the conflict reported. Statuses: the further-along one wins
(todo < skipped < in progress < done); every difference is reported. Span deletions
(core.storage.tombstones) travel both ways: a source's deletion is stored here and deletes the
span here unless it changed after the deletion; a source's span deleted here after it last
changed is not brought back. Relation types, relations and their deletions: see
core.merge_relations. Suggestions and review rejections: see core.merge_decisions.
Merging the same source again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from annotator.core.importing import check_span_offsets, chunks, existing_documents
from annotator.core.merge_decisions import MergeDecisions
from annotator.core.merge_names import MergeNames
from annotator.core.merge_records import MergeDocument, MergeReport, MergeSource, MergeSpan
from annotator.core.merge_relations import MergeRelations, MergeRelationTypes
from annotator.core.model import Status
from annotator.core.progress import Progress, check_cancelled
from annotator.core.storage import tombstones
from annotator.core.storage.orm import (
    DocumentRow,
    DocumentStateRow,
    DocumentTokensRow,
    SpanRow,
    utcnow,
)
from annotator.core.storage.repo import SPAN_IDENTITY, STATUS_RANK
from annotator.core.storage.search import index_documents
from annotator.core.storage.tombstones import TombstoneKey
from annotator.core.text import text_sha256, whitespace_key
from annotator.core.tokenisation import encode_tokens

BATCH = 500
"""Documents merged per step (one progress report and cancel check each)."""

_SpanKey = tuple[int, int, int, int, int]


def merge_sources(s: Session, sources: Sequence[MergeSource], progress: Progress) -> MergeReport:
    """Bring every source's documents, labels, annotators, relation types, spans, relations,
    statuses, suggestions and review rejections into the project.

    Runs inside the caller's transaction: bad input or a cancel leaves the database unchanged.
    """
    report = MergeReport(sources=[source.name for source in sources])
    merger = _Merger(s, report)
    total, done = sum(source.count() for source in sources), 0
    progress.report(0, total)
    for source in sources:
        merger.names.declare(source.name, source.labels(), source.annotators())
        merger.relation_types.declare(source.name, source.relation_types())
        for batch in _batches(source.documents(), BATCH):
            check_cancelled(progress)
            merger.merge(source.name, batch)
            done += len(batch)
            progress.report(done, total)
    check_cancelled(progress)
    return report


def _batches(items: Iterable[MergeDocument], size: int) -> Iterator[list[MergeDocument]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Merger:
    """The merge's state across batches: names, and document ids by text hash."""

    def __init__(self, s: Session, report: MergeReport) -> None:
        self.s = s
        self.report = report
        self.names = MergeNames(s, report)
        self.decisions = MergeDecisions(s, report, self.names, self._document)
        self.relation_types = MergeRelationTypes(s, report, self.names)
        self.relations = MergeRelations(s, report, self.names, self.relation_types, self._document)
        self.doc_ids: dict[str, int] = {}

    def merge(self, source: str, batch: list[MergeDocument]) -> None:
        """Merge one batch of a source's documents with everything they carry."""
        check_span_offsets(batch, source)
        ids = self._documents(batch)
        self._tokens(source, batch, ids)
        self.relations.deletions(source, batch, ids)
        self._deletions(source, batch, ids)
        self._spans(source, batch, ids)
        self.relations.relations(source, batch, ids)
        self._states(source, batch, ids)
        self.decisions.merge(source, batch, ids)
        self.relations.rejections(source, batch, ids)

    def _documents(self, batch: list[MergeDocument]) -> list[int]:
        """Our id for each document, adding the ones this project does not have."""
        hashes = [text_sha256(doc.text) for doc in batch]
        counts = self.report.counts["documents"]
        found = existing_documents(self.s, [h for h in hashes if h not in self.doc_ids])
        counts.present += len(found)
        self.doc_ids.update(found)
        new: dict[str, dict[str, Any]] = {}
        for doc, sha in zip(batch, hashes, strict=True):
            if sha not in self.doc_ids and sha not in new:
                new[sha] = {
                    "title": doc.title,
                    "source": doc.source,
                    "text": doc.text,
                    "sha256": sha,
                    "text_key": whitespace_key(doc.text),
                    "normalization": doc.normalization,
                    "meta": doc.meta,
                    "created_at": utcnow(),
                }
        if new:
            query = insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True)
            added = self.s.execute(query, list(new.values())).scalars().all()
            index_documents(self.s.connection(), added)
            self.doc_ids.update(zip(new, added, strict=True))
            self.report.document_ids.update(added)
            counts.added += len(added)
        return [self.doc_ids[sha] for sha in hashes]

    def _tokens(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Store a source's imported tokens for each document here that has none stored."""
        wanted: dict[int, tuple[str, str]] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            if doc.tokens is not None:
                wanted.setdefault(doc_id, encode_tokens(doc.tokens))
        if not wanted:
            return
        tokens = DocumentTokensRow
        query = select(tokens.document_id, tokens.tokens, tokens.sentence_starts)
        rows = self.s.execute(query.where(tokens.document_id.in_(sorted(wanted))))
        present = {doc_id: (stored, starts) for doc_id, stored, starts in rows}
        counts = self.report.counts["document tokens"]
        new: list[dict[str, Any]] = []
        for doc_id, theirs in wanted.items():
            ours = present.get(doc_id)
            if ours is None:
                stored, starts = theirs
                new.append({"document_id": doc_id, "tokens": stored, "sentence_starts": starts})
                continue
            counts.present += 1
            if ours != theirs:
                self.report.conflict(
                    "document tokens",
                    source,
                    f"{self._document(doc_id)}: its imported tokens or sentences differ there; "
                    "kept this project's",
                )
        if new:  # a batch's documents at most: one statement
            self.s.execute(insert(tokens), new)
        counts.added += len(new)
        self.report.document_ids.update(row["document_id"] for row in new)

    def _deletions(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        """Take a source's span deletions: each is stored (so it travels on), and deletes the
        span here when that span was not changed after it."""
        incoming: dict[TombstoneKey, datetime] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for gone in doc.deletions:
                annotator = self.names.annotator_id(source, gone.annotator, doc.line)
                label = self.names.our_label(gone.label)
                key = (doc_id, annotator, label, gone.start, gone.end)
                incoming[key] = max(gone.deleted_at, incoming.get(key, gone.deleted_at))
        if not incoming:
            return
        documents = {key[0] for key in incoming}
        known = tombstones.tombstones(self.s, documents)
        live = tombstones.live_spans(self.s, documents)
        counts, newer, doomed = self.report.counts["span deletions"], {}, {}
        for key, deleted_at in incoming.items():
            ours = known.get(key)
            if ours is None or deleted_at > ours:
                newer[key] = deleted_at
                counts.added += ours is None
                counts.updated += ours is not None
            else:
                counts.present += 1
            span = live.get(key)
            if span is not None and span[1] <= deleted_at:
                doomed[span[0]] = deleted_at
                self.report.document_ids.add(key[0])
        self.relations.spans_removed(doomed)
        for chunk in chunks(list(doomed), 500):
            self.s.execute(delete(SpanRow).where(SpanRow.id.in_(chunk)))
        tombstones.bury(self.s, newer)
        self.report.deletions_applied += len(doomed)

    def _spans(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        wanted: dict[_SpanKey, MergeSpan] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for span in doc.spans:
                annotator = self.names.annotator_id(source, span.annotator, doc.line)
                label = self.names.label_id(source, span.label, doc.line)
                key = (doc_id, annotator, label, span.start, span.end)
                wanted.setdefault(key, span)
        if not wanted:
            return
        present = _existing_spans(self.s, set(ids))
        buried = tombstones.tombstones(self.s, set(ids))
        counts, notes = self.report.counts["spans"], self.report.counts["notes"]
        now = utcnow()
        rows, note_updates = [], []
        for key, span in wanted.items():
            if key not in present:
                doc_id, annotator, _, start, end = key
                label_name = self.names.our_label(span.label)
                if _deleted_since(span, buried.get((doc_id, annotator, label_name, start, end))):
                    self.report.spans_kept_deleted += 1
                    continue
                rows.append(_span_row(key, span, now))
                notes.added += bool(span.note)
                continue
            counts.present += 1
            span_id, ours = present[key]
            if not span.note or span.note == ours:
                notes.present += bool(span.note)
            elif not ours:
                note_updates.append({"id": span_id, "note": span.note, "updated_at": now})
                self.report.document_ids.add(key[0])
            else:
                where = f"{self._document(key[0])}: {span.annotator}'s {span.label} span"
                self.report.conflict(
                    "notes",
                    source,
                    f"{where} [{span.start}, {span.end}) has note {_short(span.note)} there, "
                    f"{_short(ours)} here; kept this project's",
                )
        for chunk in chunks(rows, 5000):
            self.s.connection().execute(insert(SpanRow.__table__), chunk)
        if note_updates:
            self.s.execute(update(SpanRow), note_updates)
        counts.added += len(rows)
        notes.updated += len(note_updates)
        self.report.document_ids.update(row["document_id"] for row in rows)

    def _states(self, source: str, batch: list[MergeDocument], ids: list[int]) -> None:
        wanted: dict[tuple[int, int], tuple[Status, str]] = {}
        for doc, doc_id in zip(batch, ids, strict=True):
            for name, status in doc.states.items():
                key = (doc_id, self.names.annotator_id(source, name, doc.line))
                if key not in wanted or STATUS_RANK[status] > STATUS_RANK[wanted[key][0]]:
                    wanted[key] = (Status(status), name)
        if not wanted:
            return
        query = select(
            DocumentStateRow.document_id, DocumentStateRow.annotator_id, DocumentStateRow.status
        ).where(DocumentStateRow.document_id.in_(sorted({key[0] for key in wanted})))
        present = {(d, a): Status(st) for d, a, st in self.s.execute(query)}
        counts, now = self.report.counts["states"], utcnow()
        rows: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for (doc_id, annotator_id), (theirs, name) in wanted.items():
            ours = present.get((doc_id, annotator_id))
            row = {"document_id": doc_id, "annotator_id": annotator_id, "status": theirs.value}
            if ours is None:
                rows.append({**row, "updated_at": now})
                continue
            counts.present += 1
            if ours == theirs:
                continue
            kept = theirs if STATUS_RANK[theirs] > STATUS_RANK[ours] else ours
            if kept == theirs:
                updates.append({**row, "updated_at": now})
            self.report.conflict(
                "states",
                source,
                f"{self._document(doc_id)}: {name}'s status is {theirs.value} there, "
                f"{ours.value} here; kept {kept.value}",
            )
        if rows:
            self.s.connection().execute(insert(DocumentStateRow.__table__), rows)
        if updates:
            self.s.execute(update(DocumentStateRow), updates)
        counts.added += len(rows)
        counts.updated += len(updates)
        self.report.document_ids.update(row["document_id"] for row in rows + updates)

    def _document(self, doc_id: int) -> str:
        """How conflict messages name one of this project's documents: id and title."""
        title = self.s.scalar(select(DocumentRow.title).where(DocumentRow.id == doc_id))
        return f"document {doc_id} ({title!r})"


def _existing_spans(s: Session, document_ids: set[int]) -> dict[_SpanKey, tuple[int, str]]:
    """(id, note) of every span of these documents, by identity."""
    columns = (*SPAN_IDENTITY, SpanRow.id, SpanRow.note)
    rows = s.execute(select(*columns).where(SpanRow.document_id.in_(sorted(document_ids))))
    return {(d, a, lab, st, en): (span_id, note) for d, a, lab, st, en, span_id, note in rows}


def _deleted_since(span: MergeSpan, deleted_at: datetime | None) -> bool:
    """Whether this project deleted the span after the source's copy last changed (a copy
    without times, from JSONL, counts as older)."""
    if deleted_at is None:
        return False
    changed = span.updated_at or span.created_at
    return changed is None or changed <= deleted_at


def _span_row(key: _SpanKey, span: MergeSpan, now: datetime) -> dict[str, Any]:
    doc_id, annotator_id, label_id, start, end = key
    return {
        "document_id": doc_id,
        "annotator_id": annotator_id,
        "label_id": label_id,
        "start": start,
        "end": end,
        "source": span.source.value,
        "note": span.note,
        "created_at": span.created_at or now,
        "updated_at": span.updated_at or now,
    }


def _short(note: str, limit: int = 40) -> str:
    """A note quoted for a message, cut to `limit` characters."""
    return repr(note if len(note) <= limit else note[: limit - 1] + "…")
