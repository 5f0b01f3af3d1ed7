"""Typed table mappings: the schema of one project (docs/architecture.md, Storage)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __table__: ClassVar[Table]  # every row class names a table (DeclarativeBase: FromClause)


class LabelRow(Base):
    __tablename__ = "label"
    __table_args__ = (
        CheckConstraint("kind IN ('span', 'document')", name="kind"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    color: Mapped[str] = mapped_column(String(9))
    hotkey: Mapped[str | None] = mapped_column(String(8), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="span")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AnnotatorRow(Base):
    __tablename__ = "annotator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    is_gold: Mapped[bool] = mapped_column(Boolean, default=False)


class DocumentRow(Base):
    __tablename__ = "document"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text_key: Mapped[str | None] = mapped_column(String(64), index=True)
    """core.text.whitespace_key of the text: equal for texts that differ only in whitespace."""
    normalization: Mapped[str] = mapped_column(String(16), default="")
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentTokensRow(Base):
    """A document's tokens and sentences as its file gave them (core.tokenisation's texts)."""

    __tablename__ = "document_tokens"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    tokens: Mapped[str] = mapped_column(Text)
    sentence_starts: Mapped[str] = mapped_column(Text)


class SpanRow(Base):
    __tablename__ = "span"
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="offsets"),
        CheckConstraint("source IN ('manual', 'suggestion', 'import')", name="source"),
        UniqueConstraint("document_id", "annotator_id", "label_id", "start", "end"),
        Index("ix_span_document_annotator", "document_id", "annotator_id"),
        Index("ix_span_label_id", "label_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentStateRow(Base):
    __tablename__ = "document_state"
    __table_args__ = (
        CheckConstraint("status IN ('todo', 'in_progress', 'done', 'skipped')", name="status"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), default="todo")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SuggestionRow(Base):
    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint('0 <= start AND start < "end"', name="offsets"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        UniqueConstraint("document_id", "label_id", "start", "end", "model"),
        Index("ix_suggestion_document_status", "document_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(ForeignKey("label.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=1.0)
    model: Mapped[str] = mapped_column(String(256), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SuggestionDecisionRow(Base):
    """One annotator's decision on a suggestion (none: still pending for them). The
    `suggestion.status` column before it held one decision for everyone; no longer used."""

    __tablename__ = "suggestion_decision"
    __table_args__ = (CheckConstraint("status IN ('accepted', 'rejected')", name="status"),)

    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SuggestionRunRow(Base):
    """That a model has been run over a document (even when it proposed nothing), so a
    cancelled corpus run resumes where it stopped."""

    __tablename__ = "suggestion_run"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(256), primary_key=True)
    run_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """What the model suggested from (Suggester.version; "" unversioned or before 0009)."""


class ProjectSettingRow(Base):
    """Project-wide settings that travel with the file (label map, term lists, models)."""

    __tablename__ = "project_setting"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class ReviewRejectionRow(Base):
    """A reviewer's decision that a label on these offsets stays out of the gold layer
    (accepting needs no row: the gold span itself records it)."""

    __tablename__ = "review_rejection"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[int] = mapped_column(
        ForeignKey("label.id", ondelete="CASCADE"), primary_key=True
    )
    start: Mapped[int] = mapped_column(Integer, primary_key=True)
    end: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReviewRelationRejectionRow(Base):
    """A reviewer's decision that a relation candidate (its type, and each end's label and
    offsets) stays out of the gold layer."""

    __tablename__ = "review_relation_rejection"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    type_id: Mapped[int] = mapped_column(
        ForeignKey("relation_type.id", ondelete="CASCADE"), primary_key=True
    )
    head_label_id: Mapped[int] = mapped_column(
        ForeignKey("label.id", ondelete="CASCADE"), primary_key=True
    )
    head_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_end: Mapped[int] = mapped_column(Integer, primary_key=True)
    tail_label_id: Mapped[int] = mapped_column(
        ForeignKey("label.id", ondelete="CASCADE"), primary_key=True
    )
    tail_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    tail_end: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SpanTombstoneRow(Base):
    """That a span was deleted, and when, so the deletion travels with merge, push and pull
    (core.tombstones). The label is kept by name: a tombstone outlives its label's removal."""

    __tablename__ = "span_tombstone"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(64), primary_key=True)
    start: Mapped[int] = mapped_column(Integer, primary_key=True)
    end: Mapped[int] = mapped_column(Integer, primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RelationTypeRow(Base):
    """A kind of link between two spans (BUYS, PARTNERS_WITH, ...): directed or symmetric."""

    __tablename__ = "relation_type"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    color: Mapped[str] = mapped_column(String(9))
    hotkey: Mapped[str | None] = mapped_column(String(8), unique=True)
    directed: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class RelationTypeLabelRow(Base):
    """A label allowed at one end ('head' or 'tail') of a relation type; a role without any
    row allows every label."""

    __tablename__ = "relation_type_label"
    __table_args__ = (CheckConstraint("role IN ('head', 'tail')", name="role"),)

    relation_type_id: Mapped[int] = mapped_column(
        ForeignKey("relation_type.id", ondelete="CASCADE"), primary_key=True
    )
    label_id: Mapped[int] = mapped_column(
        ForeignKey("label.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(8), primary_key=True)


class RelationRow(Base):
    """A link of one annotator between two of their spans in one document; a symmetric type's
    pair is stored with the span earlier in text order as head."""

    __tablename__ = "relation"
    __table_args__ = (
        CheckConstraint("source IN ('manual', 'suggestion', 'import')", name="source"),
        CheckConstraint("head_span_id <> tail_span_id", name="two_spans"),
        UniqueConstraint("type_id", "head_span_id", "tail_span_id"),
        Index("ix_relation_document_annotator", "document_id", "annotator_id"),
        Index("ix_relation_head_span_id", "head_span_id"),
        Index("ix_relation_tail_span_id", "tail_span_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_type.id", ondelete="RESTRICT"))
    head_span_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"))
    tail_span_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16), default="manual")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RelationTombstoneRow(Base):
    """That a relation was deleted, and when, so the deletion travels with merge, push and pull
    (as span_tombstone does for spans): named by its type and its two spans' identities."""

    __tablename__ = "relation_tombstone"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(
        ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(64), primary_key=True)
    head_label: Mapped[str] = mapped_column(String(64), primary_key=True)
    head_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_end: Mapped[int] = mapped_column(Integer, primary_key=True)
    tail_label: Mapped[str] = mapped_column(String(64), primary_key=True)
    tail_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    tail_end: Mapped[int] = mapped_column(Integer, primary_key=True)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RelationSuggestionRow(Base):
    """A relation the learner proposed between two spans of one annotator's layer, with that
    annotator's decision on it (migration 0013)."""

    __tablename__ = "relation_suggestion"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        UniqueConstraint("type_id", "head_span_id", "tail_span_id"),
        Index("ix_relation_suggestion_document_annotator", "document_id", "annotator_id"),
        Index("ix_relation_suggestion_head_span_id", "head_span_id"),
        Index("ix_relation_suggestion_tail_span_id", "tail_span_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id", ondelete="CASCADE"))
    type_id: Mapped[int] = mapped_column(ForeignKey("relation_type.id", ondelete="CASCADE"))
    head_span_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"))
    tail_span_id: Mapped[int] = mapped_column(ForeignKey("span.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    model: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
