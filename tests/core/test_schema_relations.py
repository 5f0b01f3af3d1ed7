"""Relation types in schema files: parsed beside the labels, every problem reported with the
file, the line and the relation's number; the default schema's procurement set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.project import Project
from annotator.core.schema import (
    RelationTypeSpec,
    default_relation_types,
    read_schema,
)

LABELS = [{"name": "ACTOR"}, {"name": "PLATFORM"}, {"name": "TOPIC", "kind": "document"}]


def write(tmp_path: Path, relations: object) -> Path:
    """A schema file whose relation objects start on predictable lines (pretty JSON)."""
    path = tmp_path / "schema.json"
    text = json.dumps({"labels": LABELS, "relations": relations}, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def second_relation_line(path: Path) -> int:
    """The line where the second relation object opens."""
    lines = path.read_text(encoding="utf-8").splitlines()
    after = next(n for n, line in enumerate(lines) if '"relations"' in line)
    opening = [n + 1 for n, line in enumerate(lines) if n > after and line.strip() == "{"]
    return opening[1]


def test_default_relation_types_are_the_procurement_set():
    kinds = {kind.name: kind for kind in default_relation_types()}
    assert kinds == {
        "BUYS": RelationTypeSpec(
            "BUYS", "#D55E00", "b", True, ("ACTOR",), ("PLATFORM",), kinds["BUYS"].description
        ),
        "SUPPLIES": RelationTypeSpec(
            "SUPPLIES",
            "#56B4E9",
            "s",
            True,
            ("ACTOR",),
            ("PLATFORM",),
            kinds["SUPPLIES"].description,
        ),
        "PARTNERS_WITH": RelationTypeSpec(
            "PARTNERS_WITH",
            "#CC79A7",
            "p",
            False,
            ("ACTOR",),
            ("ACTOR",),
            kinds["PARTNERS_WITH"].description,
        ),
        "MOTIVATES": RelationTypeSpec(
            "MOTIVATES",
            "#009E73",
            "m",
            True,
            ("MOTIVATION",),
            ("ACTOR",),
            kinds["MOTIVATES"].description,
        ),
    }
    for kind in kinds.values():  # a guideline with an example from procurement news
        assert "Example:" in kind.description and kind.name in kind.description.split("Example:")[1]


def test_relations_are_read_with_the_labels_spelling_and_colours_filled(tmp_path):
    path = write(
        tmp_path,
        [
            {"name": "BUYS", "head": "actor", "tail": ["PLATFORM"], "hotkey": "B"},
            {"name": "ALLIED", "directed": False, "head": ["ACTOR"], "tail": ["ACTOR"]},
            {"name": "ABOUT", "color": "#abc", "description": "anything to anything"},
        ],
    )
    schema = read_schema(path)
    assert [label.name for label in schema.labels] == ["ACTOR", "PLATFORM", "TOPIC"]
    buys, allied, about = schema.relations
    assert (buys.head, buys.tail, buys.hotkey, buys.directed) == (
        ("ACTOR",),
        ("PLATFORM",),
        "b",
        True,
    )
    assert not allied.directed and allied.color != buys.color
    assert (about.color, about.head, about.tail) == ("#AABBCC", (), ())


@pytest.mark.parametrize(
    ("relation", "reason"),
    [
        (
            {"name": "X", "head": ["NOPE"]},
            "relation 2 ('X'): head label 'NOPE' is not a span label",
        ),
        (
            {"name": "X", "tail": ["TOPIC"]},
            "relation 2 ('X'): tail label 'TOPIC' is not a span label",
        ),
        ({"name": "X", "head": [1]}, "relation 2 ('X'): head must be a label name or a list"),
        ({"name": "X", "directed": "yes"}, "relation 2 ('X'): directed must be true or false"),
        ({"name": "X", "hotkey": "b"}, "relation 2 ('X'): hotkey 'b' is used by relation 1"),
        ({"name": "buys"}, "relation 2 ('buys'): name is used by relation 1 ('BUYS')"),
        ({"name": "X", "colour": "#000"}, "relation 2 ('X'): unknown key 'colour'"),
        ({"name": "X", "color": "red"}, "relation 2 ('X'): color 'red' is not #RRGGBB"),
        ({"name": " "}, "relation 2: relation type name is empty"),
        ({"head": ["ACTOR"]}, 'relation 2: missing "name"'),
    ],
)
def test_bad_relation_is_reported_with_file_line_and_item(tmp_path, relation, reason):
    path = write(tmp_path, [{"name": "BUYS", "hotkey": "b"}, relation])
    with pytest.raises(InputError) as info:
        read_schema(path)
    assert info.value.path == str(path)
    assert info.value.line == second_relation_line(path) > 1
    assert info.value.reason.startswith(reason)


def test_relations_must_be_a_list(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"labels": LABELS, "relations": {"BUYS": 1}}), encoding="utf-8")
    with pytest.raises(InputError, match=':1: "relations" must be a list, not an object'):
        read_schema(path)


def test_project_create_stores_the_schema_relation_types(tmp_path):
    path = write(tmp_path, [{"name": "BUYS", "head": ["ACTOR"], "tail": ["PLATFORM"]}])
    schema = read_schema(path)
    with Project.create(tmp_path / "p.db", schema.labels, schema.relations) as project:
        (kind,) = project.relation_types()
    assert (kind.name, kind.head_labels, kind.tail_labels) == ("BUYS", ("ACTOR",), ("PLATFORM",))
