"""Coverage-guided fuzzing of one reader with atheris (optional: `pip install atheris`).

    .venv/bin/python tests/reliability/atheris_fuzz.py FORMAT -max_total_time=60

A reader may refuse input only with an AnnotatorError; anything else is a crash that atheris
reports with the input that caused it. Not part of the test run.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["annotator"]):
    from annotator.core.errors import AnnotatorError
    from annotator.io.registry import READERS
    from annotator.nlp.formats import register_formats

register_formats()  # the spacy reader, as the command line has it

SUFFIX = {"brat": ".ann"}


def main() -> None:
    fmt = sys.argv.pop(1)
    reader = READERS[fmt]
    folder = Path(tempfile.mkdtemp(prefix="atheris-"))
    (folder / "doc.txt").write_text("Baykar sold TB2\ndrones to Azerbaijan.", encoding="utf-8")
    path = folder / f"doc{SUFFIX.get(fmt, '.' + fmt)}"

    def one_input(data: bytes) -> None:
        try:
            documents = reader(path, data)
        except AnnotatorError:
            return
        for doc in documents:
            for span in doc.spans:
                if not 0 <= span.start < span.end <= len(doc.text):
                    raise AssertionError(f"span {span} outside a text of {len(doc.text)}")

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
