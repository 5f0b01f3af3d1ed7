"""Bulk import: documents with their spans, states and models' suggestions, in one transaction,
with Core inserts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ImportFailed, InputError, UnknownLabel, UnknownLabels
from annotator.core.import_relations import check_relations, relation_types_for, store_relations
from annotator.core.lookalike import LookalikeIndex
from annotator.core.model import ImportedDocument, ImportedSpan, NewSuggestion, SpanSource, Status
from annotator.core.near_duplicates import NearDuplicate, near_duplicates
from annotator.core.progress import Progress, check_cancelled
from annotator.core.storage import repo
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
    documents: Sequence[ImportedDocument],
    annotator: str | None,
    progress: Progress,
    *,
    add_labels: bool = False,
) -> ImportReport:
    """Store documents (deduplicated by text hash), their spans, the relations between them
    and their models' suggestions (pending, as core.storage.suggestion_rows adds them);
    idempotent on re-import.

    A span's or suggestion's label is the project's label of that name apart from case; spans
    and suggestions carrying labels the project does not have refuse the import (UnknownLabels)
    unless `add_labels`, which adds them; so do relations of types the project lacks
    (UnknownRelationTypes; core.import_relations). Runs inside the caller's transaction: an
    error or a cancel leaves the database unchanged.
    """
    report = ImportReport()
    texts = [_stored_text(doc) for doc in documents]
    hashes = [text_sha256(text) for text in texts]
    check_span_offsets(documents)
    labels = _ensure_labels(s, documents, report, add_labels=add_labels)
    kinds = relation_types_for(s, documents, report.relation_types_added, add_types=add_labels)

    def layer_of(doc: ImportedDocument, span: ImportedSpan) -> str:
        return _layer(doc, span.annotator, annotator)

    if kinds:
        names = {label_id: name for name, label_id in repo.label_ids(s).items()}
        spelled = {name: names[label_id] for name, label_id in labels.items()}
        check_relations(documents, kinds, spelled, layer_of)
    total = len(documents)
    progress.report(0, total)
    existing = existing_documents(s, hashes)
    new_rows: dict[str, dict[str, Any]] = {}
    for doc, text, sha in zip(documents, texts, hashes, strict=True):
        if sha not in existing and sha not in new_rows:
            new_rows[sha] = {
                "title": doc.title,
                "source": stated_source(doc),
                "text": text,
                "sha256": sha,
                "text_key": whitespace_key(text),
                "normalization": "" if doc.verbatim else NORMALIZATION,
                "meta": doc.meta,
                "created_at": utcnow(),
            }
    stored_keys = documents_by_text_key(s, [row["text_key"] for row in new_rows.values()])
    report.near_duplicates = near_duplicates(documents, hashes, new_rows, stored_keys)
    ids = dict(existing)
    done = 0
    for chunk in chunks(list(new_rows.values()), _CHUNK):
        check_cancelled(progress)
        result = s.execute(
            insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True), chunk
        )
        added = result.scalars().all()
        index_documents(s.connection(), added)
        ids.update(zip((row["sha256"] for row in chunk), added, strict=True))
        done += len(chunk)
        progress.report(done, total)
    report.document_ids = list(dict.fromkeys(ids[sha] for sha in hashes))
    report.documents_added = len(new_rows)
    report.documents_existing = len(set(hashes)) - len(new_rows)
    _store_tokens(s, documents, hashes, {sha: ids[sha] for sha in new_rows})
    _store_spans(s, documents, hashes, ids, labels, annotator, report)
    pairs = [(doc, ids[sha]) for doc, sha in zip(documents, hashes, strict=True)]
    report.relations_added, report.relations_existing = store_relations(
        s, pairs, kinds, labels, layer_of
    )
    _store_suggestions(s, documents, hashes, ids, labels, report)
    _store_states(s, documents, hashes, ids, annotator)
    check_cancelled(progress)
    progress.report(total, total)
    return report


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


def _store_tokens(
    s: Session, documents: Sequence[ImportedDocument], hashes: list[str], added: dict[str, int]
) -> None:
    """Store the file's own tokens of each document this import added (core.tokenisation)."""
    rows: dict[int, dict[str, Any]] = {}
    for doc, sha in zip(documents, hashes, strict=True):
        if doc.tokens is not None and sha in added and added[sha] not in rows:
            tokens, sentence_starts = encode_tokens(doc.tokens)
            rows[added[sha]] = {
                "document_id": added[sha],
                "tokens": tokens,
                "sentence_starts": sentence_starts,
            }
    for chunk in chunks(list(rows.values()), _CHUNK):
        s.execute(insert(DocumentTokensRow), chunk)


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
    return labelrules.normal_name(span_annotator or doc.annotator or default or IMPORT_ANNOTATOR)


def _store_spans(
    s: Session,
    documents: Sequence[ImportedDocument],
    hashes: list[str],
    ids: dict[str, int],
    labels: dict[str, int],
    annotator: str | None,
    report: ImportReport,
) -> None:
    wanted = {
        (
            ids[sha],
            _layer(doc, span.annotator, annotator),
            labelrules.normal_name(span.label),
            span.start,
            span.end,
        ): doc
        for doc, sha in zip(documents, hashes, strict=True)
        for span in doc.spans
    }
    if not wanted:
        return
    annotators = _ensure_annotators(s, {key[1]: doc for key, doc in wanted.items()})
    keys = {(d, annotators[a], labels[lab], st, en) for d, a, lab, st, en in wanted}
    present = _existing_span_keys(s, {key[0] for key in keys})
    now = utcnow()
    rows = [
        {
            "document_id": d,
            "annotator_id": a,
            "label_id": lab,
            "start": st,
            "end": en,
            "source": SpanSource.IMPORT.value,
            "note": "",
            "created_at": now,
            "updated_at": now,
        }
        for d, a, lab, st, en in sorted(keys - present)
    ]
    for chunk in chunks(rows, 5000):
        s.execute(insert(SpanRow), chunk)
    report.spans_added = len(rows)
    report.spans_existing = len(keys & present)


