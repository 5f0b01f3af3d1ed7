"""UIMA CAS XMI export (INCEpTION's NamedEntity layer) and import: exact round trips, UTF-16
offsets in the file, dkpro-cassis as an independent consumer, and hostile or broken files."""

from __future__ import annotations

import re
import shutil

import pytest
from cassis import load_cas_from_xmi, load_typesystem
from format_samples import SAMPLES, expected_spans, fill, stored_spans
from lxml import etree

from annotator.core.errors import ImportFailed, InputError
from annotator.core.project import Project
from annotator.io.export_target import MARKER
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.readers.xmi import read_xmi
from annotator.io.registry import detect_format
from annotator.io.writers.xmi import (
    CONTROL_REASON,
    DUPLICATE_REASON,
    NAMED_ENTITY,
    TYPESYSTEM_FILE,
    file_name,
    type_system,
)

XMI = "{http://www.omg.org/XMI}"
OVERLAP = ("Emoji and CRLF", "sells the TB2 🚁 to Kyiv", "MOTIVATION")  # holds TB2, astral


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.fixture
def exported(project, tmp_path):
    """The samples (plus an overlap) exported to a folder; (folder, report, expected spans)."""
    fill(project)
    doc = next(d for d in project.iter_documents() if d.title == OVERLAP[0])
    start = doc.text.index(OVERLAP[1])
    project.add_span(doc.id, "alice", OVERLAP[2], start, start + len(OVERLAP[1]))
    expected = expected_spans() | {(doc.text, start, start + len(OVERLAP[1]), OVERLAP[2])}
    out = tmp_path / "inception"
    return out, export(project, "xmi", out), expected


def test_folder_of_one_xmi_per_document_and_a_type_system(exported):
    out, report, _ = exported
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        MARKER,
        "000001-Emoji-and-CRLF.xmi",
        "000002-Combining-marks.xmi",
        "000003-RTL.xmi",
        "000004-CJK.xmi",
        "000005-No-spans.xmi",
        TYPESYSTEM_FILE,
    ]
    assert report.adjusted == {} and report.dropped == {} and report.files == [out]
    assert file_name(7, 'Türkiye: CON/"x"?*') == "000007-Turkiye-CON-x.xmi"
    assert file_name(8, "🚀 中文") == "000008.xmi"


def test_cassis_reads_the_export_and_covered_texts_match(exported):
    out, _, expected = exported
    ts = load_typesystem(out / TYPESYSTEM_FILE)
    found = set()
    for path in sorted(out.glob("*.xmi")):
        cas = load_cas_from_xmi(path, typesystem=ts)
        for entity in cas.select(NAMED_ENTITY):
            assert entity.get_covered_text() == cas.sofa_string[entity.begin : entity.end]
            found.add((cas.sofa_string, entity.begin, entity.end, entity.value))
    assert found == expected


def test_offsets_in_the_file_are_utf16_units(exported):
    out, _, expected = exported
    root = etree.parse(str(out / "000001-Emoji-and-CRLF.xmi")).getroot()
    sofa = next(el for el in root if el.tag.endswith("Sofa"))
    text = sofa.get("sofaString")
    assert "\r\n" in text and "🚁" in text  # CR kept (as &#13;), emoji as is
    in_file = {
        (int(el.get("begin")), int(el.get("end")), el.get("value"))
        for el in root
        if el.tag.endswith("NamedEntity")
    }
    wanted = {(utf16(t, s), utf16(t, e), lab) for t, s, e, lab in expected if t == text}
    assert in_file == wanted
    assert in_file != {(s, e, lab) for t, s, e, lab in expected if t == text}  # 🚁 counts 2


def test_round_trip_gives_back_the_same_texts_and_offsets(exported, tmp_path):
    out, _, expected = exported
    again = Project.create(tmp_path / "again.db")
    try:
        stored = import_files(again, [out]).stored
        assert (stored.documents_added, stored.spans_added) == (len(SAMPLES), len(expected))
        assert stored_spans(again) == expected
        assert [d.title for d in again.iter_documents()] == [t for t, _, _ in SAMPLES]
    finally:
        again.close()
    assert detect_format(out / "000003-RTL.xmi", b"") == "xmi"


