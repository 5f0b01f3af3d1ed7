"""Scripted benchmarks: each case times our code against a plain baseline and prints the ratio.

Run `python -m bench --help`. A case is a module in `bench/cases/` with `run(args) -> list[Row]`.
"""

from __future__ import annotations

from typing import NamedTuple


class Row(NamedTuple):
    """One measured figure: ours beside the baseline's; `target` is the largest ours/baseline
    ratio we accept (None when the figure is informative only)."""

    metric: str
    ours: float
    baseline: float
    unit: str
    target: float | None = None
