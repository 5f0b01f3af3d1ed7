"""The type checker: CI runs mypy (after lint-imports), and the config holds core to --strict."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[1]
UNTYPED = "def double(value):\n    return value * 2\n"


def test_ci_runs_mypy_after_lint_imports_and_dev_installs_it():
    steps = [line.split("#")[0].strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert "mypy" in steps, "the CI script does not run the type checker"
    assert steps.index("mypy") == steps.index("lint-imports") + 1
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dev = config["project"]["optional-dependencies"]["dev"]
    assert any(requirement.startswith("mypy") for requirement in dev)


@pytest.mark.parametrize(("package", "refused"), [("core", True), ("io", False)])
def test_an_untyped_function_fails_the_check_in_core_only(tmp_path, package, refused):
    module = tmp_path / "annotator" / package / "probe.py"
    module.parent.mkdir(parents=True)
    for folder in (module.parent.parent, module.parent):
        (folder / "__init__.py").write_text("")
    module.write_text(UNTYPED)
    config = ROOT / "pyproject.toml"
    cache = tmp_path / "cache"
    out, err, status = mypy_api.run(
        ["--config-file", str(config), "--cache-dir", str(cache), str(module)]
    )
    assert err == ""
    assert ("probe.py:1: error" in out and "[no-untyped-def]" in out) is refused, out
    assert status == (1 if refused else 0), out
