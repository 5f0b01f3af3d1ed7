"""The spans of a CAS's annotations, by the layer policy of span_layers.

Relations are the types with Governor and Dependent features, chains those with `next` or
`referenceType`. Tokens, sentences and the document's metadata are structure, not annotations,
and pass unnoted; DKPro tokens and sentences are kept as the document's tokenisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.model import ImportedSpan, Tokenisation
from annotator.io.readers.file_tokens import file_tokenisation
from annotator.io.readers.span_layers import (
    CHAIN,
    NAMED_ENTITY,
    RELATION,
    LayerSpans,
    label_feature,
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
) -> tuple[list[ImportedSpan], list[str]]:
    """The spans of the layers read, and notes on what was skipped, defaulted or chosen."""
    collected = LayerSpans()
    for annotation in cas.select(ANNOTATION):
        layer = annotation.type.name
        if any(_is_a(ts, layer, name) for name in _STRUCTURE):
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
        collected.add(layer, feature, start, end, label if isinstance(label, str) else None)
    return collected.spans, collected.notes()


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
    if {"Governor", "Dependent"} <= names:
        return None, RELATION
    if "next" in names or "referenceType" in names:
        return None, CHAIN
    strings = [
        f.name for f in own if f.rangeType.name == _STRING and (name, f.name) not in references
    ]
    return label_feature(name, _is_a(ts, name, NAMED_ENTITY), strings)


def _is_a(ts: TypeSystem, name: str, parent: str) -> bool:
    """Whether type `name` is `parent` or a subtype (False when the types lack `parent`)."""
    return ts.contains_type(parent) and ts.is_instance_of(name, parent)
