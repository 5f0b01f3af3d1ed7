"""Bulk import: documents with their spans, states and models' suggestions, in one transaction,
with Core inserts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import (
    ImportFailed,
    InputError,
    UnknownLabel,
    UnknownLabels,
    UnknownRelationTypes,
)
from annotator.core.import_relations import check_relations, relation_types_for, store_relations
from annotator.core.lookalike import LookalikeIndex
from annotator.core.model import (
    ImportedDocument,
    ImportedSpan,
    NewSuggestion,
    RelationType,
    SpanSource,
    Status,
)
from annotator.core.near_duplicates import NearDuplicate, NearDuplicates
from annotator.core.progress import Progress, check_cancelled
from annotator.core.storage import repo
from annotator.core.storage.bulk import insert_rows
from annotator.core.storage.orm import (
    AnnotatorRow,
    DocumentRow,
    DocumentStateRow,
    DocumentTokensRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    utcnow,
)
from annotator.core.storage.search import index_documents
from annotator.core.storage.suggestion_rows import add_pending, suggestion_places
from annotator.core.text import NORMALIZATION, canonical_text, text_sha256, whitespace_key
from annotator.core.tokenisation import encode_tokens

IMPORT_ANNOTATOR = "import"
"""The layer that receives spans whose file names no annotator."""
SpanKey = tuple[int, int, int, int, int]
"""(document id, annotator id, label id, start, end): repo.SPAN_IDENTITY, a span's unique key."""
T = TypeVar("T")
_CHUNK = 500
_BATCH = 2_000
"""Documents stored at a time: measured, 500 to 5,000 take the same time."""
_BATCH_CHARACTERS = 16_000_000
"""Characters of text stored at a time at most (a batch of long documents is smaller)."""
_normal_name = lru_cache(maxsize=4096)(labelrules.normal_name)
"""labelrules.normal_name, remembered: an import names the same few labels and annotators for
every span (180,000 calls for 10,000 articles; profiled, 6 % of the import)."""
_DOCUMENT_COLUMNS = ("title", "source", "text", "sha256", "text_key", "normalization", "meta")
_SPAN_COLUMNS = ("document_id", "annotator_id", "label_id", "start", "end")


@dataclass
class ImportReport:
    """What an import stored, and what it found already there."""

    document_ids: list[int] = field(default_factory=list)
    documents_added: int = 0
    documents_existing: int = 0
    spans_added: int = 0
    spans_existing: int = 0
    suggestions_added: int = 0
    suggestions_existing: int = 0
    """Pending suggestions the files carry that were already here, or that someone decided."""
    labels_added: list[str] = field(default_factory=list)
    labels_respelled: dict[str, str] = field(default_factory=dict)
    """Labels the spans spell otherwise than the project (`actor`), by the project's name."""
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    """New documents whose text another has apart from whitespace (they are stored too)."""
    relations_added: int = 0
    relations_existing: int = 0
    relation_types_added: list[str] = field(default_factory=list)


def import_documents(
    s: Session,
    documents: Iterable[ImportedDocument],
    annotator: str | None,
    progress: Progress,
    *,
    add_labels: bool = False,
) -> ImportReport:
    """Store documents (deduplicated by text hash), their spans, the relations between them
    and their models' suggestions (pending, as core.storage.suggestion_rows adds them);
    idempotent on re-import.

    The documents are stored a batch at a time as they come (an iterator is read once, so
    memory stays flat in the corpus size); what needs all of them is checked batch by batch
    and refused at the end. A span's or suggestion's label is the project's label of that name
    apart from case; spans and suggestions carrying labels the project does not have refuse the
    import (UnknownLabels, naming them all) unless `add_labels`, which adds them; so do relations
    of types the project lacks (UnknownRelationTypes; core.import_relations). Runs inside the
    caller's transaction: an error or a cancel leaves the database unchanged. Progress is
    reported when `documents` has a length (else the caller reports it).
    """
    total = len(documents) if isinstance(documents, Sized) else None
    run = _Import(s, annotator, add_labels)
    done = 0
    for batch in _batches(documents):
        check_cancelled(progress)
        if total is not None:
            progress.report(done, total)
        run.add(batch)
        done += len(batch)
    check_cancelled(progress)
    run.finish()
    if total is not None:
        progress.report(total, total)
    return run.report


