"""Relations in every export and import: each format round-trips them (export, import into a new
project: the same relations by offsets, labels and type), and what each writes has the shape
its peer's own reader takes (brat's parser, cassis, doccano, Label Studio, spaCy, datasets)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from relation_samples import DOCUMENTS, SEED, expected_links, fill_relations, stored_links

from annotator.core.project import Project
from annotator.io.exporter import export
from annotator.io.importer import import_files
from annotator.io.writers.hf_relations import NOT_TAGGED


@pytest.fixture
def filled(project):
    fill_relations(project)
    return project


def round_trip(tmp_path: Path, path: Path) -> set:
    """The relations a new project holds after importing `path` (a file or folder)."""
    with Project.create(tmp_path / "other.db") as other:
        import_files(other, [path], annotator="bob")
        return stored_links(other)


@pytest.mark.parametrize(
    ("fmt", "name", "imported"),
    [
        ("jsonl", "out.jsonl", "out.jsonl"),
        ("prodigy", "out.jsonl", "out.jsonl"),
        ("doccano", "out.jsonl", "out.jsonl"),
        ("labelstudio", "ls", "ls/tasks.json"),
        ("brat", "brat", "brat"),
        ("xmi", "xmi", "xmi"),
        ("spacy", "out.spacy", "out.spacy"),
    ],
)
def test_export_then_import_gives_the_same_relations(filled, tmp_path, fmt, name, imported):
    report = export(filled, fmt, tmp_path / name)
    assert report.relations_per_type == {
        "BUYS": 1,
        "SUPPLIES": 3,
        "PARTNERS_WITH": 1,
        "MOTIVATES": 1,
    }
    assert "relations: BUYS 1, MOTIVATES 1, PARTNERS_WITH 1, SUPPLIES 3" in report.summary()
    assert round_trip(tmp_path, tmp_path / imported) == expected_links()


def test_our_jsonl_names_head_and_tail_by_span_index(filled, tmp_path):
    export(filled, "jsonl", tmp_path / "out.jsonl")
    records = [
        json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    ]
    seed = next(r for r in records if r["text"] == SEED)
    named = {
        (r["type"], seed["spans"][r["head"]]["label"], seed["spans"][r["tail"]]["label"])
        for r in seed["relations"]
    }
    assert named == {
        ("BUYS", "ACTOR", "PLATFORM"),
        ("SUPPLIES", "ACTOR", "PLATFORM"),
        ("PARTNERS_WITH", "ACTOR", "ACTOR"),
        ("MOTIVATES", "MOTIVATION", "ACTOR"),
    }
    assert "relations" not in next(r for r in records if r["text"].startswith("Nothing"))


def test_an_export_without_relations_is_unchanged_by_relation_types(project, tmp_path):
    """Only relations change a format's shape: the same project exported before and after a
    relation is removed again gives the same bytes as one that never had any."""
    doc = next(iter(project.add_document("Baykar sells TB2.", verbatim=True).documents))
    head = project.add_span(doc, "alice", "ACTOR", 0, 6).spans_added[0]
    tail = project.add_span(doc, "alice", "PLATFORM", 13, 16).spans_added[0]
    before = {fmt: _export_bytes(project, tmp_path / "before", fmt) for fmt in _FORMATS}
    project.add_relation(doc, "alice", "BUYS", head, tail)
    with_relation = {fmt: _export_bytes(project, tmp_path / "with", fmt) for fmt in _FORMATS}
    assert all(with_relation[fmt] != before[fmt] for fmt in _FORMATS)
    project.remove_relation(project.relations(doc)[0].id)
    assert {fmt: _export_bytes(project, tmp_path / "after", fmt) for fmt in _FORMATS} == before


_FORMATS = ("jsonl", "doccano", "labelstudio", "brat", "xmi", "hf")


def _export_bytes(project, folder: Path, fmt: str) -> dict[str, bytes]:
    out = folder / fmt
    folder.mkdir(exist_ok=True)
    export(project, fmt, out)
    files = sorted(out.rglob("*")) if out.is_dir() else [out]
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in files
        if p.is_file() and p.name != ".annotator-export.json"
    }


def test_prodigy_relations_point_at_their_spans_last_tokens(filled, tmp_path):
    export(filled, "prodigy", tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    seed = next(json.loads(line) for line in lines if json.loads(line)["text"] == SEED)
    assert seed["_view_id"] == "relations" and seed["answer"] == "accept"
    assert seed["_annotator_id"] == "alice"
    for token in seed["tokens"]:
        assert SEED[token["start"] : token["end"]] == token["text"]
    named = set()
    for relation in seed["relations"]:
        for end, span in (("head", "head_span"), ("child", "child_span")):
            assert relation[end] == relation[span]["token_end"]
            assert relation[span] in seed["spans"]
        head, child = relation["head_span"], relation["child_span"]
        named.add((relation["label"], SEED[head["start"] : head["end"]], child["label"]))
    assert named == {
        ("BUYS", "Azerbaijan", "PLATFORM"),
        ("SUPPLIES", "Pakistan", "PLATFORM"),
        ("PARTNERS_WITH", "Azerbaijan", "ACTOR"),
        ("MOTIVATES", "concerns over Russian reliability", "ACTOR"),
    }


# brat: the shapes brat's server parses (server/src/annotation.py, server/src/projectconfig.py)

_CONF_LINE = re.compile(r"^(\s*)(\S+)(?:\s+(.*))?$")
_CONF_ARGUMENT = re.compile(r"^(\S*?):(\S*)$")


def brat_relations(folder: Path) -> list[tuple[str, str, str, str]]:
    """(document, type, head text, tail text) of every R line, checked as brat checks it: a
    type, exactly two arguments `ROLE:ID` with different roles, each the id of a T line."""
    found = []
    for ann in sorted(folder.glob("*.ann")):
        text = (folder / f"{ann.stem}.txt").read_bytes().decode("utf-8")
        spans = {}
        for line in ann.read_bytes().decode("utf-8").splitlines():
            ident, data, *_ = line.split("\t")
            if ident.startswith("T"):
                kind, offsets = data.split(" ", 1)
                pieces = [tuple(map(int, part.split(" "))) for part in offsets.split(";")]
                spans[ident] = " ".join(text[s:e] for s, e in pieces)
            elif ident.startswith("R"):
                kind, tail = data[: data.index(" ")], data[data.index(" ") :]
                args = [tuple(arg.split(":")) for arg in tail.split()]
                assert len(args) == 2 and args[0][0] != args[1][0], line
                assert all(ident in spans for _, ident in args), line
                found.append((ann.stem, kind, spans[args[0][1]], spans[args[1][1]]))
    return found


def brat_conf_relations(conf: str) -> dict[str, dict[str, list[str]]]:
    """The [relations] section as brat's projectconfig reads it: type -> {key: [types]}."""
    section = conf.split("[relations]\n")[1].split("\n[")[0]
    entities = conf.split("[entities]\n")[1].split("\n[")[0].split()
    read = {}
    for line in section.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent, term, args = _CONF_LINE.match(line).groups()
        assert indent == "" and re.fullmatch(r"[a-zA-Z0-9_-]+", term), line
        arguments = {}
        for argument in (a.strip() for a in args.split(",")):
            key, types = _CONF_ARGUMENT.match(argument).groups()
            arguments[key] = types.split("|") if key[0] != "<" else types.split("-")
        for key in ("Arg1", "Arg2"):
            assert all(t in entities or t == "<ENTITY>" for t in arguments[key]), line
        read[term] = arguments
    return read


