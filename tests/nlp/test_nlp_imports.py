"""Importing any annotator.nlp module must not import spaCy (it loads lazily, in a worker)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import annotator.nlp

MODULES = sorted(f"annotator.nlp.{m.name}" for m in pkgutil.iter_modules(annotator.nlp.__path__))

SCRIPT = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
heavy = sorted(m for m in ("spacy", "thinc", "PySide6") if m in sys.modules)
print(",".join(heavy))
"""


def test_every_nlp_module_imports_without_spacy():
    assert "annotator.nlp.runner" in MODULES and "annotator.nlp.training" in MODULES
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *MODULES], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"loaded at import time: {done.stdout.strip()}"
