"""Worker: run one `annotator` command in this process; its exit code, time and peak RSS; JSON.

Usage: python -m bench.workers.command_peak ARG...   (the arguments of `annotator`)
Exits with the command's exit code.
The command's standard output is discarded (what `docs` or `export` print is not measured
here, only the work); its standard error is passed on. The peak is this process's VmHWM
(bench.measure.peak_rss), interpreter and imports included, as a user's `annotator` run has.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import redirect_stdout

from bench.measure import emit, peak_rss


def main(argv: list[str]) -> None:
    from annotator.cli.main import main as annotator

    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink, redirect_stdout(sink):
        code = annotator(argv)
    emit(code=code, seconds=time.perf_counter() - started, rss_peak=peak_rss())
    raise SystemExit(code)  # a failed command fails the case, with its standard error


if __name__ == "__main__":
    main(sys.argv[1:])
