"""The XMI export's TypeSystem.xml merges with DKPro Core's own type system in cassis: the
features we write carry DKPro Core's descriptions, read here from DKPro's descriptor files."""

from __future__ import annotations

from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem, merge_typesystems

from annotator.io.exporter import export
from annotator.io.writers.xmi import (
    DOCUMENT_METADATA,
    METADATA_FIELD,
    NAMED_ENTITY,
    TYPESYSTEM_FILE,
)

DKPRO = Path(__file__).parents[1] / "data" / "peers" / "dkpro"
DESCRIPTORS = ["NamedEntity.xml", "metadata_customized.xml", "important_dkpro_types.xml"]
OUR_TYPES = (NAMED_ENTITY, DOCUMENT_METADATA, METADATA_FIELD)


@pytest.fixture
def exported(project, tmp_path) -> Path:
    """A one-document XMI export with one NamedEntity; its folder."""
    text = "Baykar sells the TB2 to Kyiv."
    doc = next(iter(project.add_document(text, title="Sale", verbatim=True).documents))
    project.add_span(doc, "alice", "ACTOR", 0, 6)
    out = tmp_path / "xmi"
    export(project, "xmi", out)
    return out


def dkpro_descriptions(name: str) -> dict[tuple[str, str], str | None]:
    """(type, feature) -> description of our types' features in a DKPro descriptor."""
    ts = load_typesystem(DKPRO / name)
    found = {}
    for type_name in OUR_TYPES:
        if ts.contains_type(type_name):
            for feature in ts.get_type(type_name).features:
                found[type_name, feature.name] = feature.description
    return found


def test_every_feature_we_write_has_dkpros_description(exported):
    ours = load_typesystem(exported / TYPESYSTEM_FILE)
    written = {
        (type_name, feature.name): feature.description
        for type_name in OUR_TYPES
        for feature in ours.get_type(type_name).features
    }
    assert len(written) == 10
    for name in DESCRIPTORS:
        theirs = dkpro_descriptions(name)
        assert theirs, name
        assert {key: written[key] for key in theirs} == theirs


@pytest.mark.parametrize("name", DESCRIPTORS)
def test_cassis_merges_the_export_with_dkpro_and_reads_it_with_the_merge(exported, name):
    ours = load_typesystem(exported / TYPESYSTEM_FILE)
    merged = merge_typesystems(ours, load_typesystem(DKPRO / name))
    (path,) = exported.glob("*.xmi")
    cas = load_cas_from_xmi(path, typesystem=merged)
    (entity,) = cas.select(NAMED_ENTITY)
    assert (entity.get_covered_text(), entity.value) == ("Baykar", "ACTOR")
    (meta,) = cas.select(DOCUMENT_METADATA)
    assert meta.documentTitle == "Sale"