def test_a_single_xmi_without_type_system_still_reads(exported, tmp_path):
    out, _, expected = exported
    alone = tmp_path / "alone.xmi"
    shutil.copy(out / "000004-CJK.xmi", alone)
    (document,) = read_xmi(alone, alone.read_bytes())
    got = {(document.text, s.start, s.end, s.label) for s in document.spans}
    assert got == {span for span in expected if span[0] == document.text}
    assert document.verbatim and document.title == "CJK"


def test_control_characters_become_spaces_and_duplicates_are_kept_once(project, tmp_path):
    text = "Page one.\x0cBaykar sells drones."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    for annotator in ("alice", "bob"):
        project.add_span(doc, annotator, "ACTOR", 10, 16)
    report = export(project, "xmi", tmp_path / "out", layer="all")
    assert report.adjusted == {CONTROL_REASON: 1}
    assert report.dropped == {DUPLICATE_REASON: 1}
    path = next((tmp_path / "out").glob("*.xmi"))
    (document,) = read_xmi(path, path.read_bytes())
    assert document.text == text.replace("\x0c", " ")
    assert [(s.start, s.end, s.label) for s in document.spans] == [(10, 16, "ACTOR")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xmi:XMI [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:NULL xmi:id="0"/>
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" sofaString="&lol9;"/>
<cas:View sofa="1" members=""/>
</xmi:XMI>
"""
EXTERNAL_ENTITY = BILLION_LAUGHS.split(b"<!DOCTYPE")[0] + (
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    + BILLION_LAUGHS.split(b"]>", 1)[1].replace(b"&lol9;", b"&e;")
)
NER_NS = b'xmlns:ner="http:///de/tudarmstadt/ukp/dkpro/core/api/ner/type.ecore"'


def xmi(text: str, *entities: str) -> bytes:
    body = "".join(entities)
    members = " ".join(re.findall(r'xmi:id="(\d+)"', body))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        f'xmlns:cas="http:///uima/cas.ecore" {NER_NS.decode()} xmi:version="2.0">'
        f'<cas:NULL xmi:id="0"/>{body}<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" '
        f'mimeType="text/plain" sofaString="{text}"/>'
        f'<cas:View sofa="1" members="{members}"/></xmi:XMI>'
    ).encode()


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (BILLION_LAUGHS, None, "document type declaration (DTD, entities) is refused"),
        (EXTERNAL_ENTITY, None, "document type declaration (DTD, entities) is refused"),
        (b"<xmi:XMI", 1, "not well-formed XML"),
        (b"", None, "not well-formed XML"),
        (b"just text", 1, "not well-formed XML"),
        (
            xmi(
                "Hi 🚀 there", '<ner:NamedEntity xmi:id="2" sofa="1" begin="4" end="6" value="X"/>'
            ),
            None,
            "an offset does not fall between characters",  # inside the emoji's surrogate pair
        ),
        (
            xmi("Hi there", '<ner:NamedEntity xmi:id="2" sofa="1" begin="5" end="3" value="X"/>'),
            None,
            "NamedEntity annotation at characters 5-3 ends before it starts",
        ),
        (xmi("   "), None, "the CAS has no document text (sofa string)"),
        (
            xmi("Hi", '<ner:NamedEntity xmi:id="2" sofa="1" begin="x" end="2" value="X"/>'),
            None,
            "not a UIMA CAS XMI file",
        ),
    ],
)
def test_bad_files_are_refused_with_path_and_reason(project, tmp_path, content, line, reason):
    (tmp_path / "good.xmi").write_bytes(xmi("Fine text"))
    bad = tmp_path / "bad.xmi"
    bad.write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        import_files(project, [tmp_path])
    (error,) = info.value.errors
    assert (error.path, error.line) == (str(bad), line)
    assert reason in error.reason, error.reason
    assert "Traceback" not in str(info.value) and "lol" not in error.reason
    assert project.count_documents() == 0


def test_a_hostile_or_broken_type_system_is_refused(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.xmi").write_bytes(xmi("Fine text"))
    (folder / TYPESYSTEM_FILE).write_bytes(BILLION_LAUGHS.replace(b"xmi:XMI", b"typeSystem"))
    with pytest.raises(ImportFailed, match=r"TypeSystem\.xml: XML with a document type"):
        import_files(project, [folder])
    (folder / TYPESYSTEM_FILE).write_bytes(b"<typeSystemDescription><types>")
    with pytest.raises(ImportFailed, match=r"TypeSystem\.xml:1: not well-formed XML"):
        import_files(project, [folder])
    assert project.count_documents() == 0


def test_reader_uses_the_type_system_beside_the_file_else_its_own(tmp_path):
    custom = '<custom:Thing xmlns:custom="http:///webanno/custom.ecore" xmi:id="3" sofa="1"/>'
    entity = '<ner:NamedEntity xmi:id="2" sofa="1" begin="3" end="8" value="ACTOR"/>'
    content = xmi("Hi there", entity, custom)
    alone = tmp_path / "alone" / "doc.xmi"
    alone.parent.mkdir()
    alone.write_bytes(content)
    (document,) = read_xmi(alone, content)  # our types; the unknown one is skipped
    assert [(s.start, s.end, s.label) for s in document.spans] == [(3, 8, "ACTOR")]

    beside = tmp_path / "beside" / "doc.xmi"
    beside.parent.mkdir()
    beside.write_bytes(content)
    types = beside.parent / "typesystem.xml"  # any letter case
    ours = type_system().to_xml()
    types.write_text(ours)
    with pytest.raises(InputError, match=r"not a UIMA CAS XMI file: .*webanno.custom.Thing"):
        read_xmi(beside, content)  # that type system knows no Thing: refused, not skipped
    thing = (
        "<typeDescription><name>webanno.custom.Thing</name>"
        "<supertypeName>uima.tcas.Annotation</supertypeName></typeDescription>"
    )
    types.write_text(ours.replace("<types>", "<types>" + thing))
    (document,) = read_xmi(beside, content)  # the changed file is read again
    assert [(s.start, s.end, s.label) for s in document.spans] == [(3, 8, "ACTOR")]


def test_comments_and_stylesheets_outside_the_root_are_dropped_and_the_rest_read_exactly(
    exported, tmp_path
):
    out, _, expected = exported
    outside = b'<!-- licence --><?xml-stylesheet type="text/xsl" href="cas.xsl"?>'
    for path in [*out.glob("*.xmi"), out / TYPESYSTEM_FILE]:
        declaration, rest = path.read_bytes().split(b"?>", 1)
        path.write_bytes(declaration + b"?>" + outside + rest + b"<!-- end --><?done?>")
    again = Project.create(tmp_path / "again.db")
    try:
        import_files(again, [out])
        assert stored_spans(again) == expected
        assert [d.title for d in again.iter_documents()] == [t for t, _, _ in SAMPLES]
    finally:
        again.close()


XINCLUDE = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="secret.txt" parse="text"/>'


@pytest.mark.parametrize("where", ["in the root", "in a feature structure", "in TypeSystem.xml"])
def test_xinclude_is_refused_wherever_it_is(project, tmp_path, where):
    (tmp_path / "secret.txt").write_text("not to be read")
    entity = '<ner:NamedEntity xmi:id="2" sofa="1" begin="0" end="2" value="X"/>'
    if where == "in the root":
        content = xmi("Hi there", entity, XINCLUDE)
    elif where == "in a feature structure":
        content = xmi("Hi there", entity.replace("/>", f">{XINCLUDE}</ner:NamedEntity>"))
    else:
        content = xmi("Hi there", entity)
        types = type_system().to_xml().replace("<types>", f"<types>{XINCLUDE}")
        (tmp_path / TYPESYSTEM_FILE).write_text(types)
    (tmp_path / "doc.xmi").write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        import_files(project, [tmp_path / "doc.xmi"])
    refused = tmp_path / (TYPESYSTEM_FILE if where == "in TypeSystem.xml" else "doc.xmi")
    reason = "XML with XInclude (xi:include) is refused; nothing it points to was read"
    assert str(info.value) == f"{refused}: {reason}"
    assert project.count_documents() == 0
