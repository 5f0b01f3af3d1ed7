"""Build the standalone app: `python packaging/build_app.py` -> dist/annotator/ (one folder).

Installs the project (not editable: PyInstaller cannot follow editable installs) with its
`packaging` extra into a build venv, runs packaging/annotator.spec, strips debug info from
the compiled modules on Linux (never numpy's OpenBLAS), then prints size and build time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "annotator.spec"
DEFAULT_VENV = ROOT / "build" / "packaging-venv"
DIST = ROOT / "dist"
APP_DIR = DIST / "annotator"
# Never strip these: numpy's OpenBLAS (and other auditwheel-vendored *.libs) stop loading
# ("ELF load command address/offset not page-aligned", tech notes §6).
NEVER_STRIP = ("numpy",)
MIB = 1024 * 1024


def venv_python(venv: Path) -> Path:
    """The interpreter of a venv on this platform."""
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def folder_size(path: Path) -> int:
    """Bytes of every file under a folder (symlinks not followed)."""
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def prepare_venv(venv: Path, extra: list[str], server: bool = False) -> Path:
    """Create the venv if needed and install the project, PyInstaller and any extra packages."""
    python = venv_python(venv)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    extras = "packaging,server" if server else "packaging"
    subprocess.run([*pip, f"{ROOT}[{extras}]", *extra], check=True)
    # --force-reinstall of the project only: the bundle must freeze this checkout's code
    subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    return python


def run_pyinstaller(python: Path, models: list[str], dist: Path) -> None:
    """Run the spec into dist/annotator (work files under build/pyinstaller)."""
    env = dict(os.environ, ANNOTATOR_BUNDLE_MODELS=",".join(models))
    command = [str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(ROOT / "build" / "pyinstaller")]
    subprocess.run([*command, str(SPEC)], check=True, env=env, cwd=ROOT)


def debug_binaries(internal: Path, readelf: str) -> list[Path]:
    """Shared libraries under `internal` that carry DWARF debug info (spaCy's and SQLAlchemy's
    compiled modules, a pyenv libpython), minus NEVER_STRIP and *.libs folders."""
    found = []
    for path in internal.rglob("*.so*"):
        top = path.relative_to(internal).parts[0]
        if path.is_symlink() or not path.is_file() or top in NEVER_STRIP or top.endswith(".libs"):
            continue
        sections = subprocess.run([readelf, "-S", "-W", str(path)], capture_output=True, text=True)
        if ".debug_info" in sections.stdout:
            found.append(path)
    return found


def strip_debug_info(app_dir: Path) -> int:
    """Linux: `strip --strip-debug` the libraries that carry debug info; returns bytes saved."""
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if not sys.platform.startswith("linux") or strip is None or readelf is None:
        return 0
    before = folder_size(app_dir)
    targets = debug_binaries(app_dir / "_internal", readelf)
    if targets:
        subprocess.run([strip, "--strip-debug", *map(str, targets)], check=True)
    return before - folder_size(app_dir)


def main(argv: list[str] | None = None) -> int:
    """Build, then print the figures; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--venv", type=Path, help="build venv, made if new (build/packaging-venv[-server])"
    )
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="NAME",
        help="bundle this spaCy pipeline package (installed into the build venv by --pip)",
    )
    parser.add_argument(
        "--pip",
        action="append",
        default=[],
        metavar="REQ",
        help="also pip-install this into the build venv (e.g. a model wheel's URL)",
    )
    parser.add_argument(
        "--server", action="store_true", help="bundle the PostgreSQL driver (the server extra)"
    )
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (dist)")
    parser.add_argument("--no-strip", action="store_true", help="keep debug info in the .so files")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    # a venv of its own for --server: the spec bundles psycopg whenever the venv has it
    suffix = "-server" if args.server else ""
    venv = args.venv or DEFAULT_VENV.with_name(DEFAULT_VENV.name + suffix)
    python = prepare_venv(venv.resolve(), args.pip, args.server)
    installed = time.perf_counter()
    app_dir = args.dist.resolve() / APP_DIR.name
    run_pyinstaller(python, args.model, args.dist.resolve())
    saved = 0 if args.no_strip else strip_debug_info(app_dir)
    done = time.perf_counter()
    print(f"bundle: {app_dir}")
    size = folder_size(app_dir) / MIB
    print(f"bundle size: {size:.0f} MiB (debug info stripped: {saved / MIB:.0f} MiB)")
    parts = f"venv {installed - began:.0f} s, PyInstaller {done - installed:.0f} s"
    print(f"build time: {done - began:.0f} s ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
