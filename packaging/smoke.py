"""Smoke test of the built app: `python packaging/smoke.py [--build]`.

Runs the frozen binary in dist/annotator (building it first with --build, or when missing):
`--version`, `--selftest`, a tiny project-model training and the suggestions it makes (spaCy's
registries and model loading, frozen), then times the first window. Prints bundle size and
first-window time against the targets (300 MiB, 2.5 s). Exit 1 when a command fails or the
bundle is too big; a slow first window is reported, not failed (a busy machine is slow).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import build_app

SIZE_TARGET_MIB = 300
WINDOW_TARGET_S = 2.5
LAUNCHES = 3
TIMEOUT_S = 300
TRAINING = [  # (text, [(phrase, label)]): enough for spancat to train a few steps on
    ("Baykar sold TB2 drones to Azerbaijan.", [("Baykar", "ACTOR"), ("TB2", "PLATFORM")]),
    ("Azerbaijan bought the JF-17C Thunder.", [("Azerbaijan", "ACTOR"), ("JF-17C", "PLATFORM")]),
    ("Pakistan and Baykar signed a deal.", [("Pakistan", "ACTOR"), ("Baykar", "ACTOR")]),
    ("The TB2 and the Akinci were shown.", [("TB2", "PLATFORM"), ("Akinci", "PLATFORM")]),
]


def app_binary(app_dir: Path) -> Path:
    """The console executable inside the one-folder bundle."""
    return app_dir / ("annotator.exe" if sys.platform == "win32" else "annotator")


def frozen(binary: Path, env: dict[str, str], *args: str, show: int = 20) -> str:
    """Run the frozen app; print the command, its last lines and time; raise on failure."""
    began = time.perf_counter()
    done = subprocess.run(
        [str(binary), *args], env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    print(f"$ annotator {' '.join(args)}  [{time.perf_counter() - began:.1f} s]")
    for line in done.stdout.strip().splitlines()[-show:]:
        print(f"    {line}")
    if done.returncode != 0:
        print(done.stderr.strip(), file=sys.stderr)
        raise SystemExit(f"FAILED: `annotator {' '.join(args)}` exited with {done.returncode}")
    return done.stdout


def environment(folder: Path) -> dict[str, str]:
    """Offscreen, user paths in `folder`, an annotator name so no dialog asks for one."""
    home = folder / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"annotator_name": "smoke"}))
    env = {k: v for k, v in os.environ.items() if k not in ("ANNOTATOR_DB", "PYTHONPATH")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ANNOTATOR_HOME=str(home),
        XDG_CONFIG_HOME=str(folder / "xdg-config"),  # QSettings (window layout) stays private
    )
    return env


def write_training_jsonl(path: Path) -> Path:
    """Four short documents with ACTOR and PLATFORM spans of annotator 'smoke'."""
    with path.open("w", encoding="utf-8") as out:
        for text, marks in TRAINING:
            spans = [
                {"start": text.index(p), "end": text.index(p) + len(p), "label": label}
                for p, label in marks
            ]
            out.write(json.dumps({"text": text, "spans": spans, "annotator": "smoke"}) + "\n")
    return path


def first_window(binary: Path, env: dict[str, str], db: Path) -> float:
    """Seconds from launch to the painted main window (the app's ANNOTATOR_STARTUP_T0 probe)."""
    env = dict(env, ANNOTATOR_STARTUP_T0=repr(time.time()))
    out = frozen(binary, env, "gui", "--db", str(db), show=1)
    line = next(x for x in out.splitlines() if x.startswith("first window: "))
    return float(line.split()[2])


def main(argv: list[str] | None = None) -> int:
    """Build if asked or needed, run the checks, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build first (packaging/build_app.py)")
    parser.add_argument("--app", type=Path, default=build_app.APP_DIR, help="the one-folder app")
    args = parser.parse_args(argv)
    binary = app_binary(args.app)
    build_seconds = None
    if args.build or not binary.exists():
        began = time.perf_counter()
        build_app.main([])
        build_seconds = time.perf_counter() - began
    with tempfile.TemporaryDirectory(prefix="annotator-smoke-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        version = frozen(binary, env, "--version").strip()
        frozen(binary, env, "--selftest")
        db = folder / "smoke.db"
        frozen(binary, env, "init", "--db", str(db), "--samples")
        jsonl = write_training_jsonl(folder / "t.jsonl")
        frozen(binary, env, "import", str(jsonl), "--db", str(db))
        frozen(binary, env, "train", "--db", str(db), "--layer", "smoke", "--max-steps", "4")
        frozen(binary, env, "suggest", "--db", str(db), "--status")
        frozen(binary, env, "suggest", "--db", str(db))
        first_window(binary, env, db)  # warm-up: page cache, fonts
        times = [first_window(binary, env, db) for _ in range(LAUNCHES)]
    size = build_app.folder_size(args.app) / build_app.MIB
    window = statistics.median(times)
    print(f"\n{version}, {sys.platform}")
    if build_seconds is not None:
        print(f"build time: {build_seconds:.0f} s")
    print(f"bundle size: {size:.0f} MiB (target < {SIZE_TARGET_MIB})")
    runs = ", ".join(f"{t:.2f}" for t in times)
    verdict = "ok" if window < WINDOW_TARGET_S else "SLOW"
    target = f"target < {WINDOW_TARGET_S} s: {verdict}"
    print(f"first window: {window:.2f} s median of {runs} ({target})")
    if size >= SIZE_TARGET_MIB:
        print(f"FAILED: the bundle is over {SIZE_TARGET_MIB} MiB", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
