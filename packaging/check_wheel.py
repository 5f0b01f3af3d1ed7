"""Check the pip route: `python packaging/check_wheel.py`.

Builds the sdist and the wheel (`python -m build`: the wheel is built from the sdist, so a file
missing from the sdist shows up here), checks that the package data is inside, installs the
wheel into a fresh venv with no dev tools, and runs `annotator --version`, `annotator init`
and `annotator --selftest` from it. Work files go to build/wheel-check (a fresh one each run).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from build_app import venv_python

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "wheel-check"
REQUIRED = (
    "annotator/resources/schemas/default.json",
    "annotator/resources/icons/annotator.svg",
    "annotator/resources/samples/index.json",
    "annotator/resources/desktop/io.github.annotator.Annotator.desktop",
    "annotator/resources/desktop/io.github.annotator.Annotator.metainfo.xml",
    "annotator/core/storage/migrations/env.py",
    "annotator/core/storage/migrations/script.py.mako",
    "annotator/core/storage/migrations/versions/0001_initial_schema.py",
)
DEV_TOOLS = ("pytest", "ruff", "hypothesis", "pyinstaller")
NO_HEAVY_IMPORTS = (
    "import sys, annotator.cli, annotator.core.project, annotator.io.importer; "
    "heavy = [m for m in ('spacy', 'PySide6') if m in sys.modules]; "
    "print('imported at start:', heavy or 'neither spaCy nor PySide6'); sys.exit(bool(heavy))"
)


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run a command, print it with its output and time; raise on a non-zero exit."""
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **options)
    seconds = time.perf_counter() - began
    shown = " ".join([Path(command[0]).name, *command[1:]])
    print(f"$ {shown}  [{seconds:.1f} s]")
    for line in (done.stdout + done.stderr).strip().splitlines()[-12:]:
        print(f"    {line}")
    if done.returncode != 0:
        raise SystemExit(f"FAILED with exit code {done.returncode}")
    return done


def build_tool() -> str:
    """An interpreter with `build` (the packaging extra): this one, else a small tools venv."""
    if importlib.util.find_spec("build") is not None:
        return sys.executable
    tools = venv_python(WORK / "tools")
    run([sys.executable, "-m", "venv", str(tools.parent.parent)])
    run([str(tools), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "build"])
    return str(tools)


def build_dists(out: Path) -> tuple[Path, Path]:
    """The sdist and the wheel, built by `python -m build` in isolated environments."""
    out.mkdir(parents=True)
    done = run([build_tool(), "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out)
    warnings = [
        line.strip()
        for line in (done.stdout + done.stderr).splitlines()
        if "absent from the `packages`" in line or "DeprecationWarning" in line
    ]
    if warnings:
        raise SystemExit("FAILED: setuptools warns:\n" + "\n".join(sorted(set(warnings))))
    return next(out.glob("*.tar.gz")), next(out.glob("*.whl"))


def check_contents(wheel: Path) -> None:
    """Every REQUIRED file is in the wheel, and no test or cache file is."""
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in REQUIRED if name not in names]
    stray = sorted(n for n in names if "__pycache__" in n or n.startswith("tests/"))
    print(f"wheel {wheel.name}: {len(names)} files, {wheel.stat().st_size / 1024:.0f} KiB")
    if missing or stray:
        raise SystemExit(f"FAILED: missing {missing}, stray {stray[:5]}")


def main() -> int:
    """Build, inspect, install into a fresh venv and run the commands; 0 when all pass."""
    shutil.rmtree(WORK, ignore_errors=True)
    sdist, wheel = build_dists(WORK / "dist")
    print(f"sdist {sdist.name}: {sdist.stat().st_size / 1024:.0f} KiB")
    check_contents(wheel)
    venv = WORK / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv_python(venv)
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)])
    listed = run([str(python), "-m", "pip", "list", "--format=freeze"]).stdout.lower()
    present = [tool for tool in DEV_TOOLS if f"\n{tool}==" in f"\n{listed}"]
    if present:
        raise SystemExit(f"FAILED: dev tools installed with the wheel: {present}")
    print("no dev tools in the venv: " + ", ".join(DEV_TOOLS) + " absent")
    annotator = python.with_name("annotator.exe" if sys.platform == "win32" else "annotator")
    with tempfile.TemporaryDirectory() as home:
        env = {**_clean_env(), "ANNOTATOR_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        run([str(annotator), "--version"], env=env)
        run([str(annotator), "init", "--db", str(Path(home) / "x.db")], env=env)
        run([str(python), "-c", NO_HEAVY_IMPORTS], env=env)
        run([str(annotator), "--selftest"], env=env, cwd=home)
    print("wheel check passed")
    return 0


def _clean_env() -> dict[str, str]:
    """This environment without the caller's venv (so nothing leaks into the fresh one)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.pop("ANNOTATOR_DB", None)
    return env


if __name__ == "__main__":
    sys.exit(main())
