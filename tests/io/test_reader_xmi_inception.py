"""INCEpTION's own XMI test files (tests/data/peers/inception, see its LICENSE-NOTE.md): every
file imports, and what is not a span comes with a note naming its layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.io.importer import import_files
from annotator.io.readers.xmi import read_xmi

PEERS = Path(__file__).parent.parent / "data" / "peers" / "inception"
SUITE = PEERS / "tsv3-suite"
NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"


def read(path: Path):
    """The file's document and the reader's notes on it."""
    result = read_xmi(path, path.read_bytes())
    (document,) = result
    return document, result.skipped


def spans(document) -> list[tuple[str, str]]:
    return sorted((document.text[s.start : s.end], s.label) for s in document.spans)


def test_every_inception_file_imports_and_none_gives_nothing_in_silence():
    files = sorted(PEERS.rglob("*.xmi"))
    assert len(files) == 75
    silent = []
    total = 0
    for path in files:
        document, notes = read(path)
        total += len(document.spans)
        if not document.spans and not notes:
            silent.append(path.parent.name)
    assert total == 108  # 15 labels `*`, `_` and with a tab are noted
    # the only files with neither spans nor notes hold tokens and sentences alone
    assert silent == ["testSentenceId", "testTwoSentencesWithNoSpaceInBetween"]


def test_a_named_entity_without_value_gets_the_layer_name_and_a_note():
    document, notes = read(SUITE / "testSingleTokenWithoutFeatureValue" / "reference.xmi")
    assert spans(document) == [("This", "NamedEntity")]
    assert notes == [f"1 {NE} annotation(s) without a label: labelled 'NamedEntity'"]


def test_zero_length_annotations_are_skipped_with_a_note():
    document, notes = read(SUITE / "testZeroLengthSpansWithFeatureValues" / "reference.xmi")
    assert document.spans == []
    assert notes == [f"skipped 2 {NE} annotation(s) of zero length"]


def test_identical_stacked_annotations_are_merged_with_a_note():
    document, notes = read(SUITE / "testTokenBoundedStackedSpanWithFeatureValue" / "reference.xmi")
    assert len(document.spans) == 5
    assert notes == ["5 duplicate annotation(s) merged"]


def test_custom_span_layers_are_read_with_the_relations_between_them():
    document, notes = read(SUITE / "testSubTokenRelation" / "reference.xmi")
    assert [s.label for s in document.spans] == ["OTH", "OTH"]
    assert [(r.type, r.head, r.tail) for r in document.relations] == [("Relation", 0, 1)]
    assert notes == []


def test_a_custom_layer_without_value_is_labelled_by_its_first_string_feature():
    document, notes = read(PEERS / "mergecas" / "stackedmerge.xmi")
    assert [s.label for s in document.spans] == ["A", "B", "C"]
    assert "layer webanno.custom.Multivalspan: label from its feature 'f1'" in notes


@pytest.mark.parametrize(
    ("case", "note"),
    [
        (
            "testSimpleSlotFeature",
            "skipped 2 webanno.custom.SimpleSpan annotation(s): a span layer without a string "
            "feature to use as the label",
        ),
        (
            "testSimpleChain",
            "skipped 3 webanno.custom.SimpleLink annotation(s): a chain layer "
            "(chains are not imported)",
        ),
        (
            "testDependencyWithValues",
            "skipped 2 de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS annotation(s): "
            "a layer that is not imported (only NamedEntity and custom span layers are)",
        ),
    ],
)
def test_layers_not_read_are_named_in_a_note(case, note):
    document, notes = read(SUITE / case / "reference.xmi")
    assert document.spans == []
    assert note in notes


def test_with_its_type_system_a_custom_layer_keeps_its_declared_features():
    document, notes = read(PEERS / "relation" / "relation_test.xmi")
    assert sorted(s.label for s in document.spans) == ["city", "city", "state", "state"]
    ((kind, head, tail),) = [
        (r.type, document.spans[r.head], document.spans[r.tail]) for r in document.relations
    ]
    assert (kind, head.label, tail.label) == ("located in", "city", "state")
    assert notes == []


XML11 = (
    '<?xml version="1.1" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
    'xmlns:cas="http:///uima/cas.ecore" '
    'xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore" xmi:version="2.0">'
    '<cas:NULL xmi:id="0"/>'
    '<type:NamedEntity xmi:id="2" sofa="1" begin="6" end="12" value="ORG"/>'
    '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" '
    'sofaString="a&#x1;🚀&#27; Baykar&#x1F;\ue000"/>'
    '<cas:View sofa="1" members="2"/></xmi:XMI>'
)


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_xml_1_1_with_control_characters_is_read_as_it_is(tmp_path, bom):
    path = tmp_path / "controls.xmi"
    path.write_text(bom + XML11, "utf-8")
    with Project.create(tmp_path / "p.db") as project:
        report = import_files(project, [path], add_labels=True)
        assert report.stored.spans_added == 1
        (stored,) = project.iter_documents()
        assert stored.text == "a\x01🚀\x1b Baykar\x1f\ue000"
    document, _ = read(path)
    assert spans(document) == [("Baykar", "ORG")]