def test_brat_writes_r_lines_and_the_relation_types_as_brat_reads_them(filled, tmp_path):
    export(filled, "brat", tmp_path / "brat")
    relations = {(kind, head, tail) for _, kind, head, tail in brat_relations(tmp_path / "brat")}
    assert relations == {
        (kind, head, tail) for _, _, _, links in DOCUMENTS for kind, head, tail in links
    }
    conf = brat_conf_relations((tmp_path / "brat" / "annotation.conf").read_text("utf-8"))
    assert conf == {
        "BUYS": {"Arg1": ["ACTOR"], "Arg2": ["PLATFORM"]},
        "SUPPLIES": {"Arg1": ["ACTOR"], "Arg2": ["PLATFORM"]},
        "PARTNERS_WITH": {"Arg1": ["ACTOR"], "Arg2": ["ACTOR"], "<REL-TYPE>": ["symmetric"]},
        "MOTIVATES": {"Arg1": ["MOTIVATION"], "Arg2": ["ACTOR"]},
    }


def test_a_brat_relation_type_renamed_for_brat_comes_back_under_its_name(project, tmp_path):
    doc = next(iter(project.add_document("Baykar joins Tusaş.", verbatim=True).documents))
    head = project.add_span(doc, "alice", "ACTOR", 0, 6).spans_added[0]
    tail = project.add_span(doc, "alice", "ACTOR", 13, 18).spans_added[0]
    project.add_relation_type("ÜBERNIMMT", head_labels=("ACTOR",), tail_labels=("ACTOR",))
    project.add_relation(doc, "alice", "ÜBERNIMMT", head, tail)
    report = export(project, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text("utf-8")
    assert "UBERNIMMT" in brat_conf_relations(conf)
    assert [kind for _, kind, _, _ in brat_relations(tmp_path / "brat")] == ["UBERNIMMT"]
    assert report.relations_per_type == {"ÜBERNIMMT": 1}
    with Project.create(tmp_path / "other.db") as other:
        import_files(other, [tmp_path / "brat"], add_labels=True)
        assert [r.type for r in other.relations(other.document_ids()[0])] == ["ÜBERNIMMT"]


def test_brat_equivalences_become_pairwise_relations_of_a_symmetric_type(project, tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    text = "Turkey, Azerbaijan and Pakistan train together."
    (folder / "a.txt").write_text(text, "utf-8")
    (folder / "a.ann").write_text(
        "T1\tACTOR 0 6\tTurkey\nT2\tACTOR 8 18\tAzerbaijan\nT3\tACTOR 23 31\tPakistan\n"
        "*\tPARTNERS_WITH T1 T2 T3\n*\tEquiv T3 T1\nR1\tALLY Arg1:T2 Arg2:T3\n",
        "utf-8",
    )
    import_files(project, [folder], annotator="ana", add_labels=True)
    found = {
        (kind, text[h[0] : h[1]], text[t[0] : t[1]]) for _, kind, h, t in stored_links(project)
    }
    assert found == {
        ("PARTNERS_WITH", "Turkey", "Azerbaijan"),
        ("PARTNERS_WITH", "Turkey", "Pakistan"),
        ("PARTNERS_WITH", "Azerbaijan", "Pakistan"),
        ("Equiv", "Turkey", "Pakistan"),  # symmetric: stored earlier span first
        ("ALLY", "Azerbaijan", "Pakistan"),
    }
    assert not project.relation_type("Equiv").directed  # added as brat's equivalences mean
    assert project.relation_type("ALLY").directed


# UIMA XMI: INCEpTION's relation layer, loaded by cassis


def test_xmi_relations_are_an_inception_relation_layer_cassis_loads(filled, tmp_path):
    from cassis import load_cas_from_xmi, load_typesystem

    from annotator.io.writers.xmi import NAMED_ENTITY, RELATION, TYPESYSTEM_FILE

    export(filled, "xmi", tmp_path / "xmi")
    ts = load_typesystem(tmp_path / "xmi" / TYPESYSTEM_FILE)
    layer = ts.get_type(RELATION)
    features = {f.name: f.rangeType.name for f in layer.features}
    assert features == {
        "Governor": NAMED_ENTITY,
        "Dependent": NAMED_ENTITY,
        "value": "uima.cas.String",
    }
    found = set()
    for path in (tmp_path / "xmi").glob("*.xmi"):
        cas = load_cas_from_xmi(path, typesystem=ts)
        for relation in cas.select(RELATION):
            governor, dependent = relation.Governor, relation.Dependent
            assert (relation.begin, relation.end) == (dependent.begin, dependent.end)
            found.add((relation.value, governor.get_covered_text(), dependent.get_covered_text()))
    assert found == {(kind, h, t) for _, _, _, links in DOCUMENTS for kind, h, t in links}


# doccano, Label Studio


def test_doccano_writes_its_relation_extraction_shape(filled, tmp_path):
    export(filled, "doccano", tmp_path / "out.jsonl")
    for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        assert list(record)[:3] == ["entities", "relations", "text"]
        ids = {e["id"] for e in record["entities"]}
        for entity in record["entities"]:  # doccano's SpanLabel
            assert (
                isinstance(entity["id"], int) and 0 <= entity["start_offset"] < entity["end_offset"]
            )
            assert isinstance(entity["label"], str) and entity["label"]
        for relation in record["relations"]:  # doccano's RelationLabel
            assert relation["from_id"] in ids and relation["to_id"] in ids
            assert isinstance(relation["type"], str) and relation["type"]


def test_label_studio_writes_relation_results_and_a_relations_control(filled, tmp_path):
    export(filled, "labelstudio", tmp_path / "ls")
    config = ElementTree.fromstring((tmp_path / "ls" / "label_config.xml").read_text("utf-8"))
    assert [r.get("value") for r in config.find("Relations")] == [
        t.name for t in filled.relation_types()
    ]
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text("utf-8"))
    seed = next(t for t in tasks if t["data"]["text"] == SEED)
    (result,) = [a["result"] for a in seed["annotations"]]
    regions = {r["id"]: r["value"]["text"] for r in result if r["type"] == "labels"}
    relations = {
        (r["labels"][0], regions[r["from_id"]], regions[r["to_id"]], r["direction"])
        for r in result
        if r["type"] == "relation"
    }
    assert relations == {
        ("BUYS", "Azerbaijan", "JF-17C Thunder jets", "right"),
        ("SUPPLIES", "Pakistan", "JF-17C Thunder jets", "right"),
        ("PARTNERS_WITH", "Azerbaijan", "Turkey", "bi"),
        ("MOTIVATES", "concerns over Russian reliability", "Azerbaijan", "right"),
    }


# spaCy, Hugging Face, CoNLL


def test_docbin_keeps_relations_in_user_data(filled, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    export(filled, "spacy", tmp_path / "out.spacy")
    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("en").vocab))
    seed = next(doc for doc in docs if doc.text == SEED)
    sc = {(s.start_char, s.end_char, s.label_) for s in seed.spans["sc"]}
    relations = seed.user_data["relations"]
    assert len(relations) == 4
    for relation in relations:
        assert tuple(relation["head"]) in sc and tuple(relation["tail"]) in sc
    assert "relations" not in next(doc for doc in docs if doc.text.startswith("Nothing")).user_data