def _batches(documents: Iterable[ImportedDocument]) -> Iterator[list[ImportedDocument]]:
    """Consecutive batches of at most _BATCH documents and about _BATCH_CHARACTERS of text."""
    batch: list[ImportedDocument] = []
    characters = 0
    for doc in documents:
        batch.append(doc)
        characters += len(doc.text)
        if len(batch) >= _BATCH or characters >= _BATCH_CHARACTERS:
            yield batch
            batch, characters = [], 0
    if batch:
        yield batch


class _Import:
    """One import's state across its batches: what it stored (ids by text hash), the labels and
    annotators it resolved, the problems found so far. After the first problem nothing more
    is stored, but every batch is still checked, so the refusal names every problem."""

    def __init__(self, s: Session, annotator: str | None, add_labels: bool) -> None:
        self.s, self.annotator, self.add_labels = s, annotator, add_labels
        self.report = ImportReport()
        self.ids: dict[str, int] = {}
        """Document ids by text hash, of every document met."""
        self.met: dict[int, None] = {}
        """The ids of the documents met, in the order first met."""
        self.added: set[int] = set()
        """The documents this import added."""
        self.fresh: set[int] = set()
        """The documents the batch being stored added (they have no spans yet)."""
        self.accounted: set[SpanKey] = set()
        """Spans of documents stored before the import that it found or added (each is
        counted once, however often the input repeats it)."""
        self.labels = _Labels(s, add_labels, self.report)
        self.annotators = repo.annotator_ids(s)
        self.near = NearDuplicates()
        self.errors: list[InputError] = []
        self.unknown_types: dict[str, UnknownLabel] = {}
        """Relation types the project lacks (without add_labels), by casefolded name."""

    def add(self, documents: list[ImportedDocument]) -> None:
        """Check one batch, then store it unless a problem was found (in it or before)."""
        texts = [_stored_text(doc) for doc in documents]
        self.errors += span_offset_errors(documents)
        labels, problems = self.labels.resolve(documents)
        self.errors += problems
        kinds = self._relation_types(documents, labels)
        if self.errors or self.unknown_types or (self.labels.unknown and not self.add_labels):
            return
        hashes = [text_sha256(text) for text in texts]
        ids = self._store_documents(documents, texts, hashes)
        if self._store_annotators(documents):
            return
        self._store_tokens(documents, ids)
        self._store_spans(documents, ids, labels)
        added, existing = store_relations(
            self.s, list(zip(documents, ids, strict=True)), kinds, labels, self._layer_of
        )
        self.report.relations_added += added
        self.report.relations_existing += existing
        _store_suggestions(self.s, documents, ids, labels, self.report)
        self._store_states(documents, ids)

    def finish(self) -> None:
        """Refuse the import if any batch had a problem: ImportFailed naming every bad span
        and name, else UnknownLabels naming every label the project lacks."""
        if self.errors:
            raise ImportFailed(self.errors)
        if self.labels.unknown and not self.add_labels:
            raise UnknownLabels(list(self.labels.unknown.values()))
        if self.unknown_types:
            raise UnknownRelationTypes(list(self.unknown_types.values()))
        self.report.document_ids = list(self.met)

    def _layer_of(self, doc: ImportedDocument, span: ImportedSpan) -> str:
        return _layer(doc, span.annotator, self.annotator)

    def _relation_types(
        self, documents: list[ImportedDocument], labels: dict[str, int]
    ) -> dict[str, RelationType]:
        """The project's relation types for the batch's relations (added with add_labels),
        each relation checked against its document's spans; problems are recorded."""
        if not any(doc.relations for doc in documents):
            return {}
        try:
            kinds = relation_types_for(
                self.s, documents, self.report.relation_types_added, add_types=self.add_labels
            )
        except UnknownRelationTypes as refused:
            for kind in refused.labels:
                first = self.unknown_types.get(kind.name.casefold())
                self.unknown_types[kind.name.casefold()] = (
                    replace(first, spans=first.spans + kind.spans) if first else kind
                )
            return {}
        if any(_normal_name(span.label) not in labels for doc in documents for span in doc.spans):
            return kinds  # unknown labels: refused at the end, relations need not be checked
        names = {label_id: name for name, label_id in repo.label_ids(self.s).items()}
        spelled = {name: names[label_id] for name, label_id in labels.items()}
        try:
            check_relations(documents, kinds, spelled, self._layer_of)
        except ImportFailed as failed:
            self.errors += failed.errors
        return kinds

    def _store_documents(
        self, documents: list[ImportedDocument], texts: list[str], hashes: list[str]
    ) -> list[int]:
        """Insert the batch's new documents (and index them for search); every document's id."""
        unseen = [sha for sha in hashes if sha not in self.ids]
        stored = existing_documents(self.s, unseen)
        self.ids.update(stored)
        self.report.documents_existing += len(stored)
        new_rows: dict[str, tuple[Any, ...]] = {}
        for doc, text, sha in zip(documents, texts, hashes, strict=True):
            if sha not in self.ids and sha not in new_rows:
                key = whitespace_key(text)
                normalization = "" if doc.verbatim else NORMALIZATION
                new_rows[sha] = (doc.title, stated_source(doc), text, sha, key, normalization)
                new_rows[sha] += (doc.meta,)
        new_keys = {sha: row[4] for sha, row in new_rows.items()}
        unmet = [key for key in new_keys.values() if key not in self.near]
        stored_keys = documents_by_text_key(self.s, unmet)
        self.report.near_duplicates += self.near.add(documents, hashes, new_keys, stored_keys)
        conn = self.s.connection()
        inserted = insert_rows(
            conn,
            DocumentRow.__table__,
            _DOCUMENT_COLUMNS,
            list(new_rows.values()),
            {"created_at": utcnow()},
            returning=("id", "sha256"),
        )
        added = sorted(doc_id for doc_id, _ in inserted)
        index_documents(conn, added)
        self.ids.update((sha, doc_id) for doc_id, sha in inserted)
        self.fresh = set(added)
        self.added |= self.fresh
        self.report.documents_added += len(added)
        ids = [self.ids[sha] for sha in hashes]
        self.met.update(dict.fromkeys(ids))
        return ids

    def _store_annotators(self, documents: list[ImportedDocument]) -> bool:
        """Add the annotators the batch's spans and statuses name that the project lacks;
        True when a name was refused (recorded in `errors`)."""
        first_use: dict[str, ImportedDocument] = {}
        for doc in documents:
            for span in doc.spans:
                first_use.setdefault(_layer(doc, span.annotator, self.annotator), doc)
            if doc.status:
                first_use.setdefault(_layer(doc, None, self.annotator), doc)
        problems = _add_annotators(self.s, first_use, self.annotators)
        self.errors += problems
        return bool(problems)

    def _store_tokens(self, documents: list[ImportedDocument], ids: list[int]) -> None:
        """Store the file's own tokens of each document this batch added (core.tokenisation)."""
        rows: dict[int, dict[str, Any]] = {}
        for doc, doc_id in zip(documents, ids, strict=True):
            if doc.tokens is not None and doc_id in self.fresh and doc_id not in rows:
                tokens, sentence_starts = encode_tokens(doc.tokens)
                rows[doc_id] = {
                    "document_id": doc_id,
                    "tokens": tokens,
                    "sentence_starts": sentence_starts,
                }
        for chunk in chunks(list(rows.values()), _CHUNK):
            self.s.execute(insert(DocumentTokensRow), chunk)

    def _store_spans(
        self, documents: list[ImportedDocument], ids: list[int], labels: dict[str, int]
    ) -> None:
        """Insert the batch's spans that are not stored yet (a span is its SpanKey)."""
        keys = {
            (
                doc_id,
                self.annotators[_layer(doc, span.annotator, self.annotator)],
                labels[_normal_name(span.label)],
                span.start,
                span.end,
            )
            for doc, doc_id in zip(documents, ids, strict=True)
            for span in doc.spans
        }
        if not keys:
            return
        present = _existing_span_keys(self.s, {key[0] for key in keys} - self.fresh)
        new = sorted(keys - present)
        now = utcnow()
        insert_rows(
            self.s.connection(),
            SpanRow.__table__,
            _SPAN_COLUMNS,
            new,
            {"source": SpanSource.IMPORT.value, "note": "", "created_at": now, "updated_at": now},
        )
        self.report.spans_added += len(new)
        found = {key for key in keys & present if key[0] not in self.added} - self.accounted
        self.report.spans_existing += len(found)
        self.accounted |= found | {key for key in new if key[0] not in self.added}

    def _store_states(self, documents: list[ImportedDocument], ids: list[int]) -> None:
        """Record the statuses the file states (the latest line wins for the same document and
        layer)."""
        keyed = {
            (doc_id, self.annotators[_layer(doc, None, self.annotator)]): Status(doc.status)
            for doc, doc_id in zip(documents, ids, strict=True)
            if doc.status
        }
        if not keyed:
            return
        pair = tuple_(DocumentStateRow.document_id, DocumentStateRow.annotator_id)
        present: set[tuple[int, int]] = set()
        for chunk in chunks(list(keyed), _CHUNK):
            query = select(DocumentStateRow.document_id, DocumentStateRow.annotator_id)
            present.update((d, a) for d, a in self.s.execute(query.where(pair.in_(chunk))))
        now = utcnow()
        for key in present:
            row = self.s.get(DocumentStateRow, key)
            assert row is not None, "read above in this transaction"
            row.status, row.updated_at = keyed[key].value, now
        rows = [
            {"document_id": d, "annotator_id": a, "status": st.value, "updated_at": now}
            for (d, a), st in keyed.items()
            if (d, a) not in present
        ]
        if rows:
            self.s.execute(insert(DocumentStateRow), rows)


