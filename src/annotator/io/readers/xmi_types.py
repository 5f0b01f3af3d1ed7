"""A type system for an XMI file that came without its TypeSystem.xml, inferred from the file.

Our own types (NamedEntity, DocumentMetaData) are the start; every other element becomes a type
(an annotation when it has begin and end, else one of a view when it has a sofa, else a plain
feature structure) whose attributes are
string features, and whose child elements are string arrays. Attributes that only ever hold ids
of the file's elements are references: they are parsed as strings but never used as labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from annotator.io.writers.xmi import type_system

if TYPE_CHECKING:
    from cassis import TypeSystem
    from lxml.etree import _Element

_XMI_ID = "{http://www.omg.org/XMI}id"
_CAS_NS = "{http:///uima/cas.ecore}"
_NO_NAMESPACE = "uima.noNamespace."
_STRUCTURE = ("sofa", "begin", "end", _XMI_ID)


def uima_type_name(tag: str) -> str:
    """`{http:///webanno/custom.ecore}Span` -> `webanno.custom.Span` (cassis's own mapping)."""
    namespace, _, local = tag[1:].partition("}")
    package = namespace.removeprefix("http:///").removesuffix(".ecore").replace("/", ".")
    name = f"{package}.{local}"
    return name.removeprefix(_NO_NAMESPACE)


class InferredTypes:
    """The inferred type system and the (type, feature) pairs that are references."""

    def __init__(self, root: _Element) -> None:
        self.type_system: TypeSystem = type_system()
        elements = [e for e in root.iterchildren() if isinstance(e.tag, str)]
        ids = {e.get(_XMI_ID) for e in elements}
        not_references: set[tuple[str, str]] = set()
        seen: set[tuple[str, str]] = set()
        for element in elements:
            if element.tag.startswith(_CAS_NS):
                continue  # Sofa, View, NULL and the built-in arrays are cassis's own
            name = uima_type_name(element.tag)
            for feature, value in self._features(name, element):
                seen.add((name, feature))
                if not value or not all(part in ids for part in value.split()):
                    not_references.add((name, feature))
        self.references = seen - not_references

    def _features(self, name: str, element: _Element) -> list[tuple[str, str]]:
        """Declare the element's type and features; its (feature, attribute value) pairs."""
        ts = self.type_system
        attrib = element.attrib
        if ts.contains_type(name):
            uima_type = ts.get_type(name)
        else:
            uima_type = ts.create_type(name, supertypeName=_supertype(attrib))
        known = {f.name for f in uima_type.all_features}
        pairs = []
        for key, value in attrib.items():
            if key in _STRUCTURE:
                continue
            if key not in known:
                ts.create_feature(uima_type, key, "uima.cas.String")
                known.add(key)
            pairs.append((key, value))
        for child in element.iterchildren():
            if isinstance(child.tag, str) and child.tag not in known:
                ts.create_feature(uima_type, child.tag, "uima.cas.StringArray")
                known.add(child.tag)
        return pairs


def _supertype(attrib: Mapping[str, str]) -> str:
    """The UIMA supertype an element's attributes call for."""
    if "begin" in attrib and "end" in attrib:
        return "uima.tcas.Annotation"
    return "uima.cas.AnnotationBase" if "sofa" in attrib else "uima.cas.TOP"
