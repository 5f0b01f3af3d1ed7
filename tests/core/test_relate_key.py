"""The Relate key r is no label's or relation type's hotkey: labelrules, the project, and
schema files refuse it with a clear message, and nothing changes."""

from __future__ import annotations

import json

import pytest

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.labelrules import RELATE_KEY, hotkey_problem
from annotator.core.schema import read_schema

CLASH = "is the Relate key (R starts a relation); choose another key"


@pytest.mark.parametrize("key", ["r", "R"])
def test_labelrules_names_the_relate_key(key):
    assert RELATE_KEY == "r"
    assert hotkey_problem(key) == f"hotkey {key!r} {CLASH}"


@pytest.mark.parametrize(
    "edit",
    [
        lambda p: p.add_label("WEAPON", hotkey="r"),
        lambda p: p.update_label("ACTOR", hotkey="r"),
        lambda p: p.add_relation_type("SELLS", hotkey="r"),
        lambda p: p.update_relation_type("BUYS", hotkey="r"),
    ],
    ids=["add label", "re-key label", "add relation type", "re-key relation type"],
)
def test_the_project_refuses_r_as_a_hotkey_and_changes_nothing(project, edit):
    labels, kinds = project.labels(), project.relation_types()
    with pytest.raises(AnnotatorError, match=CLASH.replace("(", r"\(").replace(")", r"\)")):
        edit(project)
    assert (project.labels(), project.relation_types()) == (labels, kinds)


@pytest.mark.parametrize("section", ["labels", "relations"])
def test_a_schema_file_keying_r_is_refused_at_its_line(tmp_path, section):
    labels = [{"name": "ACTOR", "hotkey": "1"}, {"name": "PLATFORM", "hotkey": "2"}]
    relations = [{"name": "BUYS", "hotkey": "b"}]
    (labels if section == "labels" else relations).append({"name": "SELLS", "hotkey": "R"})
    path = tmp_path / "schema.json"
    text = json.dumps({"labels": labels, "relations": relations}, indent=2)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_schema(path)
    line = text.splitlines().index('      "name": "SELLS",')  # the object opens a line above
    assert (refused.value.path, refused.value.line) == (str(path), line)
    assert f"hotkey 'r' {CLASH}" in refused.value.reason
