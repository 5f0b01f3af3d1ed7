"""Project: one annotation project (a SQLite file), its queries and its mutations.

Used by the UI and the CLI alike. Every mutation is its own committed transaction and returns
`Changes` naming what it touched; only dataclasses leave this class. The work is done by one
part per concern (labels, annotators, documents, spans, statuses, suggestions, review,
settings, undo, bulk accept) over one Store (core.project.store); Project composes them and
offers each part's methods under the names callers know.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from annotator.core.errors import ProjectError
from annotator.core.project.annotators import Annotators
from annotator.core.project.bulk_accept import BulkAccept
from annotator.core.project.documents import Documents
from annotator.core.project.labels import Labels
from annotator.core.project.overview import Overview
from annotator.core.project.relation_suggestions import RelationSuggestions
from annotator.core.project.relations import Relations
from annotator.core.project.review import Review
from annotator.core.project.settings import Settings
from annotator.core.project.spans import Spans
from annotator.core.project.statuses import Statuses
from annotator.core.project.store import Store
from annotator.core.project.suggestions import Suggestions
from annotator.core.project.undo import Undo
from annotator.core.storage.engine import is_url


class Project:
    """An open project file (or server database)."""

    def __init__(self, target: str | Path, *, create: bool = False) -> None:
        store = Store(target, create=create)
        self.store = store
        self.location = store.location
        self.path = store.path
        self.backup = store.backup
        self.checkpoint = store.checkpoint
        self.save_copy = store.save_copy
        self.transaction = store.transaction
        self.snapshot = store.snapshot

        labels = Labels(store)
        self.labels = labels.labels
        self.label = labels.label
        self.label_usage = labels.label_usage
        self.add_labels = labels.add_labels
        self.add_label = labels.add_label
        self.update_label = labels.update_label
        self.remove_label = labels.remove_label

        annotators = Annotators(store)
        self.annotators = annotators.annotators
        self.gold_annotator = annotators.gold_annotator
        self.set_gold = annotators.set_gold
        self.unmark_gold = annotators.unmark_gold
        self.forget_unused_annotator = annotators.forget_unused_annotator

        documents = Documents(store)
        self.add_document = documents.add_document
        self.import_documents = documents.import_documents
        self.merge = documents.merge
        self.document = documents.document
        self.document_ids = documents.document_ids
        self.tokenisations = documents.tokenisations
        self.iter_documents = documents.iter_documents
        self.iter_texts = documents.iter_texts
        self.iter_summaries = documents.iter_summaries
        self.documents = documents.documents
        self.count_documents = documents.count_documents

        spans = Spans(store)
        self.spans = spans.spans
        self.span_layer = spans.span_layer
        self.span = spans.span
        self.spans_with_ids = spans.spans_with_ids
        self.spans_with_label = spans.spans_with_label
        self.spans_of_documents = spans.spans_of_documents
        self.add_span = spans.add_span
        self.remove_span = spans.remove_span
        self.restore_spans = spans.restore_spans
        self.relabel_span = spans.relabel_span
        self.resize_span = spans.resize_span
        self.set_span_note = spans.set_span_note

        relations = Relations(store)
        self.relation_types = relations.relation_types
        self.relation_type = relations.relation_type
        self.add_relation_types = relations.add_relation_types
        self.add_relation_type = relations.add_relation_type
        self.update_relation_type = relations.update_relation_type
        self.relation_type_usage = relations.relation_type_usage
        self.remove_relation_type = relations.remove_relation_type
        self.relations = relations.relations
        self.relations_of_documents = relations.relations_of_documents
        self.relations_with_ids = relations.relations_with_ids
        self.has_relations = relations.has_relations
        self.add_relation = relations.add_relation
        self.remove_relation = relations.remove_relation
        self.restore_relations = relations.restore_relations
        self.store_relations = relations.store_relations

        relation_suggestions = RelationSuggestions(store, relations)
        self.relation_suggestions = relation_suggestions.relation_suggestions
        self.relation_decisions = relation_suggestions.relation_decisions
        self.pending_relation_suggestions_of_documents = (
            relation_suggestions.pending_relation_suggestions_of_documents
        )
        self.has_pending_relation_suggestions = (
            relation_suggestions.has_pending_relation_suggestions
        )
        self.store_relation_suggestions = relation_suggestions.store_relation_suggestions
        self.accept_relation_suggestion = relation_suggestions.accept_relation_suggestion
        self.reject_relation_suggestion = relation_suggestions.reject_relation_suggestion
        self.replace_relation_suggestion_status = (
            relation_suggestions.replace_relation_suggestion_status
        )
        self.relation_suggester_quality = relation_suggestions.relation_suggester_quality

        statuses = Statuses(store)
        self.status = statuses.status
        self.states = statuses.states
        self.done_since = statuses.done_since
        self.set_status = statuses.set_status
        self.start_document = statuses.start_document

        suggestions = Suggestions(store, spans)
        self.suggestions = suggestions.suggestions
        self.suggestion = suggestions.suggestion
        self.suggestions_of_documents = suggestions.suggestions_of_documents
        self.taken_keys = suggestions.taken_keys
        self.documents_with_suggestions = suggestions.documents_with_suggestions
        self.store_suggestions = suggestions.store_suggestions
        self.store_suggestion_batch = suggestions.store_suggestion_batch
        self.accept_suggestion = suggestions.accept_suggestion
        self.reject_suggestion = suggestions.reject_suggestion
        self.set_suggestion_status = suggestions.set_suggestion_status
        self.suggester_quality = suggestions.suggester_quality
        self.decided_suggestions = suggestions.decided_suggestions
        self.human_phrases = suggestions.human_phrases
        self.marked_documents = suggestions.marked_documents

        bulk = BulkAccept(store)
        self.accept_suggestions = bulk.accept_suggestions
        self.unaccept_suggestions = bulk.unaccept_suggestions
        self.reaccept_suggestions = bulk.reaccept_suggestions

        review = Review(store, annotators)
        self.rejections = review.rejections
        self.set_rejected = review.set_rejected
        self.relation_rejections = review.relation_rejections
        self.set_relation_rejected = review.set_relation_rejected
        self.review_documents = review.review_documents
        self.document_review = review.document_review
        self.document_reviews = review.document_reviews

        settings = Settings(store)
        self.get_setting = settings.get_setting
        self.set_setting = settings.set_setting

        undo = Undo(store, spans, statuses, suggestions, relations)
        self.replace_span_values = undo.replace_span_values
        self.remove_unchanged_span = undo.remove_unchanged_span
        self.restore_removed_spans = undo.restore_removed_spans
        self.restore_removed_spans_with_relations = undo.restore_removed_spans_with_relations
        self.remove_unchanged_relation = undo.remove_unchanged_relation
        self.restore_removed_relations = undo.restore_removed_relations
        self.replace_status = undo.replace_status
        self.replace_suggestion_status = undo.replace_suggestion_status

        overview = Overview(store)
        self.change_marker = overview.change_marker
        self.document_markers = overview.document_markers
        self.stats = overview.stats

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        target: str | Path,
        labels: Sequence[Any] | None = None,
        relation_types: Sequence[Any] = (),
    ) -> Project:
        """Make a new project at head schema with the given label specs and relation type specs
        (core.schema; labels None: the default schema's labels and relation types)."""
        if not is_url(target) and Path(target).exists() and Path(target).stat().st_size > 0:
            raise ProjectError(f"{target}: a file already exists there; open it or pick a new name")
        project = cls(target, create=True)
        if is_url(target) and (project.labels() or project.count_documents()):
            project.close()
            raise ProjectError(f"{project.location}: already holds a project; open it instead")
        if not project.labels():
            if labels is None:
                from annotator.core.schema import default_full_schema

                schema = default_full_schema()
                labels, relation_types = schema.labels, schema.relations
            with project.transaction():
                project.add_labels(labels)
                project.add_relation_types(relation_types)
        return project

    @classmethod
    def open(cls, target: str | Path, *, create: bool = False) -> Project:
        """Open an existing project; with `create`, make it (default schema) when missing."""
        if create and not is_url(target) and not Path(target).exists():
            return cls.create(target)
        return cls(target)

    def close(self) -> None:
        """Release the database (all changes are already committed), after moving the WAL's
        content into the file so the .db alone holds the project (closing ends bulk work)."""
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for bulk paths in core and for tests)."""
        return self.store.engine

    @property
    def read_engine(self) -> Engine:
        """The engine for long read-only work (no write lock; one snapshot on a server)."""
        return self.store.read_engine