def test_hf_records_name_relations_by_their_spans_and_load_with_datasets(filled, tmp_path):
    import datasets

    export(filled, "hf", tmp_path / "out.jsonl")
    loaded = datasets.load_dataset("json", data_files=str(tmp_path / "out.jsonl"))["train"]
    seed = next(r for r in loaded if r["title"] == "Seed")
    spans = seed["spans"]
    named = {
        (
            r["type"],
            " ".join(seed["tokens"][spans[r["head"]]["start"] : spans[r["head"]]["end"]]),
            " ".join(seed["tokens"][spans[r["tail"]]["start"] : spans[r["tail"]]["end"]]),
        )
        for r in seed["relations"]
    }
    assert named == {
        ("BUYS", "Azerbaijan", "JF-17C Thunder jets"),
        ("SUPPLIES", "Pakistan", "JF-17C Thunder jets"),
        ("PARTNERS_WITH", "Azerbaijan", "Turkey"),
        ("MOTIVATES", "concerns over Russian reliability", "Azerbaijan"),
    }


def test_conll_reports_the_relations_it_cannot_hold(filled, tmp_path):
    report = export(filled, "conll", tmp_path / "out.conll")
    assert "6 relations left out (CoNLL cannot hold relations)" in report.summary().splitlines()
    assert not report.relations_per_type


