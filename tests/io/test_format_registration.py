"""io never imports nlp: the spaCy-backed formats (spacy, conll, hf) are registered from nlp.

Each check runs in a fresh interpreter, since the test session registers them at start-up.
"""

from __future__ import annotations

import subprocess
import sys

WITHOUT_NLP = """
import sys
from annotator.core.errors import AnnotatorError
from annotator.io import exporter, importer
from annotator.io.registry import EXTENSIONS, READERS, UnknownFormatError, reader_for
from annotator.io.writers.registry import WRITERS, writer_for

print(sorted(m for m in sys.modules if m.startswith("annotator.nlp") or m == "spacy"))
print("spacy" in READERS, ".spacy" in EXTENSIONS, sorted({"conll", "hf", "spacy"} & set(WRITERS)))
for lookup, name in ((reader_for, "spacy"), (writer_for, "conll"), (writer_for, "hf")):
    try:
        lookup(name)
    except AnnotatorError as exc:
        print(type(exc).__name__, exc)
"""

THROUGH_THE_CLI = """
import sys
from annotator.cli import main
from annotator.io.registry import READERS, reader_for
from annotator.io.writers.registry import WRITERS

code = main(["init", "--db", sys.argv[1]])
print(code, reader_for("spacy").__module__, [WRITERS[n].name for n in ("conll", "hf", "spacy")])
print(sorted(m for m in sys.modules if m == "spacy"))
"""


def _run(script: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return done.stdout.splitlines()


def test_io_alone_has_no_spacy_formats_and_names_them_as_unknown():
    loaded, registered, *errors = _run(WITHOUT_NLP)
    assert loaded == "[]"
    assert registered == "False False []"
    assert errors[0].startswith('UnknownFormatError unknown format "spacy"; choose one of brat, ')
    assert errors[1].startswith("AnnotatorError unknown export format 'conll' (available: jsonl")
    assert errors[2].startswith("AnnotatorError unknown export format 'hf' (available: jsonl")


def test_the_command_line_registers_the_spacy_formats_without_loading_spacy(tmp_path):
    *_, ran, loaded = _run(THROUGH_THE_CLI, str(tmp_path / "p.db"))
    assert ran == "0 annotator.nlp.formats.docbin_reader ['conll', 'hf', 'spacy']"
    assert loaded == "[]"


def test_registering_a_taken_format_name_is_refused():
    from annotator.io.registry import READERS, register_reader
    from annotator.io.writers.registry import WRITERS, register_writer

    register_reader("spacy", READERS["spacy"], extensions=[".spacy"])  # the same: no-op
    register_writer(WRITERS["conll"])
    for register, taken in (
        (lambda: register_reader("spacy", READERS["txt"]), "import format 'spacy'"),
        (lambda: register_reader("new", READERS["md"], [".txt"]), "extension '.txt'"),
        (lambda: register_writer(type(WRITERS["conll"])(None)), "export format 'conll'"),
    ):
        try:
            register()
        except ValueError as exc:
            assert taken in str(exc)
        else:
            raise AssertionError(f"registered over {taken}")
    assert "new" not in READERS