def _store_suggestions(
    s: Session,
    documents: Sequence[ImportedDocument],
    hashes: list[str],
    ids: dict[str, int],
    labels: dict[str, int],
    report: ImportReport,
) -> None:
    """Add the suggestions the files carry as pending ones of their models."""
    by_model: dict[str, dict[int, list[NewSuggestion]]] = {}
    lengths: dict[int, int] = {}
    for doc, sha in zip(documents, hashes, strict=True):
        for item in doc.suggestions:
            lengths[ids[sha]] = len(doc.text)
            label = labelrules.normal_name(item.label)
            new = NewSuggestion(item.start, item.end, label, item.score)
            by_model.setdefault(item.model, {}).setdefault(ids[sha], []).append(new)
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
    errors = [
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
    if errors:
        raise ImportFailed(errors)


def _ensure_labels(
    s: Session, documents: Sequence[ImportedDocument], report: ImportReport, *, add_labels: bool
) -> dict[str, int]:
    """Label ids by the names the spans and suggestions give (UnknownLabel counts both as
    spans), each matched to the project's label without regard to case. Names the project lacks
    (one new label per name apart from case, spelled as first met) are added with palette
    colours when `add_labels`; else UnknownLabels names them all."""
    known = repo.label_ids(s)
    spelled: dict[str, str | None] = {}  # name in a file -> the project's spelling, None if new
    unknown: dict[str, UnknownLabel] = {}  # by casefolded name
    for doc in documents:
        for label in [span.label for span in doc.spans] + [x.label for x in doc.suggestions]:
            name = labelrules.normal_name(label)
            if name not in spelled:
                spelled[name] = labelrules.spelling_in(name, known)
            if spelled[name] is None:
                first = unknown.get(name.casefold())
                unknown[name.casefold()] = (
                    replace(first, spans=first.spans + 1)
                    if first
                    else UnknownLabel(name, 1, doc.source or "input", doc.line)
                )
    if unknown:
        _check_new_labels(known, list(unknown.values()))
        if not add_labels:
            raise UnknownLabels(list(unknown.values()))
        _add_labels(s, [label.name for label in unknown.values()], known, report)
    ids = {}
    for name, spelling in spelled.items():
        if spelling is None:
            spelling = unknown[name.casefold()].name
        elif spelling != name:
            report.labels_respelled[name] = spelling
        ids[name] = known[spelling]
    return ids


def _check_new_labels(known: dict[str, int], new: list[UnknownLabel]) -> None:
    """ImportFailed if a new label's name breaks the rules or looks like another label's."""
    index = LookalikeIndex(known)
    errors = []
    for label in new:
        problem = labelrules.name_problem(label.name) or labelrules.lookalike_problem(
            "label", label.name, index
        )
        if problem:
            errors.append(InputError(label.path, label.line, problem))
        index.add(label.name)
    if errors:
        raise ImportFailed(errors)


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


def _ensure_annotators(s: Session, first_use: dict[str, ImportedDocument]) -> dict[str, int]:
    """Annotator ids by name, adding those the project does not know yet."""
    ids = repo.annotator_ids(s)
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
    if errors:
        raise ImportFailed(errors)
    if missing:
        s.execute(insert(AnnotatorRow), [{"name": n, "is_gold": False} for n in missing])
        ids = repo.annotator_ids(s)
    return ids


def _existing_span_keys(s: Session, document_ids: set[int]) -> set[SpanKey]:
    found: set[SpanKey] = set()
    for chunk in chunks(sorted(document_ids), _CHUNK):
        rows = s.execute(select(*repo.SPAN_IDENTITY).where(SpanRow.document_id.in_(chunk)))
        found.update((d, a, lab, st, en) for d, a, lab, st, en in rows)
    return found


def _store_states(
    s: Session,
    documents: Sequence[ImportedDocument],
    hashes: list[str],
    ids: dict[str, int],
    annotator: str | None,
) -> None:
    """Record statuses the file states (the latest line wins for the same document and layer)."""
    wanted = {
        (ids[sha], _layer(doc, None, annotator)): Status(doc.status)
        for doc, sha in zip(documents, hashes, strict=True)
        if doc.status
    }
    if not wanted:
        return
    first_use = {_layer(doc, None, annotator): doc for doc in documents if doc.status}
    annotators = _ensure_annotators(s, first_use)
    keyed = {(d, annotators[name]): status for (d, name), status in wanted.items()}
    pair = tuple_(DocumentStateRow.document_id, DocumentStateRow.annotator_id)
    present: set[tuple[int, int]] = set()
    for chunk in chunks(list(keyed), _CHUNK):
        query = select(DocumentStateRow.document_id, DocumentStateRow.annotator_id)
        present.update((d, a) for d, a in s.execute(query.where(pair.in_(chunk))))
    now = utcnow()
    for key in present:
        row = s.get(DocumentStateRow, key)
        assert row is not None, "read above in this transaction"
        row.status, row.updated_at = keyed[key].value, now
    rows = [
        {"document_id": d, "annotator_id": a, "status": st.value, "updated_at": now}
        for (d, a), st in keyed.items()
        if (d, a) not in present
    ]
    if rows:
        s.execute(insert(DocumentStateRow), rows)


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most `size` items (bounded IN lists and insert batches)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]
