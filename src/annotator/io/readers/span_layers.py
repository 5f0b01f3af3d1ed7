"""Which layers of INCEpTION / WebAnno annotations become spans, with which label, and the
notes on the rest (shared by the XMI and WebAnno TSV readers).

Span layers read: DKPro Core's NamedEntity (and its subtypes), labelled by `value`, and
INCEpTION's custom span layers (`webanno.custom.*`), labelled by their string feature `value`,
else by their first string feature (the note names it). An annotation whose label is unset gets
the layer's short name as its label (`NamedEntity`; INCEpTION shows such a span unlabelled); one
of zero length, or whose label cannot be a label name here (`*`, `_`, a tab), is skipped.
Relations are read between the spans read (one linking anything else is noted: NOT_SPANS);
chains, custom layers without a string feature and the other DKPro layers (POS, lemma, ...) are
skipped; every skip is a note naming the layer and count.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.labelrules import name_problem, normal_name
from annotator.core.model import ImportedSpan
from annotator.io.writers.xmi import NAMED_ENTITY

__all__ = ["NAMED_ENTITY", "NOT_SPANS", "LayerSpans", "label_feature", "short_name"]
CUSTOM_PREFIX = "webanno.custom."
NOT_SPANS = "a relation linking annotations that are not spans read (tokens?)"
CHAIN = "a chain layer (chains are not imported)"
NOT_READ = "a layer that is not imported (only NamedEntity and custom span layers are)"
NO_LABEL = "a span layer without a string feature to use as the label"


def label_feature(layer: str, named_entity: bool, strings: list[str]) -> tuple[str | None, str]:
    """The feature that labels a span layer's spans (given whether it is a NamedEntity layer
    and its string features in order), else None and why the layer is not read."""
    if named_entity:
        return "value", ""
    if not layer.startswith(CUSTOM_PREFIX):
        return None, NOT_READ
    if not strings:
        return None, NO_LABEL
    return ("value" if "value" in strings else strings[0]), ""


class LayerSpans:
    """Collects the spans of the layers read and counts what is skipped, for the notes."""

    def __init__(self) -> None:
        self.spans: list[ImportedSpan] = []
        self._skipped: Counter[tuple[str, str]] = Counter()
        self._unlabelled: Counter[str] = Counter()
        self._empty: Counter[str] = Counter()
        self._chosen: dict[str, str] = {}

    def skip(self, layer: str, reason: str, count: int = 1) -> None:
        """Count annotations of a layer that is not read, for the reason given."""
        self._skipped[(layer, reason)] += count

    def add(self, layer: str, feature: str, start: int, end: int, label: str | None) -> None:
        """A span of a layer read (by `feature`): kept unless empty or its label cannot name a
        label here (`*`, `_`, control characters: skipped); unset labels defaulted."""
        if start == end:
            self._empty[layer] += 1
            return
        if label is None or not label.strip():
            self._unlabelled[layer] += 1
            label = short_name(layer)
        elif problem := name_problem(normal_name(label)):
            self.skip(layer, problem)
            return
        elif feature != "value":
            self._chosen[layer] = feature
        self.spans.append(ImportedSpan(start, end, label))

    def notes(self) -> list[str]:
        """What was chosen, defaulted and skipped, per layer, for the import report."""
        notes = [
            f"layer {layer}: label from its feature {feature!r}"
            for layer, feature in self._chosen.items()
        ]
        notes += [
            f"{n} {layer} annotation(s) without a label: labelled {short_name(layer)!r}"
            for layer, n in self._unlabelled.items()
        ]
        notes += [
            f"skipped {n} {layer} annotation(s) of zero length" for layer, n in self._empty.items()
        ]
        notes += [
            f"skipped {n} {layer} annotation(s): {reason}"
            for (layer, reason), n in self._skipped.items()
        ]
        return notes


def short_name(layer: str) -> str:
    """`webanno.custom.Span` -> `Span`."""
    return layer.rsplit(".", 1)[-1]
