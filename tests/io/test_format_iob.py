"""spaCy's `.iob` files (sentence per line with `|`, or token per line) read as spaCy reads them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.io.importer import import_files
from annotator.io.registry import detect_format

PEERS = Path(__file__).parents[1] / "data" / "peers" / "spacy"
SPACY_EXAMPLES = sorted(PEERS.glob("*.iob"))


def spacy_entities(path: Path) -> list[tuple[str, str]]:
    """The entities spaCy's own `spacy convert` converters find in the file (text, label)."""
    from spacy.training.converters import conll_ner_to_docs, iob_to_docs

    text = path.read_text("utf-8")
    first = next(line for line in text.splitlines() if line and "DOCSTART" not in line)
    pipes = all("|" in field for field in first.split())
    convert = iob_to_docs if pipes else conll_ner_to_docs
    docs = convert(text, n_sents=10, no_print=True)
    return [(ent.text, ent.label_) for doc in docs for ent in doc.ents]


def imported_entities(project: Project) -> list[tuple[str, str]]:
    found = []
    for doc in project.iter_documents():
        spans = sorted(project.spans(doc.id), key=lambda span: span.start)
        found += [(doc.text[span.start : span.end], span.label) for span in spans]
    return found


def run(*argv: object) -> int:
    return main([str(a) for a in argv])


def test_spacy_examples_are_all_present():
    assert [path.name for path in SPACY_EXAMPLES] == [
        "ner-sent-per-line.iob",
        "ner-token-per-line-conll2003.iob",
        "ner-token-per-line-with-pos.iob",
        "ner-token-per-line.iob",
    ]


@pytest.mark.parametrize("path", SPACY_EXAMPLES, ids=lambda path: path.name)
def test_spacy_example_gives_the_entities_spacy_convert_gives(project, path):
    assert detect_format(path, path.read_bytes()) == "conll"
    import_files(project, [path], add_labels=True)
    expected = spacy_entities(path)
    assert len(expected) == 7
    assert imported_entities(project) == expected


def test_sentence_per_line_keeps_sentences_and_tokens(project, tmp_path):
    path = tmp_path / "two.iob"
    path.write_text("I|PRP|O like|VBP|O London|NNP|B-GPE .|.|O\nNew|B-GPE York|L-GPE\n", "utf-8")
    import_files(project, [path], add_labels=True)
    (doc,) = project.iter_documents()
    assert doc.text == "I like London .\nNew York"
    assert imported_entities(project) == [("London", "GPE"), ("New York", "GPE")]


@pytest.mark.parametrize(
    "tags",
    [
        "O B-GPE I-GPE O I-ORG I-ORG B-ORG",  # IOB1: an I- after O starts a span
        "B-GPE L-GPE U-ORG B-ORG I-ORG L-ORG O U-PER",  # BILUO
        "B-GPE I-GPE I-ORG L-ORG U-GPE I-GPE",  # BILUO quirks spaCy accepts
    ],
)
def test_tag_schemes_are_read_as_spacy_iob_to_biluo_reads_them(project, tmp_path, tags):
    from spacy.training import iob_to_biluo, tags_to_entities

    tag_list = tags.split()
    words = [f"w{n}" for n in range(len(tag_list))]
    path = tmp_path / "tags.iob"
    path.write_text(" ".join(f"{w}|{t}" for w, t in zip(words, tag_list, strict=True)), "utf-8")
    import_files(project, [path], add_labels=True)
    expected = [
        (" ".join(words[start : end + 1]), label)
        for label, start, end in tags_to_entities(iob_to_biluo(tag_list))
    ]
    assert imported_entities(project) == expected


def test_detection_of_iob_by_extension():
    assert detect_format(Path("x.iob"), b"When|WRB|O Sebastian|NNP|B-PERSON\n") == "conll"
    assert detect_format(Path("x.IOB"), b"When O\n") == "conll"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("A|O\nB|NN|O C|O\n", 2, "expected 3 |-separated fields as on line 2, found 2 in 'C|O'"),
        ("A|O B|O\nC|O D\n", 2, "expected word|TAG or word|POS|TAG, got 'D'"),
        ("A|O B|O\nC|O D|\n", 2, "expected word|TAG or word|POS|TAG, got 'D|'"),
        ("A|O B|X-ORG\n", 1, "invalid tag 'X-ORG' (expected O, or B-, I-, L- or U- and a label)"),
        ("A|O\n\nB|E-ORG\n", 3, "invalid tag 'E-ORG'"),
    ],
)
def test_bad_iob_lines_name_the_line_and_leave_the_project_unchanged(
    tmp_path, capsys, content, line, reason
):
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    path = tmp_path / "bad.iob"
    path.write_text(content, "utf-8")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert run("import", "--db", db, "--add-labels", path) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}: {reason}" in err
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_folder_of_iob_and_train_files_with_format_conll(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    example = PEERS / "ner-sent-per-line.iob"  # the four examples hold the same text
    (folder / example.name).write_bytes(example.read_bytes())
    (folder / "eng.train").write_text("-DOCSTART- -X- -X- O\n\nKyiv NNP B-NP B-LOC\n", "utf-8")
    (folder / "eng.testa").write_text("Ankara B-LOC\nsells O\n", "utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, "--add-labels", "--format", "conll", folder) == 0
    out = capsys.readouterr().out
    assert "read 3 file(s): 3 new document(s)" in out and "9 span(s) added" in out
    with Project.open(db) as project:
        sources = sorted(Path(doc.source).name for doc in project.iter_documents())
    assert "eng.train" in sources and "eng.testa" in sources


def test_folder_under_auto_takes_iob_but_not_the_vague_train_extension(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.iob").write_text("Kyiv|B-LOC sells|O\n", "utf-8")
    (folder / "eng.train").write_text("Ankara B-LOC\n", "utf-8")
    db = tmp_path / "p.db"
    assert run("init", "--db", db) == 0
    assert run("import", "--db", db, "--add-labels", folder) == 0
    assert "read 1 file(s): 1 new document(s)" in capsys.readouterr().out
