"""Label Studio export: a folder with `tasks.json` to import and `label_config.xml` to set up the
project (Settings > Labeling Interface > Code) before importing.

`tasks.json` is a list of tasks in Label Studio's JSON format: `{"id", "data": {"text"}, "meta",
"annotations": [...], "predictions": [...]}`. Each annotator of the layer gets one annotation
whose `result` holds one `labels` region per span (`from_name` "label", `to_name` "text",
`value` {start, end, text, labels}); offsets are code points of the stored text, as Label Studio
counts them. An annotation carries no `completed_by`: Label Studio's importer accepts only the
id or e-mail of one of its own users there and refuses anything else, and gives an annotation
without one to the user who imports it; the annotator's name is in `created_username`, which
its importer ignores. The project's pending suggestions are `predictions`, one per model
(`model_version`), each region with the suggestion's `score`, the prediction's `score` their
mean. Relations are `relation` results in their annotator's annotation, from the head's
region to the tail's (`direction` "right", "bi" for a symmetric type, `labels` [type]); when
the export holds relations, the configuration has a Relations control with every type.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.core.model import Relation, Span, Suggestion
from annotator.io.writers.base import ExportItem, ExportReport
from annotator.io.writers.jsonl import document_meta
from annotator.io.writers.relations import linked

TASKS = "tasks.json"
CONFIG = "label_config.xml"
FROM_NAME = "label"
TO_NAME = "text"
PREDICTIONS = "pending suggestion(s) as Label Studio predictions"


def label_config(labels: Iterable[str], relation_types: Iterable[str] = ()) -> str:
    """The labeling configuration of a project that reads these tasks: a Labels control named
    "label" over a Text object named "text" that shows `$text`, and a Relations control with
    the relation types given (none: no Relations control)."""
    choices = "".join(f"    <Label value={quoteattr(label)}/>\n" for label in labels)
    kinds = "".join(f"    <Relation value={quoteattr(kind)}/>\n" for kind in relation_types)
    relations = f"  <Relations>\n{kinds}  </Relations>\n" if kinds else ""
    return (
        "<View>\n"
        f"{relations}"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n'
        f"{choices}"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="${TO_NAME}"/>\n'
        "</View>\n"
    )


def region(region_id: str, text: str, start: int, end: int, label: str) -> dict[str, Any]:
    """One `labels` result: the span [start, end) of `text` with `label`."""
    return {
        "id": region_id,
        "type": "labels",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def relation_result(relation: Relation, head: Span, tail: Span, directed: set[str]) -> dict:
    """One `relation` result from the head's region to the tail's: direction "right", or "bi"
    for a symmetric type (one not in `directed`)."""
    return {
        "type": "relation",
        "from_id": f"s{head.id}",
        "to_id": f"s{tail.id}",
        "direction": "right" if relation.type in directed else "bi",
        "labels": [relation.type],
    }


def task(item: ExportItem, directed: set[str] | None = None) -> dict[str, Any]:
    """The Label Studio task of one document (`directed`: the names of the directed relation
    types; the others are symmetric)."""
    directed = directed or set()
    doc = item.document
    by_annotator: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label)):
        found = region(f"s{span.id}", doc.text, span.start, span.end, span.label)
        by_annotator[span.annotator].append(found)
    for relation, head, tail in linked(item):
        by_annotator[relation.annotator].append(relation_result(relation, head, tail, directed))
    by_model: defaultdict[str, list[Suggestion]] = defaultdict(list)
    for suggestion in item.suggestions:
        by_model[suggestion.model].append(suggestion)
    return {
        "id": doc.id,
        "data": {"text": doc.text},
        "meta": document_meta(doc),
        "annotations": [
            {"created_username": who, "ground_truth": False, "result": result}
            for who, result in sorted(by_annotator.items())
        ],
        "predictions": [
            {
                "model_version": model,
                "score": sum(x.score for x in found) / len(found),
                "result": [
                    {**region(f"p{x.id}", doc.text, x.start, x.end, x.label), "score": x.score}
                    for x in found
                ],
            }
            for model, found in sorted(by_model.items())
        ],
    }


class LabelStudioWriter:
    """A folder with Label Studio tasks (annotations and predictions) and its labeling config."""

    name = "labelstudio"
    suffix = ""
    wants_suggestions = True

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        target.mkdir(parents=True, exist_ok=True)
        kinds = report.relation_types
        config = label_config(labels, [kind.name for kind in kinds])
        (target / CONFIG).write_text(config, encoding="utf-8", newline="\n")
        directed = {kind.name for kind in kinds if kind.directed}
        with (target / TASKS).open("w", encoding="utf-8", newline="\n") as stream:
            separator = "[\n"
            for item in items:
                stream.write(separator + json.dumps(task(item, directed), ensure_ascii=False))
                separator = ",\n"
                report.also_wrote[PREDICTIONS] += len(item.suggestions)
            stream.write("[]\n" if separator == "[\n" else "\n]\n")