def stated_source(doc: ImportedDocument) -> str:
    """The source stored for a document: the one its file names (meta["source"]: a
    publication, a site), else the file it came from."""
    named = doc.meta.get("source")
    return named.strip() if isinstance(named, str) and named.strip() else doc.source


def _stored_text(doc: ImportedDocument) -> str:
    """The text as stored: verbatim for formats with offsets, else canonical (LF, NFC)."""
    if doc.verbatim:
        return doc.text
    if doc.spans or doc.suggestions:
        raise ValueError("a canonicalised document cannot carry offsets; mark it verbatim")
    return canonical_text(doc.text)


def existing_documents(s: Session, hashes: list[str]) -> dict[str, int]:
    """The ids of the documents already stored, by text hash (shared with merge)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(hashes)), _CHUNK):
        rows = s.execute(
            select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
        )
        found.update((sha, doc_id) for sha, doc_id in rows)
    return found


def documents_by_text_key(s: Session, keys: list[str]) -> dict[str, tuple[int, str]]:
    """(id, title) of the first stored document with each of these text keys."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in chunks(sorted(set(keys)), _CHUNK):
        rows = s.execute(
            select(DocumentRow.text_key, DocumentRow.id, DocumentRow.title)
            .where(DocumentRow.text_key.in_(chunk))
            .order_by(DocumentRow.id)
        )
        for key, doc_id, title in rows:
            found.setdefault(str(key), (doc_id, title))
    return found


