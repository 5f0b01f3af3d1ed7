"""The spans of a CAS's annotations, by the layer policy of span_layers.

Relations are the types with Governor and Dependent features (INCEpTION's relation layers):
read between the spans read, the type from the layer's `value` feature (else its first string
feature, else the layer's short name); one linking anything else (DKPro's dependencies link
tokens) is skipped and noted. Chains are the types with `next` or `referenceType`. Tokens,
sentences and the document's metadata are structure, not annotations, and pass unnoted; DKPro
tokens and sentences are kept as the document's tokenisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.core.errors import InputError
from annotator.core.labelrules import name_problem, normal_name
from annotator.core.model import ImportedRelation, ImportedSpan, Tokenisation
from annotator.io.readers.file_tokens import file_tokenisation
from annotator.io.readers.span_layers import (
    CHAIN,
    NAMED_ENTITY,
    NOT_SPANS,
    LayerSpans,
    label_feature,
    short_name,
)

if TYPE_CHECKING:
    from pathlib import Path

    from cassis import Cas, TypeSystem
    from cassis.typesystem import Type

ANNOTATION = "uima.tcas.Annotation"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
_STRUCTURE = (
    "uima.tcas.DocumentAnnotation",
    TOKEN,
    SENTENCE,
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription",
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.MetaDataStringField",  # read by xmi.py
)
_STRING = "uima.cas.String"


def spans_and_notes(
    path: Path, cas: Cas, ts: TypeSystem, references: set[tuple[str, str]]
) -> tuple[list[ImportedSpan], list[ImportedRelation], list[str]]:
    """The spans of the layers read, the relations between them, and notes on what was
    skipped, defaulted or chosen."""
    collected = LayerSpans()
    index_of: dict[int, int] = {}
    links = []
    for annotation in cas.select(ANNOTATION):
        layer = annotation.type.name
        if any(_is_a(ts, layer, name) for name in _STRUCTURE):
            continue
        if _is_relation(annotation.type):
            links.append(annotation)
            continue
        feature, reason = _label_feature(ts, annotation.type, references)
        if feature is None:
            collected.skip(layer, reason)
            continue
        start, end = annotation.begin, annotation.end
        if start > end:  # cassis refuses offsets outside the text
            where = f"{layer} annotation at characters {start}-{end}"
            raise InputError(str(path), None, f"{where} ends before it starts")
        label = annotation.get(feature)
        before = len(collected.spans)
        collected.add(layer, feature, start, end, label if isinstance(label, str) else None)
        if len(collected.spans) > before:
            index_of[annotation.xmiID] = before
    relations = [r for r in (_relation(a, index_of, collected) for a in links) if r]
    return collected.spans, relations, collected.notes()


def _relation(annotation: Any, index_of: dict[int, int], collected: LayerSpans) -> Any:
    """The relation of a relation layer's annotation (Governor the head, Dependent the tail,
    its type the layer's label feature, else the layer's short name), or None when it links
    something that is not a span read (a token: DKPro's dependencies), noted."""
    layer = annotation.type.name
    ends = [_end(annotation.get(name), index_of) for name in ("Governor", "Dependent")]
    if None in ends:
        collected.skip(layer, NOT_SPANS)
        return None
    strings = [
        f.name
        for f in annotation.type.all_features
        if f.rangeType.name == _STRING and f.name not in ("Governor", "Dependent")
    ]
    feature = "value" if "value" in strings else next(iter(strings), None)
    label = annotation.get(feature) if feature else None
    if not isinstance(label, str) or not label.strip():
        label = short_name(layer)
    elif problem := name_problem(normal_name(label)):
        collected.skip(layer, problem)
        return None
    return ImportedRelation(label, ends[0], ends[1])


def _end(value: Any, index_of: dict[int, int]) -> int | None:
    """The span index of a Governor or Dependent: a feature structure, or (a type system
    inferred from the file) its xmi:id as a string."""
    if isinstance(value, str) and value.isdigit():
        return index_of.get(int(value))
    return index_of.get(getattr(value, "xmiID", None)) if value is not None else None


def _is_relation(uima_type: Type) -> bool:
    """Whether a type is a relation layer (it has Governor and Dependent features)."""
    return {"Governor", "Dependent"} <= {f.name for f in uima_type.all_features}


def tokenisation(cas: Cas, ts: TypeSystem) -> Tokenisation | None:
    """The CAS's DKPro tokens and sentences (file_tokens.file_tokenisation), or None."""
    if not ts.contains_type(TOKEN):
        return None
    tokens = ((token.begin, token.end) for token in cas.select(TOKEN))
    sentences = cas.select(SENTENCE) if ts.contains_type(SENTENCE) else []
    return file_tokenisation(tokens, (sentence.begin for sentence in sentences))


def _label_feature(
    ts: TypeSystem, uima_type: Type, references: set[tuple[str, str]]
) -> tuple[str | None, str]:
    """The feature that labels the type's spans, else None and why the type is not read."""
    name = uima_type.name
    own = [f for f in uima_type.all_features if f.name not in ("sofa", "begin", "end")]
    names = {f.name for f in own}
    if "next" in names or "referenceType" in names:
        return None, CHAIN
    strings = [
        f.name for f in own if f.rangeType.name == _STRING and (name, f.name) not in references
    ]
    return label_feature(name, _is_a(ts, name, NAMED_ENTITY), strings)


def _is_a(ts: TypeSystem, name: str, parent: str) -> bool:
    """Whether type `name` is `parent` or a subtype (False when the types lack `parent`)."""
    return ts.contains_type(parent) and ts.is_instance_of(name, parent)
