"""Every Python package under src/annotator is listed in pyproject.toml's `packages`, so the
wheel and the standalone bundle ship it (a new package left out installs a broken app: the
bundle's `--selftest` failed with "No module named 'annotator.nlp.formats'")."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_of_the_source_is_listed_for_the_wheel():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    source = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(source).parts)
        for init in (source / "annotator").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set()
