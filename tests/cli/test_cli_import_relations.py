"""`annotator import` of files with relations as a user runs it: peers' relation shapes come in,
and a bad relation (a missing span, an unknown type, labels its type does not allow) stops the
import with `PATH:LINE: reason` and the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import digest, run

TEXT = "Azerbaijan buys JF-17C jets from Pakistan."
SPANS = [
    {"start": 0, "end": 10, "label": "ACTOR"},
    {"start": 16, "end": 27, "label": "PLATFORM"},
    {"start": 33, "end": 41, "label": "ACTOR"},
]


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def stored_relations(db: Path) -> set[tuple[str, str, str, str]]:
    """(annotator, type, head text, tail text) of every relation in the project."""
    from annotator.core.project import Project

    with Project.open(db) as project:
        found = set()
        for doc in project.iter_documents():
            spans = {span.id: span for span in project.spans(doc.id)}
            for relation in project.relations(doc.id):
                head, tail = spans[relation.head], spans[relation.tail]
                found.add(
                    (
                        relation.annotator,
                        relation.type,
                        doc.text[head.start : head.end],
                        doc.text[tail.start : tail.end],
                    )
                )
        return found


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "p.db"
    assert run("init", "--db", path) == 0
    return path


def test_our_prodigys_and_doccanos_relations_are_imported(db, tmp_path, capsys):
    ours = {"text": TEXT, "spans": SPANS, "relations": [{"head": 0, "tail": 1, "type": "BUYS"}]}
    prodigy = {
        "text": TEXT,
        "spans": SPANS,
        "relations": [
            {
                "head": 6,
                "child": 3,
                "head_span": {**SPANS[2], "token_start": 6, "token_end": 6},
                "child_span": {**SPANS[1], "token_start": 2, "token_end": 3},
                "label": "SUPPLIES",
            }
        ],
        "answer": "accept",
        "_annotator_id": "rel-ana",
    }
    doccano = {
        "text": TEXT,
        "entities": [
            {"id": n, "start_offset": s["start"], "end_offset": s["end"], "label": s["label"]}
            for n, s in enumerate(SPANS, start=7)
        ],
        "relations": [{"id": 1, "from_id": 7, "to_id": 9, "type": "PARTNERS_WITH"}],
    }
    source = write_jsonl(tmp_path / "rel.jsonl", ours, prodigy, doccano)
    assert run("import", "--db", db, "--annotator", "ben", source) == 0
    assert f"{source}: 3 document(s), 9 span(s), 3 relation(s)" in capsys.readouterr().out
    assert stored_relations(db) == {
        ("ben", "BUYS", "Azerbaijan", "JF-17C jets"),
        ("ana", "SUPPLIES", "Pakistan", "JF-17C jets"),
        ("ben", "PARTNERS_WITH", "Azerbaijan", "Pakistan"),
    }


@pytest.mark.parametrize(
    ("relation", "reason"),
    [
        (
            {"head": 0, "tail": 3, "type": "BUYS"},
            'relation 1: "tail" 3 is not a span of the record',
        ),
        ({"head": 0, "tail": 1}, 'relation 1: "type" is missing'),
        (
            {"head": 0, "to_id": 1, "from_id": 0, "type": "BUYS"},
            'relation 1: "from_id" 0 is not the id of an entity',
        ),
    ],
)
def test_a_relation_without_its_spans_stops_the_import(db, tmp_path, capsys, relation, reason):
    fine = {"text": TEXT, "spans": SPANS}
    bad = {"text": TEXT, "spans": SPANS, "relations": [relation]}
    source = write_jsonl(tmp_path / "in.jsonl", fine, bad)
    before = digest(db)
    assert run("import", "--db", db, "--add-labels", source) == 1
    err = capsys.readouterr().err
    assert f"{source}:2: {reason}" in err
    assert "Traceback" not in err
    assert digest(db) == before


def test_a_brat_relation_to_a_missing_span_stops_the_import(db, tmp_path, capsys):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, "utf-8")
    ann = folder / "a.ann"
    ann.write_text("T1\tACTOR 0 10\tAzerbaijan\nR1\tBUYS Arg1:T1 Arg2:T2\n", "utf-8")
    before = digest(db)
    assert run("import", "--db", db, folder) == 1
    assert f"{ann}:2: R1: links T2, which this file does not have" in capsys.readouterr().err
    assert digest(db) == before


def test_an_unknown_relation_type_is_refused_unless_add_labels(db, tmp_path, capsys):
    record = {"text": TEXT, "spans": SPANS, "relations": [{"head": 0, "tail": 2, "type": "ALLY"}]}
    source = write_jsonl(tmp_path / "in.jsonl", record)
    before = digest(db)
    assert run("import", "--db", db, source) == 1
    err = capsys.readouterr().err
    assert "relation types this project does not have: 'ALLY'" in err and f"{source}:1" in err
    assert digest(db) == before
    assert run("import", "--db", db, "--add-labels", source) == 0
    assert stored_relations(db) == {("import", "ALLY", "Azerbaijan", "Pakistan")}


def test_a_relation_its_type_does_not_allow_is_refused(db, tmp_path, capsys):
    backwards = {"head": 1, "tail": 0, "type": "BUYS"}  # PLATFORM buys ACTOR
    record = {"text": TEXT, "spans": SPANS, "relations": [backwards]}
    source = write_jsonl(tmp_path / "in.jsonl", record)
    before = digest(db)
    assert run("import", "--db", db, source) == 1
    err = capsys.readouterr().err
    assert f"{source}:1:" in err and "BUYS" in err and "Traceback" not in err
    assert digest(db) == before


def test_a_brat_relation_its_type_does_not_allow_is_named_by_its_ann_line(db, tmp_path, capsys):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, "utf-8")
    ann = folder / "a.ann"
    ann.write_text(
        "T1\tACTOR 0 10\tAzerbaijan\nT2\tPLATFORM 16 27\tJF-17C jets\n"
        "R1\tBUYS Arg1:T1 Arg2:T2\nR2\tBUYS Arg1:T2 Arg2:T1\n",
        "utf-8",
    )
    before = digest(db)
    assert run("import", "--db", db, folder) == 1
    err = capsys.readouterr().err
    assert f"{ann}:4: relation 2: BUYS does not link PLATFORM → ACTOR" in err
    assert f"{ann}:3:" not in err and "Traceback" not in err
    assert digest(db) == before


TSV = (
    "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Entity|value\n"
    "#T_RL=webanno.custom.Link|value|BT_webanno.custom.Entity\n\n\n"
    "#Text=Azerbaijan buys JF-17C jets from Pakistan.\n"
    "1-1\t0-10\tAzerbaijan\tACTOR\t_\t_\n"
    "1-2\t11-15\tbuys\t_\t_\t_\n"
    "1-3\t16-22\tJF-17C\tPLATFORM[3]\tBUYS|SUPPLIES\t1-1[0_3]|1-6[0_3]\n"
    "1-4\t23-27\tjets\tPLATFORM[3]\t_\t_\n"
    "1-5\t28-32\tfrom\t_\t_\t_\n"
    "1-6\t33-41\tPakistan\tACTOR\tALLY\t1-1\n"
    "1-7\t41-42\t.\t_\t_\t_\n"
)


def test_webanno_tsv_relations_are_imported_and_unknown_types_need_add_labels(db, tmp_path, capsys):
    source = tmp_path / "inception.tsv"
    source.write_text(TSV, "utf-8")
    before = digest(db)
    assert run("import", "--db", db, source) == 1
    assert "relation types this project does not have: 'ALLY'" in capsys.readouterr().err
    assert digest(db) == before
    assert run("import", "--db", db, "--add-labels", source) == 0
    assert stored_relations(db) == {
        ("import", "BUYS", "Azerbaijan", "JF-17C jets"),
        ("import", "SUPPLIES", "Pakistan", "JF-17C jets"),
        ("import", "ALLY", "Azerbaijan", "Pakistan"),
    }
