"""Layering, module by module: every module of src/annotator imports only its own layer and the
layers below, Qt only in ui, spaCy only in nlp; and importing any module outside ui loads
neither Qt nor spaCy (the GUI and models load lazily). The same order is import-linter's
`layers` contract in pyproject.toml.
"""

from __future__ import annotations

import json
import subprocess
import sys

from import_graph import Import, all_imports, module_files

LAYERS = ("core", "io", "nlp", "ui", "terminal", "selftest", "cli", "__main__")
"""Bottom to top: a module may import its own layer and those before it."""
QT = ("PySide6", "shiboken6")
SPACY = ("spacy", "thinc", "srsly")
ONLY_IN = {**dict.fromkeys(QT, "ui"), **dict.fromkeys(SPACY, "nlp")}
"""Packages only one layer imports (the others reach them through it)."""


def layer_of(module: str) -> str | None:
    """The layer of one of our modules (cli_*.py siblings are cli); None for the root package."""
    if module == "annotator":
        return None
    name = module.split(".")[1]
    return "cli" if name.startswith("cli_") else name


def broken_rule(found: Import) -> str | None:
    """Why an import breaks the layering, or None when it keeps it."""
    layer = layer_of(found.importer)
    if found.is_ours:
        target = layer_of(found.imported)
        if _rank(target) > _rank(layer):
            return f"{layer or 'the root package'} is below {target}"
        return None
    only = ONLY_IN.get(found.imported.split(".")[0])
    return f"only {only} imports {found.imported}" if only and only != layer else None


def test_every_module_imports_only_its_layer_and_those_below():
    modules = module_files()
    assert {layer_of(m) for m in modules} - {None} == set(LAYERS), "a module outside LAYERS"
    broken = [
        f"{i.importer}:{i.line} imports {i.imported} ({why})"
        for i in all_imports(modules)
        if (why := broken_rule(i))
    ]
    assert not broken, "\n".join(broken)


def test_broken_rule_names_what_a_layer_may_not_import():
    def check(importer, imported):
        return broken_rule(Import(importer, imported, 1, type_checking=False))

    assert check("annotator.io.writers.iob", "annotator.nlp.loading") == "io is below nlp"
    assert check("annotator.core.model", "annotator.cli") == "core is below cli"
    assert check("annotator.cli_train", "annotator.ui.app") is None
    assert check("annotator.nlp.formats", "annotator.io.registry") is None
    assert check("annotator.io.readers.pdf", "spacy.tokens") == "only nlp imports spacy.tokens"
    assert check("annotator.cli", "PySide6.QtWidgets") == "only ui imports PySide6.QtWidgets"
    assert check("annotator.ui.app", "PySide6.QtWidgets") is None
    assert check("annotator.ui.app", "annotator") is None
    assert check("annotator", "annotator.core.model") == "the root package is below core"


IMPORT_EACH = """
import importlib, json, sys
heavy = {"qt": ("PySide6",), "spacy": ("spacy",)}
loaded = []
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    now = [kind for kind, tops in heavy.items() if any(t in sys.modules for t in tops)]
    loaded.append([name, now])
print(json.dumps(loaded))
"""


def test_importing_any_module_loads_qt_only_in_ui_and_spacy_never():
    """One interpreter imports every module in turn, ui last; the first module after which
    Qt or spaCy is loaded is the one that loads it at import time. Left out: `__main__` (it
    runs the command line) and the Alembic scripts, which only Alembic runs."""
    names = sorted((m for m in module_files() if _importable(m)), key=_ui_last)
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, json.dumps(names)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    offenders = []
    for name, loaded in json.loads(done.stdout):
        allowed = {"qt"} if layer_of(name) == "ui" else set()
        if set(loaded) - allowed:
            offenders.append(f"{name} loads {', '.join(sorted(set(loaded) - allowed))}")
            break  # later modules see what this one loaded
    assert not offenders, offenders


def _rank(layer: str | None) -> int:
    """A layer's place from the bottom; the root package (the version) is below them all."""
    return -1 if layer is None else LAYERS.index(layer)


def _importable(module: str) -> bool:
    return module != "annotator.__main__" and ".storage.migrations." not in module


def _ui_last(module: str) -> tuple[bool, str]:
    return layer_of(module) == "ui", module
