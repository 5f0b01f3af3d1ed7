"""DKPro Core's own descriptions of the features the XMI export writes.

cassis merges two type systems only when every feature they share has the same description, so
a TypeSystem.xml with other wording (or none) cannot be merged with DKPro Core's. The texts are
DKPro Core's, verbatim (Apache License 2.0, https://github.com/dkpro/dkpro-core):
`dkpro-core-api-ner-asl/src/main/resources/desc/type/NamedEntity.xml`,
`dkpro-core-api-metadata-asl/src/main/resources/desc/type/metadata_customized.xml`, and for
MetaDataStringField the DKPro type system dkpro-cassis ships (`important_dkpro_types.xml`).
"""

from __future__ import annotations

NAMED_ENTITY_FEATURES = {
    "value": "The class/category of the named entity, e.g. person, location, etc.",
    "identifier": "Identifier of the named entity, e.g. a reference into a person database.",
}
"""NamedEntity's features and their descriptions."""

DOCUMENT_METADATA_FEATURES = {
    "documentTitle": "The human readable title of the document.",
    "documentId": "The id of the document.",
    "documentUri": "The URI of the document.",
    "collectionId": "The ID of the whole document collection.",
    "documentBaseUri": "Base URI of the document.",
}
"""DocumentMetaData's string features and their descriptions."""

IS_LAST_SEGMENT = (
    "CAS de-multipliers need to know whether a CAS is the\n\t\t\t\t\t\tlast multiplied segment."
    "\n\t\t\t\t\t\tThus CAS multipliers should set this field to true for the last CAS"
    "\n\t\t\t\t\t\tthey produce."
)
"""DocumentMetaData's boolean `isLastSegment` feature's description (its line breaks and tabs
are part of it)."""

METADATA_FIELD_FEATURES = {
    "key": "Name of a metadata field.",
    "value": "The field value.",
}
"""MetaDataStringField's features and their descriptions."""
