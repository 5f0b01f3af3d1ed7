"""The marker of a folder export lists every file with its SHA-256, written one file at a
time: an export of 100,000 files keeps no table of them in memory."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

from annotator.io.export_target import MARKER, write_marker


def marker_peak(folder: Path, files: int) -> int:
    """The peak of Python allocations writing the marker of `files` files with long names."""
    folder.mkdir()
    for n in range(files):
        name = f"{n:05d}-{'x' * 200}.ann"
        (folder / name).write_bytes(name.encode())
    tracemalloc.start()
    try:
        write_marker(folder, "brat")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_marker_lists_every_file_without_holding_them_all(tmp_path):
    few, many = marker_peak(tmp_path / "few", 30), marker_peak(tmp_path / "many", 3000)
    assert many - few < 256 * 1024  # a table of 3,000 names and digests takes over a megabyte
    (tmp_path / "many" / "sub").mkdir()
    (tmp_path / "many" / "sub" / "é.txt").write_text("é", encoding="utf-8")
    write_marker(tmp_path / "many", "brat")
    recorded = json.loads((tmp_path / "many" / MARKER).read_text(encoding="utf-8"))
    assert recorded["format"] == "brat" and len(recorded["files"]) == 3001
    assert recorded["files"]["sub/é.txt"] == hashlib.sha256("é".encode()).hexdigest()
    name = f"{7:05d}-{'x' * 200}.ann"
    assert recorded["files"][name] == hashlib.sha256(name.encode()).hexdigest()