def _layer(doc: ImportedDocument, span_annotator: str | None, default: str | None) -> str:
    """The annotator a span or status is recorded under, in `normal_name` form."""
    return _normal_name(span_annotator or doc.annotator or default or IMPORT_ANNOTATOR)


def _store_suggestions(
    s: Session,
    documents: Sequence[ImportedDocument],
    ids: list[int],
    labels: dict[str, int],
    report: ImportReport,
) -> None:
    """Add the suggestions the files carry as pending ones of their models."""
    by_model: dict[str, dict[int, list[NewSuggestion]]] = {}
    lengths: dict[int, int] = {}
    for doc, doc_id in zip(documents, ids, strict=True):
        for item in doc.suggestions:
            lengths[doc_id] = len(doc.text)
            label = _normal_name(item.label)
            new = NewSuggestion(item.start, item.end, label, item.score)
            by_model.setdefault(item.model, {}).setdefault(doc_id, []).append(new)
    if not by_model:
        return
    conn = s.connection()
    decided = suggestion_places(conn, list(lengths), ~repo.undecided())
    for model, batch in sorted(by_model.items()):
        taken = decided | suggestion_places(conn, list(batch), SuggestionRow.model == model)
        places = {(d, labels[x.label], x.start, x.end) for d, items in batch.items() for x in items}
        added = add_pending(conn, model, batch, lengths, labels, taken)
        report.suggestions_added += added
        report.suggestions_existing += len(places) - added


def check_span_offsets(documents: Iterable[Any], source: str | None = None) -> None:
    """Every span (and a merge document's suggestion and review rejection) must lie inside its
    text (0 <= start < end <= len(text)), else ImportFailed naming each one: by line where the
    input has lines, by title otherwise (shared with merge)."""
    errors = span_offset_errors(documents, source)
    if errors:
        raise ImportFailed(errors)


def span_offset_errors(documents: Iterable[Any], source: str | None = None) -> list[InputError]:
    """One error for each span, suggestion or review rejection outside its text (see
    check_span_offsets)."""
    return [
        InputError(
            source or doc.source or "input",
            doc.line,
            f"{'' if doc.line or not doc.title else f'document {doc.title!r}: '}"
            f"{kind} [{sp.start}, {sp.end}) does not fit its text of {len(doc.text)} characters",
        )
        for doc in documents
        for kind, marks in (
            ("span", doc.spans),
            ("suggestion", getattr(doc, "suggestions", ())),
            ("review rejection", getattr(doc, "rejections", ())),
        )
        for sp in marks
        if not 0 <= sp.start < sp.end <= len(doc.text)
    ]


