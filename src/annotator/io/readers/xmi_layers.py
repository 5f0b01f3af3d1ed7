"""Which annotations of a CAS become spans, with which label, and notes on the rest.

Span layers read: DKPro Core's NamedEntity (and its subtypes), labelled by `value`, and
INCEpTION's custom span layers (`webanno.custom.*`), labelled by their string feature `value`,
else by their first string feature (the note names it). An annotation whose label feature is
unset gets the layer's name as its label (INCEpTION shows such a span unlabelled); one of zero
length is skipped. Relations, chains, custom layers without a string feature and the other
DKPro layers (POS, lemma, ...) are skipped; every skip is a note naming the layer and count.
Tokens, sentences and the document's metadata are structure, not annotations, and pass unnoted.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.model import ImportedSpan
from annotator.io.writers.xmi import NAMED_ENTITY

if TYPE_CHECKING:
    from pathlib import Path

    from cassis import Cas, TypeSystem
    from cassis.typesystem import Type

ANNOTATION = "uima.tcas.Annotation"
CUSTOM_PREFIX = "webanno.custom."
_STRUCTURE = (
    "uima.tcas.DocumentAnnotation",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription",
)
_STRING = "uima.cas.String"


def spans_and_notes(
    path: Path, cas: Cas, ts: TypeSystem, references: set[tuple[str, str]]
) -> tuple[list[ImportedSpan], list[str]]:
    """The spans of the layers read, and notes on what was skipped, defaulted or chosen."""
    spans: list[ImportedSpan] = []
    notes: list[str] = []
    skipped: Counter[tuple[str, str]] = Counter()
    unlabelled: Counter[str] = Counter()
    empty: Counter[str] = Counter()
    chosen: dict[str, str] = {}
    for annotation in cas.select(ANNOTATION):
        uima_type = annotation.type
        if any(_is_a(ts, uima_type.name, name) for name in _STRUCTURE):
            continue
        feature, reason = _label_feature(ts, uima_type, references)
        layer = uima_type.name
        if feature is None:
            skipped[(layer, reason)] += 1
            continue
        start, end = annotation.begin, annotation.end
        if start > end:  # cassis refuses offsets outside the text
            where = f"{layer} annotation at characters {start}-{end}"
            raise InputError(str(path), None, f"{where} ends before it starts")
        if start == end:
            empty[layer] += 1
            continue
        label = annotation.get(feature)
        if not isinstance(label, str) or not label.strip():
            unlabelled[layer] += 1
            label = _short(layer)
        elif not _is_a(ts, layer, NAMED_ENTITY) and feature != "value":
            chosen[layer] = feature
        spans.append(ImportedSpan(start, end, label))
    for layer, feature in chosen.items():
        notes.append(f"layer {layer}: label from its feature {feature!r}")
    for layer, count in unlabelled.items():
        notes.append(f"{count} {layer} annotation(s) without a label: labelled {_short(layer)!r}")
    for layer, count in empty.items():
        notes.append(f"skipped {count} {layer} annotation(s) of zero length")
    for (layer, reason), count in skipped.items():
        notes.append(f"skipped {count} {layer} annotation(s): {reason}")
    return spans, notes


def _label_feature(
    ts: TypeSystem, uima_type: Type, references: set[tuple[str, str]]
) -> tuple[str | None, str]:
    """The feature that labels the layer's spans, else None and why the layer is not read."""
    name = uima_type.name
    if _is_a(ts, name, NAMED_ENTITY):
        return "value", ""
    own = [f for f in uima_type.all_features if f.name not in ("sofa", "begin", "end")]
    names = {f.name for f in own}
    if {"Governor", "Dependent"} <= names:
        return None, "a relation layer (relations are not imported)"
    if "next" in names or "referenceType" in names:
        return None, "a chain layer (chains are not imported)"
    if not name.startswith(CUSTOM_PREFIX):
        return None, "a layer that is not imported (only NamedEntity and custom span layers are)"
    labels = [
        f.name for f in own if f.rangeType.name == _STRING and (name, f.name) not in references
    ]
    if not labels:
        return None, "a span layer without a string feature to use as the label"
    return ("value" if "value" in labels else labels[0]), ""


def _is_a(ts: TypeSystem, name: str, parent: str) -> bool:
    """Whether type `name` is `parent` or a subtype (False when the types lack `parent`)."""
    return ts.contains_type(parent) and ts.is_instance_of(name, parent)


def _short(layer: str) -> str:
    """`webanno.custom.Span` -> `Span`."""
    return layer.rsplit(".", 1)[-1]
