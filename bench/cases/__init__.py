"""Benchmark cases: every module here exposes `run(args) -> list[bench.Row]`."""