class _Labels:
    """The label ids of the names an import's spans and suggestions give (UnknownLabel counts
    both as spans), each matched to the project's label without regard to case. Names the
    project lacks (one new label per name apart from case, spelled as first met) are added with
    palette colours when `add_labels`; else they are gathered in `unknown`."""

    def __init__(self, s: Session, add_labels: bool, report: ImportReport) -> None:
        self.s, self.add_labels, self.report = s, add_labels, report
        self.known = repo.label_ids(s)
        self.spelled: dict[str, str | None] = {}  # name in a file -> the project's spelling
        self.unknown: dict[str, UnknownLabel] = {}  # by casefolded name

    def resolve(
        self, documents: Sequence[ImportedDocument]
    ) -> tuple[dict[str, int], list[InputError]]:
        """Label ids by the names these documents give (those the project has, or got), and
        an error for each new name refused (breaking the rules, or looking like another's)."""
        errors: list[InputError] = []
        new: list[UnknownLabel] = []
        met = [*self.known, *(label.name for label in self.unknown.values())]
        for doc in documents:
            for label in [span.label for span in doc.spans] + [x.label for x in doc.suggestions]:
                name = _normal_name(label)
                if name not in self.spelled:
                    self.spelled[name] = labelrules.spelling_in(name, self.known)
                if self.spelled[name] is None:
                    first = self.unknown.get(name.casefold())
                    self.unknown[name.casefold()] = (
                        replace(first, spans=first.spans + 1)
                        if first
                        else UnknownLabel(name, 1, doc.source or "input", doc.line)
                    )
                    if first is None:
                        new.append(self.unknown[name.casefold()])
        if new:
            errors = _new_label_errors(dict.fromkeys(met), new)
            if self.add_labels and not errors:
                _add_labels(self.s, [label.name for label in new], self.known, self.report)
        ids = {}
        for name, spelling in self.spelled.items():
            if spelling is None:
                spelling = self.unknown[name.casefold()].name
            elif spelling != name:
                self.report.labels_respelled[name] = spelling
            if spelling in self.known:
                ids[name] = self.known[spelling]
        return ids, errors


def _new_label_errors(known: Iterable[str], new: list[UnknownLabel]) -> list[InputError]:
    """An error for each new label whose name breaks the rules or looks like another label's
    (or an earlier new one's)."""
    index = LookalikeIndex(known)
    errors = []
    for label in new:
        problem = labelrules.name_problem(label.name) or labelrules.lookalike_problem(
            "label", label.name, index
        )
        if problem:
            errors.append(InputError(label.path, label.line, problem))
        index.add(label.name)
    return errors


def _add_labels(s: Session, names: list[str], known: dict[str, int], report: ImportReport) -> None:
    """Add labels after the project's last, with the next palette colours; record their ids."""
    colors = list(s.scalars(select(LabelRow.color)))
    position = s.scalar(select(func.max(LabelRow.position))) or 0
    for name in names:
        position += 1
        color = labelrules.next_color(colors)
        colors.append(color)
        row = LabelRow(
            name=name, color=color, hotkey=None, description="", kind="span", position=position
        )
        s.add(row)
        s.flush()
        known[name] = row.id
        report.labels_added.append(name)


def _add_annotators(
    s: Session, first_use: dict[str, ImportedDocument], ids: dict[str, int]
) -> list[InputError]:
    """Add the annotators named in `first_use` that are not in `ids` (the project's annotator
    ids by name, updated); an error for each name refused, and then none is added."""
    missing = sorted(first_use.keys() - ids.keys())
    index, errors = LookalikeIndex(ids), []
    for name in missing:
        problem = labelrules.annotator_problem(name) or labelrules.lookalike_problem(
            "annotator", name, index
        )
        if problem:
            doc = first_use[name]
            errors.append(InputError(doc.source or "input", doc.line, problem))
        index.add(name)
    if missing and not errors:
        s.execute(insert(AnnotatorRow), [{"name": n, "is_gold": False} for n in missing])
        ids.update(repo.annotator_ids(s))
    return errors


def _existing_span_keys(s: Session, document_ids: set[int]) -> set[SpanKey]:
    found: set[SpanKey] = set()
    for chunk in chunks(sorted(document_ids), _CHUNK):
        rows = s.execute(select(*repo.SPAN_IDENTITY).where(SpanRow.document_id.in_(chunk)))
        found.update((d, a, lab, st, en) for d, a, lab, st, en in rows)
    return found


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most `size` items (bounded IN lists and insert batches)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
