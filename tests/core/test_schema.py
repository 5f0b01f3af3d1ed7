"""The default schema, the sample articles, and every bad schema file load_schema rejects."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.labelrules import PALETTE
from annotator.core.model import LabelKind
from annotator.core.samples import sample_articles
from annotator.core.schema import LabelSpec, default_schema, load_schema, parse_schema

HEX = re.compile(r"#[0-9A-F]{6}")


def write(tmp_path: Path, text: str, name: str = "schema.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dump(labels: object) -> str:
    """Pretty JSON so that label objects start on predictable lines."""
    return json.dumps({"name": "test", "labels": labels}, indent=2, ensure_ascii=False)


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_schema(path)
    assert info.value.path == str(path)
    return str(info.value).removeprefix(str(path))


# --- default schema and samples -------------------------------------------------------------


def test_default_schema_has_actor_platform_motivation():
    labels = default_schema()
    assert [label.name for label in labels] == ["ACTOR", "PLATFORM", "MOTIVATION"]
    assert [label.hotkey for label in labels] == ["1", "2", "3"]
    assert [label.color for label in labels] == ["#0072B2", "#E69F00", "#009E73"]
    for label in labels:
        assert isinstance(label, LabelSpec)
        assert HEX.fullmatch(label.color)
        assert label.color in PALETTE
        assert label.kind is LabelKind.SPAN
        words = len(label.description.split())
        assert 80 <= words <= 160, (label.name, words)
        assert "Example:" in label.description
        assert "Exclude:" in label.description


def test_default_schema_examples_come_from_the_domain():
    text = {label.name: label.description for label in default_schema()}
    assert "Baykar" in text["ACTOR"] and "Azerbaijan" in text["ACTOR"]
    assert "JF-17C Thunder" in text["PLATFORM"] and "TF Kaan" in text["PLATFORM"]
    assert "concerns over the reliability of Russian military technology" in text["MOTIVATION"]


def test_default_json_is_a_valid_user_schema(tmp_path):
    """The shipped file follows the documented format, so users can copy and edit it."""
    from importlib.resources import files

    text = (files("annotator.resources") / "schemas" / "default.json").read_text("utf-8")
    data = json.loads(text)
    assert data["name"] == "Defence procurement (default)"
    assert load_schema(write(tmp_path, text)) == default_schema()


def test_sample_articles_load_in_index_order():
    samples = sample_articles()
    assert len(samples) == 3
    for title, text in samples:
        assert title and text.startswith(title + "\n")
        words = len(text.split())
        assert 250 <= words <= 460, (title, words)
        assert "\r" not in text and unicodedata.is_normalized("NFC", text)
    assert samples[0][0].startswith("Morocco orders six Embraer C-390")
    joined = "".join(text for _, text in samples)
    for needle in ("Türkiye", "—", "“", "Kopřivnice"):
        assert needle in joined


def test_sample_titles_match_the_index():
    from importlib.resources import files

    folder = files("annotator.resources") / "samples"
    index = json.loads((folder / "index.json").read_text("utf-8"))
    assert [(e["title"]) for e in index] == [title for title, _ in sample_articles()]
    for entry in index:
        first = (folder / entry["file"]).read_text("utf-8").splitlines()[0]
        assert first == entry["title"]


def test_core_schema_imports_no_qt_or_spacy():
    import subprocess

    code = (
        "import annotator.core.schema, annotator.core.samples, sys;"
        " print('PySide6' in sys.modules, 'spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- good user schemas ----------------------------------------------------------------------


def test_bare_list_and_normalisation(tmp_path):
    text = json.dumps(
        [
            {"name": "Person", "color": "#abc", "hotkey": "P"},
            {"name": "Topic", "kind": "document", "hotkey": 4, "description": "What it is about"},
            {"name": "Place"},
        ]
    )
    labels = load_schema(write(tmp_path, text))
    assert labels == [
        LabelSpec("Person", "#AABBCC", "p"),
        LabelSpec("Topic", PALETTE[0], "4", "What it is about", LabelKind.DOCUMENT),
        LabelSpec("Place", PALETTE[1]),
    ]


def test_missing_colours_avoid_colours_used_later_in_the_file(tmp_path):
    text = dump([{"name": "A"}, {"name": "B", "color": "#0072b2"}, {"name": "C", "color": None}])
    assert [label.color for label in load_schema(write(tmp_path, text))] == [
        PALETTE[1],
        "#0072B2",
        PALETTE[2],
    ]


def test_utf8_bom_and_unicode_names_are_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + dump([{"name": "Akteur–Ünternehmen 🚀"}]).encode())
    assert load_schema(path)[0].name == "Akteur–Ünternehmen 🚀"


def test_hotkey_leniencies_of_the_file_format(tmp_path):
    """Files may write digit keys as JSON integers and letter keys in upper case."""
    text = dump([{"name": "A", "hotkey": 9}, {"name": "B", "hotkey": "Z"}, {"name": "C"}])
    assert [label.hotkey for label in load_schema(write(tmp_path, text))] == ["9", "z", None]


def test_schema_does_not_reexport_the_label_rules():
    import annotator.core.schema as schema

    for name in ("PALETTE", "next_color", "MAX_NAME_LENGTH", "sample_articles"):
        assert not hasattr(schema, name), name


# --- bad user schemas: exact messages -------------------------------------------------------

LABEL_2_LINE = 8  # with dump(): '{' of the second label object


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ({"name": "FOO", "color": "#zzz"}, "label 2 ('FOO'): color '#zzz' is not #RRGGBB"),
        ({"name": "FOO", "color": "0072B2"}, "label 2 ('FOO'): color '0072B2' is not #RRGGBB"),
        (
            {"name": "FOO", "color": 255},
            "label 2 ('FOO'): color must be a string like '#0072B2', not a number",
        ),
        (
            {"name": "actor"},
            "label 2 ('actor'): name duplicates label 1 ('ACTOR') (case is ignored)",
        ),
        (
            {"name": "FOO", "hotkey": "1"},
            "label 2 ('FOO'): hotkey '1' is used by label 1 ('ACTOR')",
        ),
        (
            {"name": "FOO", "hotkey": "F1"},
            "label 2 ('FOO'): hotkey 'F1' is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": "0"},
            "label 2 ('FOO'): hotkey '0' is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": "+"},
            "label 2 ('FOO'): hotkey '+' is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": 10},
            "label 2 ('FOO'): hotkey 10 is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": 0},
            "label 2 ('FOO'): hotkey 0 is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": "ä"},
            "label 2 ('FOO'): hotkey 'ä' is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": "AB"},
            "label 2 ('FOO'): hotkey 'AB' is not a single character 1-9 or a-z",
        ),
        (
            {"name": "FOO", "hotkey": [1]},
            "label 2 ('FOO'): hotkey must be a string like 'a' or '1', not a list",
        ),
        (
            {"name": "FOO", "hotkey": True},
            "label 2 ('FOO'): hotkey must be a string like 'a' or '1', not a boolean",
        ),
        (
            {"name": "FOO", "hotkey": 1.0},
            "label 2 ('FOO'): hotkey must be a string like 'a' or '1', not a number",
        ),
        (
            {"name": "FOO", "kind": "entity"},
            "label 2 ('FOO'): kind 'entity' is not span or document",
        ),
        ({"name": "FOO", "kind": 1}, "label 2 ('FOO'): kind 1 is not span or document"),
        (
            {"name": "FOO", "description": ["x"]},
            "label 2 ('FOO'): description must be a string, not a list",
        ),
        (
            {"name": "FOO", "colour": "#000000"},
            "label 2 ('FOO'): unknown key 'colour'"
            " (expected name, color, hotkey, description, kind)",
        ),
        (
            {"name": "FO\x07O"},
            "label 2: label name 'FO\\x07O' contains a control character (U+0007)",
        ),
        (
            {"name": "FOO\nBAR"},
            "label 2: label name 'FOO\\nBAR' contains a control character (U+000A)",
        ),
        (
            {"name": "FOO\u2028"},
            "label 2: label name 'FOO\\u2028' contains a line separator (U+2028)",
        ),
        (
            {"name": "FOO\u200d"},
            "label 2: label name 'FOO\\u200d' contains a format character (U+200D)",
        ),
        ({"name": " =FOO"}, "label 2: label name '=FOO' must start with a letter or digit"),
        (
            {"name": "X" * 65},
            f"label 2: label name '{'X' * 20}'… is longer than 64 characters (65)",
        ),
        ({"name": ""}, "label 2: label name is empty"),
        ({"name": "   "}, "label 2: label name is empty"),  # once trimmed
        ({"color": "#000000"}, 'label 2: missing "name"'),
        ({"name": 7}, "label 2: name must be a string, not a number"),
        ("FOO", 'label 2: expected an object with a "name", got a string'),
    ],
)
def test_bad_label_is_reported_with_its_line(tmp_path, second, reason):
    text = dump([{"name": "ACTOR", "hotkey": "1"}, second])
    assert error_of(tmp_path, text) == f":{LABEL_2_LINE}: {reason}"


def test_escaped_lone_surrogate_in_a_name_is_rejected(tmp_path):
    """Valid UTF-8 can still spell a lone surrogate as a JSON escape."""
    text = '[\n{"name": "A"},\n{"name": "FOO\\ud800"}]'
    assert error_of(tmp_path, text) == (
        ":3: label 2: label name 'FOO\\ud800' contains a lone surrogate (U+D800)"
    )


def test_sixty_four_character_name_is_accepted(tmp_path):
    assert load_schema(write(tmp_path, dump([{"name": "X" * 64}])))[0].name == "X" * 64


def test_label_line_in_a_compact_bare_list(tmp_path):
    text = '[{"name": "A"},\n\n {"name": "B", "kind": "doc"}]'
    assert error_of(tmp_path, text) == ":3: label 2 ('B'): kind 'doc' is not span or document"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", ":1: invalid JSON: Expecting value (column 1)"),
        ('[{"name": "A"}] x', ":1: invalid JSON: Extra data (column 17)"),
        (
            '"ACTOR"',
            ':1: expected an object with a "labels" list, or a list of labels; got a string',
        ),
        ("42", ':1: expected an object with a "labels" list, or a list of labels; got a number'),
        ("null", ':1: expected an object with a "labels" list, or a list of labels; got null'),
        ('{"name": "x"}', ':1: the schema has no "labels" list'),
        ('{"labels": {"name": "A"}}', ':1: "labels" must be a list, not an object'),
        ('{"labels": []}', ":1: the schema has no labels"),
        ("[]", ":1: the schema has no labels"),
        (
            '{"labels": [{"name": "A"}], "version": 2}',
            ":1: unknown key 'version' (expected name, description, labels, relations)",
        ),
        ('{"name": 3, "labels": [{"name": "A"}]}', ':1: "name" must be a string'),
    ],
)
def test_bad_document_is_reported(tmp_path, text, reason):
    assert error_of(tmp_path, text) == reason


def test_json_syntax_error_message_is_exact(tmp_path):
    text = '{\n  "labels": [\n    {"name": "A",}\n  ]\n}'
    assert error_of(tmp_path, text) == (
        ":3: invalid JSON: Expecting property name enclosed in double quotes (column 18)"
    )


def test_unreadable_and_non_utf8_files(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(InputError) as info:
        load_schema(missing)
    assert str(info.value) == f"{missing}: cannot read the schema: No such file or directory"
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'[\n{"name": "Akt\xe9ur"}]')
    with pytest.raises(InputError) as info:
        load_schema(latin)
    assert str(info.value) == f"{latin}:2: the schema is not UTF-8 text"


def test_parse_schema_names_its_source():
    with pytest.raises(InputError) as info:
        parse_schema("[1]", "pasted")
    assert str(info.value) == 'pasted:1: label 1: expected an object with a "name", got a number'


def test_bad_file_changes_nothing(tmp_path):
    text = dump([{"name": "A"}, {"name": "a"}])
    path = write(tmp_path, text)
    with pytest.raises(InputError):
        load_schema(path)
    assert path.read_text(encoding="utf-8") == text