# CSV: a relations table beside the spans table


def test_csv_writes_a_relations_table_beside_the_spans_table(filled, tmp_path):
    import csv

    report = export(filled, "csv", tmp_path / "out.csv")
    table = tmp_path / "out.relations.csv"
    assert report.files == [tmp_path / "out.csv", table]
    with table.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    found = {(row["type"], row["head_text"], row["tail_text"], row["annotator"]) for row in rows}
    assert found == {
        (kind, head, tail, "alice") for _, _, _, links in DOCUMENTS for kind, head, tail in links
    }
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as stream:
        spans = {
            (r["document_id"], r["annotator"], r["label"], r["start"], r["end"])
            for r in csv.DictReader(stream)
        }
    for row in rows:  # each end is a row of the spans table
        for end in ("head", "tail"):
            key = (row["document_id"], row["annotator"], row[f"{end}_label"])
            assert (*key, row[f"{end}_start"], row[f"{end}_end"]) in spans


def test_a_csv_export_without_relations_removes_the_table_an_earlier_one_wrote(filled, tmp_path):
    export(filled, "csv", tmp_path / "out.csv")
    assert (tmp_path / "out.relations.csv").is_file()
    for doc_id in filled.document_ids():
        for relation in filled.relations(doc_id):
            filled.remove_relation(relation.id)
    report = export(filled, "csv", tmp_path / "out.csv", overwrite=True)
    assert report.files == [tmp_path / "out.csv"]
    assert not (tmp_path / "out.relations.csv").exists()


