"""UIMA CAS XMI export for INCEpTION (and any UIMA tool), written with dkpro-cassis.

The target is a folder: `TypeSystem.xml` plus one `<id>-<title>.xmi` per document, which is what
INCEpTION's "UIMA CAS XMI" import takes (zip the folder, or upload the files with the type
system). Spans are DKPro Core `NamedEntity` annotations with the label in `value`, the layer
INCEpTION's named-entity annotation uses; overlaps are kept. A `DocumentMetaData` carries the
document's title, id and URL (`documentUri`); its date and source are DKPro's key-value
`MetaDataStringField`s ("date", "source"). The annotator is not recorded (INCEpTION keeps
one CAS per user). When the export holds relations, the type system also has an INCEpTION
custom relation layer `webanno.custom.Relation` over NamedEntity (Governor the head, Dependent
the tail, the type in `value`, placed at the dependent's offsets, as INCEpTION places them);
in INCEpTION, create a relation layer of that name attached to Named entity, with a string
feature `value`, before importing.

UIMA offsets count UTF-16 code units (Java strings): cassis converts our code-point offsets on
write (and back on read), so an emoji counts 2 in the file. XML 1.0 cannot hold most control
characters (form feed, NUL, ...): they are written as spaces, which keeps every offset; the spans
of such documents are counted in the report, since their text no longer matches the project's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.io.writers.base import ExportItem, ExportReport, article_fields
from annotator.io.writers.dkpro_descriptions import (
    DOCUMENT_METADATA_FEATURES,
    IS_LAST_SEGMENT,
    METADATA_FIELD_FEATURES,
    NAMED_ENTITY_FEATURES,
)
from annotator.io.writers.relations import linked

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem
    from cassis.typesystem import Type

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
METADATA_FIELD = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.MetaDataStringField"
RELATION = "webanno.custom.Relation"
"""The relation layer an export with relations writes: an INCEpTION custom relation layer over
the NamedEntity layer (Governor: the head, Dependent: the tail, `value`: the type)."""
TYPESYSTEM_FILE = "TypeSystem.xml"
CONTROL_REASON = (
    "xmi: in a document whose control characters (not allowed in XML 1.0) were written as "
    "spaces; offsets unchanged, but the text differs from the project's"
)
DUPLICATE_REASON = (
    "xmi: same label and offsets as another span (e.g. another annotator's), kept once"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def type_system(*, relations: bool = False) -> TypeSystem:
    """DKPro Core's NamedEntity (value, identifier), DocumentMetaData and MetaDataStringField
    (key, value), as INCEpTION has them, with DKPro Core's feature descriptions (so cassis can
    merge it with DKPro's type system); with `relations`, also the relation layer RELATION
    (Governor and Dependent NamedEntity, and the type in `value`)."""
    from cassis import TypeSystem

    ts = TypeSystem()
    entity = ts.create_type(NAMED_ENTITY, supertypeName="uima.tcas.Annotation")
    for name, description in NAMED_ENTITY_FEATURES.items():
        ts.create_feature(entity, name, "uima.cas.String", description=description)
    meta = ts.create_type(DOCUMENT_METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name, description in DOCUMENT_METADATA_FEATURES.items():
        ts.create_feature(meta, name, "uima.cas.String", description=description)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean", description=IS_LAST_SEGMENT)
    field = ts.create_type(METADATA_FIELD, supertypeName="uima.tcas.Annotation")
    for name, description in METADATA_FIELD_FEATURES.items():
        ts.create_feature(field, name, "uima.cas.String", description=description)
    if relations:
        link = ts.create_type(RELATION, supertypeName="uima.tcas.Annotation")
        ts.create_feature(link, "Dependent", NAMED_ENTITY)
        ts.create_feature(link, "Governor", NAMED_ENTITY)
        ts.create_feature(link, "value", "uima.cas.String")
    return ts


def file_name(document_id: int, title: str) -> str:
    """`000042-Some-title.xmi`: ASCII letters and digits only, short, unique by the id."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_title).strip("-")[:60].rstrip("-")
    return f"{document_id:06d}-{slug}.xmi" if slug else f"{document_id:06d}.xmi"


def _add_relations(cas: Cas, link: Type, item: ExportItem, entities: dict[int, Any]) -> None:
    """One RELATION annotation per relation (those that became the same once duplicate spans
    were merged, once), over its dependent's (tail's) offsets, as INCEpTION places them."""
    done = set()
    for relation, head, tail in linked(item):
        governor, dependent = entities[head.id], entities[tail.id]
        key = (id(governor), id(dependent), relation.type)
        if key in done:
            continue
        done.add(key)
        cas.add(
            link(
                begin=dependent.begin,
                end=dependent.end,
                Governor=governor,
                Dependent=dependent,
                value=relation.type,
            )
        )


class XmiWriter:
    """A folder of XMI files (one CAS per document) and their TypeSystem.xml."""

    name = "xmi"
    suffix = ""

    def write(
        self, items: Iterable[ExportItem], target: Path, labels: list[str], report: ExportReport
    ) -> None:
        from cassis import Cas

        ts = type_system(relations=bool(report.relation_types))
        target.mkdir(parents=True, exist_ok=True)
        (target / TYPESYSTEM_FILE).write_text(ts.to_xml(), encoding="utf-8")
        entity, meta = ts.get_type(NAMED_ENTITY), ts.get_type(DOCUMENT_METADATA)
        field = ts.get_type(METADATA_FIELD)
        link = ts.get_type(RELATION) if report.relation_types else None
        for item in items:
            doc = item.document
            text, replaced = _NOT_XML.subn(" ", doc.text)
            cas = Cas(typesystem=ts)
            cas.sofa_string = text
            cas.sofa_mime = "text/plain"
            article = {key: _NOT_XML.sub(" ", value) for key, value in article_fields(doc).items()}
            cas.add(
                meta(
                    begin=0,
                    end=len(text),
                    language="x-unspecified",
                    documentTitle=article["title"],
                    documentId=str(doc.id),
                    documentUri=article["url"] or None,
                )
            )
            for key in ("date", "source"):
                if article[key]:
                    cas.add(field(begin=0, end=0, key=key, value=article[key]))
            seen: dict[tuple[int, int, str], Any] = {}
            written: dict[int, Any] = {}
            for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label)):
                key = (span.start, span.end, span.label)
                if key in seen:
                    report.dropped[DUPLICATE_REASON] += 1
                    written[span.id] = seen[key]
                    continue
                seen[key] = written[span.id] = entity(
                    begin=span.start, end=span.end, value=span.label
                )
                cas.add(seen[key])
            if link is not None:
                _add_relations(cas, link, item, written)
            if replaced and seen:
                report.adjusted[CONTROL_REASON] += len(seen)
            cas.to_xmi(target / file_name(doc.id, doc.title))
