"""Running relation suggestions over a project: learn from the relations the annotator and the
gold layer made (and the annotator's decisions on earlier proposals), then propose relations
between the annotator's spans in the documents asked for, one transaction per document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core.model import Relation, Span, SuggestionStatus
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.project import Project
from annotator.nlp.relation_learner import RelationLearner, SpanRef

RELATION_MODEL = "relation-learner"
"""The model name stored with every relation suggestion the learner makes."""
THRESHOLD = 0.5
"""The probability a proposal needs to be shown."""
_BATCH = 200


@dataclass(frozen=True, slots=True)
class RelationSuggestReport:
    """What a run learned from and proposed."""

    learned_from: int
    """Relations people made that the learner counted."""
    documents: int
    proposed: int


def suggest_relations(
    project: Project,
    annotator: str,
    document_ids: Sequence[int],
    *,
    threshold: float = THRESHOLD,
    progress: Progress | None = None,
) -> RelationSuggestReport:
    """Propose relations in `document_ids` for `annotator`; nothing is stored while the learner
    has no example (its report says learned_from 0). Raises Cancelled between documents."""
    progress = progress or NullProgress()
    progress.report(0, len(document_ids))
    types = project.relation_types()
    learner = learn(project, annotator)
    if not types or learner.examples == 0:
        return RelationSuggestReport(learner.examples, 0, 0)
    proposed = 0
    for done, document_id in enumerate(document_ids):
        check_cancelled(progress)
        text = project.document(document_id).text
        spans = [_ref(span) for span in project.spans(document_id, annotator)]
        existing = [(r.type, r.head, r.tail) for r in project.relations(document_id, annotator)]
        found = learner.propose(text, spans, existing=existing, threshold=threshold)
        project.store_relation_suggestions(
            document_id,
            annotator,
            [(p.type, p.head, p.tail, p.score) for p in found],
            RELATION_MODEL,
        )
        proposed += len(found)
        progress.report(done + 1, len(document_ids))
    return RelationSuggestReport(learner.examples, len(document_ids), proposed)


def learn(project: Project, annotator: str) -> RelationLearner:
    """A learner counted from the relations of `annotator`'s layer and the gold layer, and
    from the annotator's decisions on earlier relation proposals."""
    learner = RelationLearner(project.relation_types())
    gold = project.gold_annotator()
    layers = {annotator} | ({gold} if gold is not None else set())
    decisions = project.relation_decisions(annotator)
    document_ids = project.document_ids()
    for start in range(0, len(document_ids), _BATCH):
        chunk = document_ids[start : start + _BATCH]
        relations = project.relations_of_documents(chunk)
        wanted = [d for d in chunk if d in decisions or _has_layer(relations.get(d, []), layers)]
        if not wanted:
            continue
        spans = project.spans_of_documents(wanted)
        for document_id in wanted:
            text = project.document(document_id).text
            for layer in layers:
                related = [
                    (r.type, r.head, r.tail)
                    for r in relations.get(document_id, [])
                    if r.annotator == layer
                ]
                rejected = [
                    (kind, head, tail)
                    for kind, head, tail, status in decisions.get(document_id, [])
                    if layer == annotator and status == SuggestionStatus.REJECTED.value
                ]
                if related or rejected:
                    layer_spans = [_ref(s) for s in spans[document_id] if s.annotator == layer]
                    learner.learn(text, layer_spans, related, rejected=rejected)
    return learner


def _has_layer(relations: Sequence[Relation], layers: set[str]) -> bool:
    return any(r.annotator in layers for r in relations)


def _ref(span: Span) -> SpanRef:
    return SpanRef(span.id, span.start, span.end, span.label)