def test_a_csv_export_never_replaces_a_file_it_did_not_write_beside_it(filled, tmp_path):
    from annotator.core.errors import InputError

    mine = tmp_path / "out.relations.csv"
    mine.write_text("my own notes\n", "utf-8")
    with pytest.raises(InputError, match=r"out\.relations\.csv"):
        export(filled, "csv", tmp_path / "out.csv", overwrite=True)
    assert mine.read_text("utf-8") == "my own notes\n" and not (tmp_path / "out.csv").exists()


# Several annotators, and records under a token limit


def test_the_layer_of_all_keeps_each_annotators_relations_apart(project, tmp_path):
    text = "Azerbaijan buys JF-17C jets from Pakistan."
    doc = next(iter(project.add_document(text, verbatim=True).documents))
    ends = {}
    for who in ("alice", "ben"):
        ends[who] = [
            project.add_span(doc, who, label, start, end).spans_added[0]
            for label, start, end in (("ACTOR", 0, 10), ("PLATFORM", 16, 27), ("ACTOR", 33, 41))
        ]
    project.add_relation(doc, "alice", "BUYS", ends["alice"][0], ends["alice"][1])
    project.add_relation(doc, "ben", "SUPPLIES", ends["ben"][2], ends["ben"][1])
    for fmt, name, imported in (
        ("jsonl", "all.jsonl", "all.jsonl"),
        ("labelstudio", "ls", "ls/tasks.json"),
    ):
        export(project, fmt, tmp_path / name, layer="all")
        with Project.create(tmp_path / f"{fmt}.db") as other:
            import_files(other, [tmp_path / imported])
            (other_doc,) = other.document_ids()
            spans = {s.id: text[s.start : s.end] for s in other.spans(other_doc)}
            found = {
                (r.annotator, r.type, spans[r.head], spans[r.tail])
                for r in other.relations(other_doc)
            }
        assert found == {
            ("alice", "BUYS", "Azerbaijan", "JF-17C jets"),
            ("ben", "SUPPLIES", "Pakistan", "JF-17C jets"),
        }, fmt


def test_hf_records_under_a_token_limit_keep_the_relations_inside_them(filled, tmp_path):
    report = export(filled, "hf", tmp_path / "out.jsonl", max_tokens=12)
    records = [
        json.loads(line) for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    ]
    written = 0
    for record in records:
        for relation in record["relations"]:
            head, tail = record["spans"][relation["head"]], record["spans"][relation["tail"]]
            assert head["end"] <= len(record["tokens"]) and tail["end"] <= len(record["tokens"])
            written += 1
    left = report.notes.get(NOT_TAGGED, 0)
    assert left > 0 and written + left == 6
    assert sum(report.relations_per_type.values()) == written


def test_relations_of_a_label_not_exported_are_left_out_and_counted(filled, tmp_path):
    from annotator.io.exporter import LABEL_LEFT_OUT

    report = export(filled, "jsonl", tmp_path / "out.jsonl", labels=["ACTOR"])
    assert report.relations_per_type == {"PARTNERS_WITH": 1}
    assert report.notes[LABEL_LEFT_OUT] == 5
    assert f"5 {LABEL_LEFT_OUT}" in report.summary().splitlines()
