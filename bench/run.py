"""Run benchmark cases and print ours vs baseline: `python -m bench [NAME...] [options]`."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sqlite3
import statistics
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench import Row

CASES_PACKAGE = "bench.cases"
CASES_DIR = Path(__file__).resolve().parent / "cases"


def discover() -> list[str]:
    """The names of all cases (modules in bench/cases), sorted."""
    return sorted(m.name for m in pkgutil.iter_modules([str(CASES_DIR)]) if not m.ispkg)


def summary(name: str) -> str:
    """The first line of a case's docstring."""
    doc = importlib.import_module(f"{CASES_PACKAGE}.{name}").__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; cases read scale, repeat and seed from it."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help="cases to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the default size")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the median is shown")
    parser.add_argument("--seed", type=int, default=0, help="seed for the synthetic data")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slow)"
    )
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.repeat < 1:
        parser.error("--scale must be > 0 and --repeat >= 1")
    unknown = sorted(set(args.names) - set(discover()))
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(discover())}")
    return args


def run_case(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one case `args.repeat` times; each figure is the median of its samples."""
    case = importlib.import_module(f"{CASES_PACKAGE}.{name}")
    runs: list[list[Row]] = []
    started = time.perf_counter()
    for _ in range(args.repeat):
        runs.append(case.run(args))
    rows = []
    for samples in zip(*runs, strict=True):
        first = samples[0]
        ours = statistics.median(r.ours for r in samples)
        baseline = statistics.median(r.baseline for r in samples)
        row = {
            **first._asdict(),
            "ours": ours,
            "baseline": baseline,
            "ratio": ours / baseline if baseline else None,
            "samples": {
                "ours": [r.ours for r in samples],
                "baseline": [r.baseline for r in samples],
            },
        }
        rows.append({**row, "verdict": verdict(row) or None})
    return {"name": name, "rows": rows, "wall_seconds": time.perf_counter() - started}


def number(value: float) -> str:
    """A figure with about three significant digits, thousands separated."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def verdict(row: dict[str, Any]) -> str:
    """'PASS' or 'FAIL' against the row's target ratio, '' when it has none."""
    if row["target"] is None or row["ratio"] is None:
        return ""
    return "PASS" if row["ratio"] <= row["target"] else "FAIL"


def table(result: dict[str, Any]) -> str:
    """A plain-text table of one case's rows: metric, ours, baseline, unit, ratio, verdict."""
    header = ("metric", "ours", "baseline", "unit", "ours/base", "")
    lines = [header] + [
        (
            r["metric"],
            number(r["ours"]),
            number(r["baseline"]),
            r["unit"],
            f"{r['ratio']:.2f}×" if r["ratio"] is not None else "-",
            f"{verdict(r)} (target ≤ {r['target']:g}×)" if verdict(r) else "",
        )
        for r in result["rows"]
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    align = ["<", ">", ">", "<", ">", "<"]
    out = [f"== {result['name']} ({result['wall_seconds']:.1f} s wall)"]
    for line in lines:
        cells = (f"{c:{a}{w}}" for c, a, w in zip(line, align, widths, strict=True))
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the named cases (all by default); exit 1 if any case failed."""
    args = parse_args(argv)
    names = args.names or discover()
    if args.list or (not args.names and not args.json):
        print("cases:")
        for name in discover():
            print(f"  {name:<16} {summary(name)}")
        if args.list:
            return 0
        print()
    results, failed = [], []
    for name in names:
        try:
            result = run_case(name, args)
        except Exception:
            failed.append(name)
            print(f"== {name} FAILED", file=sys.stderr)
            traceback.print_exc()
            continue
        results.append(result)
        if not args.json:
            print(table(result), flush=True)
    if args.json:
        environment = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
        options = {"scale": args.scale, "repeat": args.repeat, "seed": args.seed}
        options["tracemalloc"] = args.tracemalloc
        print(json.dumps({**environment, **options, "cases": results, "failed": failed}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":  # `python bench/run.py NAME`: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
