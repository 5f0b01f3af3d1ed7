"""The project's review: the gold layer, stored rejections, and candidates to adjudicate.

Accepting a candidate needs no record (the gold span or relation is the record); a rejection
is a row in `review_rejection` (spans) or `review_relation_rejection` (relations), kept
whatever annotators are compared later.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.adjudication import DocumentReview, Key, RelationMark, review_document
from annotator.core.errors import ConflictError, NotFoundError
from annotator.core.model import Changes, Status
from annotator.core.progress import Progress, check_cancelled
from annotator.core.project.annotators import Annotators
from annotator.core.project.part import Part
from annotator.core.project.store import Store
from annotator.core.relation_keys import RelationKey, relation_key
from annotator.core.storage import repo
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentStateRow,
    RelationRow,
    RelationTypeRow,
    ReviewRejectionRow,
    ReviewRelationRejectionRow,
    SpanRow,
    utcnow,
)
from annotator.core.storage.relation_marks import rejection_marks, relation_marks

DEFAULT_GOLD = "gold"
"""The annotator made the gold layer (review_commands.MarkGoldCommand) when a project has none."""
OVERVIEW_BATCH = 200


class Review(Part):
    """Reviewer decisions and the candidates of documents to adjudicate; the gold layer's name
    comes from the annotators part."""

    def __init__(self, store: Store, annotators: Annotators) -> None:
        super().__init__(store)
        self._annotators = annotators

    def rejections(self, document_id: int) -> set[Key]:
        """(label, start, end) the reviewer kept out of gold in the document."""
        return self._rejections_of([document_id])[document_id]

    def set_rejected(
        self, document_id: int, label: str, start: int, end: int, rejected: bool
    ) -> Changes:
        """Record (or withdraw) the reviewer's rejection of a label on these offsets."""
        with self._write() as s:
            repo.document_row(s, document_id)
            label_id = repo.label_row(s, label).id
            key = (document_id, label_id, start, end)
            row = s.get(ReviewRejectionRow, key)
            if rejected and row is None:
                s.add(
                    ReviewRejectionRow(
                        document_id=document_id,
                        label_id=label_id,
                        start=start,
                        end=end,
                        decided_at=utcnow(),
                    )
                )
            elif not rejected and row is not None:
                s.delete(row)
        return Changes(documents=frozenset({document_id}))

    def relation_rejections(self, document_id: int) -> set[RelationKey]:
        """Relation candidates (type, head, tail) the reviewer kept out of gold."""
        return self._relation_rejections_of([document_id])[document_id]

    def set_relation_rejected(self, document_id: int, key: RelationKey, rejected: bool) -> Changes:
        """Record (or withdraw) the reviewer's rejection of a relation candidate."""
        type_name, (head_label, head_start, head_end), (tail_label, tail_start, tail_end) = key
        with self._write() as s:
            repo.document_row(s, document_id)
            type_id = s.scalar(select(RelationTypeRow.id).where(RelationTypeRow.name == type_name))
            if type_id is None:
                raise NotFoundError(f"no relation type named {type_name!r}")
            row_key = (
                document_id,
                type_id,
                repo.label_row(s, head_label).id,
                head_start,
                head_end,
                repo.label_row(s, tail_label).id,
                tail_start,
                tail_end,
            )
            row = s.get(ReviewRelationRejectionRow, row_key)
            if rejected and row is None:
                names = [column.key for column in ReviewRelationRejectionRow.__table__.primary_key]
                s.add(ReviewRelationRejectionRow(**dict(zip(names, row_key, strict=True))))
            elif not rejected and row is not None:
                s.delete(row)
        return Changes(documents=frozenset({document_id}))

    def review_documents(self, annotators: Sequence[str]) -> list[int]:
        """Documents every compared annotator has worked on (a span or a status past todo)."""
        with self._read() as s:
            ids = _annotator_ids(s, annotators, self._annotators.gold_annotator())
            touched = select(SpanRow.document_id, SpanRow.annotator_id).where(
                SpanRow.annotator_id.in_(ids)
            )
            stated = select(DocumentStateRow.document_id, DocumentStateRow.annotator_id).where(
                DocumentStateRow.annotator_id.in_(ids),
                DocumentStateRow.status != Status.TODO.value,
            )
            by_doc: dict[int, set[int]] = {}
            for query in (touched.distinct(), stated):
                for doc_id, annotator_id in s.execute(query):
                    by_doc.setdefault(doc_id, set()).add(annotator_id)
        return sorted(doc for doc, who in by_doc.items() if len(who) == len(ids))

    def document_review(self, document_id: int, annotators: Sequence[str]) -> DocumentReview:
        """The candidates of one document for the compared annotators (see core.adjudication)."""
        return self.document_reviews([document_id], annotators)[document_id]

    def document_reviews(
        self, document_ids: Sequence[int], annotators: Sequence[str]
    ) -> dict[int, DocumentReview]:
        """`document_review` for many documents: plain Core queries per 500 documents."""
        gold = self._annotators.gold_annotator()
        marks: dict[int, list[tuple[str, str, int, int]]] = {doc_id: [] for doc_id in document_ids}
        links: dict[int, list[RelationMark]] = {doc_id: [] for doc_id in document_ids}
        with self._read() as s:
            _annotator_ids(s, annotators, gold)
            names = [*annotators, *([gold] if gold else [])]
            directed = dict(s.execute(select(RelationTypeRow.name, RelationTypeRow.directed)).all())
            conn = s.connection()
            ids = list(marks)
            for first in range(0, len(ids), 500):
                chunk = ids[first : first + 500]
                query = repo.span_marks().where(
                    SpanRow.document_id.in_(chunk), AnnotatorRow.name.in_(names)
                )
                for doc_id, *mark in conn.execute(query):
                    marks[doc_id].append(tuple(mark))
                query = relation_marks().where(
                    RelationRow.document_id.in_(chunk), AnnotatorRow.name.in_(names)
                )
                for doc_id, _, who, kind, hl, hs, he, tl, ts, te in conn.execute(query):
                    key = relation_key(kind, (hl, hs, he), (tl, ts, te), directed=directed[kind])
                    links[doc_id].append((who, key))
        rejected = self._rejections_of(ids)
        rejected_links = self._relation_rejections_of(ids)
        return {
            doc_id: review_document(
                doc_id,
                found,
                annotators,
                [(lab, a, b) for who, lab, a, b in found if who == gold],
                rejected[doc_id],
                links[doc_id],
                [key for who, key in links[doc_id] if who == gold],
                rejected_links[doc_id],
            )
            for doc_id, found in marks.items()
        }

    def _rejections_of(self, document_ids: Sequence[int]) -> dict[int, set[Key]]:
        found: dict[int, set[Key]] = {doc_id: set() for doc_id in document_ids}
        ids = list(found)
        with self._read() as s:
            for first in range(0, len(ids), 500):
                query = repo.labelled_marks(ReviewRejectionRow).where(
                    ReviewRejectionRow.document_id.in_(ids[first : first + 500])
                )
                for doc_id, label, start, end in s.execute(query):
                    found[doc_id].add((label, start, end))
        return found

    def _relation_rejections_of(self, document_ids: Sequence[int]) -> dict[int, set[RelationKey]]:
        found: dict[int, set[RelationKey]] = {doc_id: set() for doc_id in document_ids}
        ids = list(found)
        document_id = ReviewRelationRejectionRow.document_id
        with self._read() as s:
            for first in range(0, len(ids), 500):
                chunk = rejection_marks().where(document_id.in_(ids[first : first + 500]))
                for doc_id, kind, directed, hl, hs, he, tl, ts, te, _ in s.execute(chunk):
                    key = relation_key(kind, (hl, hs, he), (tl, ts, te), directed=directed)
                    found[doc_id].add(key)
        return found


def review_overview(
    location: str, annotators: Sequence[str], *, progress: Progress
) -> dict[int, DocumentReview]:
    """Every shared document's review (a worker's task body: it opens its own store)."""
    with Store(location) as store:
        review = Review(store, Annotators(store))
        ids = review.review_documents(annotators)
        found: dict[int, DocumentReview] = {}
        for first in range(0, len(ids), OVERVIEW_BATCH):
            check_cancelled(progress)
            progress.report(first, len(ids))
            found.update(review.document_reviews(ids[first : first + OVERVIEW_BATCH], annotators))
        progress.report(len(ids), len(ids))
        return found
        return found


def _annotator_ids(s: Session, annotators: Sequence[str], gold: str | None) -> list[int]:
    """Ids of the compared annotators: at least two distinct known ones, none of them gold."""
    names = list(dict.fromkeys(annotators))
    if len(names) < 2:
        raise ConflictError("pick at least two annotators to compare")
    if gold in names:
        raise ConflictError(f"{gold!r} is the gold layer; compare the other annotators")
    known = repo.annotator_ids(s)
    missing = [name for name in names if name not in known]
    if missing:
        raise NotFoundError(f"no annotator named {', '.join(map(repr, missing))}")
    return [known[name] for name in names]
