"""Change markers: another client's add, removal, relabel, resize or status shows up cheaply."""

from __future__ import annotations

import pytest

from annotator.core.activity import poll_activity
from annotator.core.model import Status
from annotator.core.project import Project

pytestmark = pytest.mark.any_backend

TEXT = "Baykar sold the TB2 to Azerbaijan."


def test_other_clients_changes_name_the_documents_they_touched(project, project_target):
    first = next(iter(project.add_document(TEXT).documents))
    second = next(iter(project.add_document("Pakistan built the JF-17.").documents))
    seen, changed = poll_activity(project, None)
    assert changed == frozenset()
    assert poll_activity(project, seen) == (seen, frozenset())

    with Project.open(project_target) as other:
        steps = [
            lambda: other.add_span(first, "ana", "ACTOR", 0, 6),
            lambda: other.relabel_span(span_id(other, first), "PLATFORM"),
            lambda: other.resize_span(span_id(other, first), 0, 5),
            lambda: other.set_status(second, "ana", Status.DONE),
            lambda: other.set_status(second, "ana", Status.SKIPPED),
            lambda: other.add_span(second, "ana", "ACTOR", 0, 8),
            lambda: other.add_span(second, "ana", "PLATFORM", 19, 24),
            lambda: other.add_relation(second, "ana", "BUYS", *span_ids(other, second)),
            lambda: other.remove_relation(other.relations(second)[0].id),
            lambda: other.remove_span(span_id(other, first)),
        ]
        touched_by = [first, first, first, second, second, second, second, second, second, first]
        for step, touched in zip(steps, touched_by, strict=True):
            step()
            seen, changed = poll_activity(project, seen)
            assert changed == {touched}


def span_ids(project: Project, document_id: int) -> list[int]:
    return [span.id for span in project.spans(document_id)]


def span_id(project: Project, document_id: int) -> int:
    (span,) = project.spans(document_id)
    return span.id
