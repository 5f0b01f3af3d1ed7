"""Launch to main window shown (< 1 s, spaCy not imported) vs a bare PySide6 empty QMainWindow.

Each launch is a fresh `python -c` process, offscreen. The parent stamps time.time() into
BENCH_T0 just before starting it; the child runs the real entry (`annotator.cli.main(["gui",
"--db", ...])`, i.e. ui.app.run) on a project in a temporary ANNOTATOR_HOME whose settings
name the annotator, and a probe on the event loop reports, once the main window is exposed and
its pending paint is flushed, the seconds since BENCH_T0 and whether spaCy is in sys.modules.
The baseline child shows an empty QMainWindow of the same size with the same probe.
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
from typing import Any

from annotator.core.project import Project
from annotator.io.importer import import_files
from bench import Row
from bench.measure import MIB
from bench.synthetic import write_articles

TARGET_S = 1.0
LAUNCHES = 5
"""Timed launches per side at --scale 1 (after one untimed warm-up each); the median counts."""
ARTICLES = 100
"""Documents in the project at --scale 1; the window opens on the first one."""
TIMEOUT_S = 60

PROBE = """
import json, os, sys, time
T0 = float(os.environ["BENCH_T0"])
STARTED = time.time()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def _hwm():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None

def probe():
    for window in QApplication.topLevelWidgets():
        handle = window.windowHandle()
        if isinstance(window, QMainWindow) and window.isVisible() and handle and handle.isExposed():
            QApplication.processEvents()  # flush the paint the expose scheduled
            shown = time.time() - T0
            print(json.dumps({
                "shown": shown, "interpreter": STARTED - T0, "title": window.windowTitle(),
                "spacy": "spacy" in sys.modules, "modules": len(sys.modules),
                "rss_peak": _hwm(),
            }), flush=True)
            QApplication.exit(0)
            return
    if time.time() - T0 > TIMEOUT:
        print("no main window was exposed", file=sys.stderr, flush=True)
        os._exit(3)
    QTimer.singleShot(1, probe)

app = QApplication(sys.argv)
QTimer.singleShot(0, probe)
"""
OURS = """
from annotator.cli import main
code = main(["gui", "--db", os.environ["BENCH_DB"]])
sys.exit(code)
"""
BASELINE = """
window = QMainWindow()
window.setWindowTitle("baseline")
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""


def run(args: argparse.Namespace) -> list[Row]:
    """Launch each side `LAUNCHES` times (scaled, at least once), alternating; median figures."""
    launches = max(1, round(LAUNCHES * min(args.scale, 1.0)))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = _environment(Path(tmp), max(1, round(ARTICLES * args.scale)), args.seed)
        if launches >= 3:  # warm the page cache and bytecode once, untimed
            _launch(OURS, env), _launch(BASELINE, env)
        ours, base = [], []
        for _ in range(launches):
            ours.append(_launch(OURS, env))
            base.append(_launch(BASELINE, env))

    def row(metric: str, key: str, unit: str, scale: float = 1.0) -> Row:
        return Row(
            metric,
            *(statistics.median(r[key] for r in side) / scale for side in (ours, base)),
            unit,
        )

    shown = statistics.median(r["shown"] for r in ours)
    verdict = "PASS" if shown < TARGET_S else f"FAIL by {shown - TARGET_S:.2f} s"
    spacy = sum(r["spacy"] for r in ours)
    spacy_note = "never" if not spacy else f"IMPORTED in {spacy} of {launches} launches: FAIL"
    rows = [
        row(
            f"launch to main window shown, median of {launches} [< {TARGET_S:g} s: {verdict}]",
            "shown",
            "s",
        ),
        row("launch to first line of the script (interpreter start)", "interpreter", "s"),
        row(f"modules loaded when shown (spaCy imported: {spacy_note})", "modules", "modules"),
    ]
    if all(r["rss_peak"] for r in ours + base):
        rows.append(row("peak RSS when shown", "rss_peak", "MiB", MIB))
    if spacy:
        raise AssertionError(f"spaCy was imported before the window showed: {rows[2].metric}")
    return rows


def _environment(folder: Path, articles: int, seed: int) -> dict[str, str]:
    """A project with `articles` documents, settings naming the annotator, private Qt paths."""
    home = folder / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"annotator_name": "bench"}))
    db = folder / "project.db"
    jsonl = folder / "articles.jsonl"
    write_articles(jsonl, articles, seed=seed)
    with Project.create(db) as project:
        import_files(project, [jsonl], "jsonl")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ANNOTATOR_HOME=str(home),
        BENCH_DB=str(db),
        XDG_CONFIG_HOME=str(folder / "xdg-config"),  # QSettings (window layout) stays private
    )
    env.pop("ANNOTATOR_DB", None)
    return env


def _launch(body: str, env: dict[str, str]) -> dict[str, Any]:
    """Start one child running PROBE + body; its report (the last stdout line) as a dict."""
    code = PROBE.replace("TIMEOUT", str(TIMEOUT_S)) + body
    env = dict(env, BENCH_T0=repr(time.time()))
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S + 30,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"launch exited with {proc.returncode}:\n{proc.stderr.strip()}")
    return json.loads(lines[-1])
