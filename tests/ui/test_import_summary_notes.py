"""The import summary the app shows names what the readers skipped or merged, per file."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from annotator.core.importing import ImportReport
from annotator.io.importer import FileImportReport, FileRead
from annotator.ui.import_controller import import_summary


def test_the_summary_lists_the_notes_of_the_first_files():
    reads = [FileRead(Path(f"/in/{n}.xmi"), 1, 0, [f"skipped {n} relation(s)"]) for n in range(7)]
    reads.append(FileRead(Path("/in/plain.txt"), 1, 0))
    summary = import_summary(FileImportReport(ImportReport(), [], [], reads))
    assert "0.xmi: skipped 0 relation(s)" in summary
    assert "4.xmi: skipped 4 relation(s)" in summary and "5.xmi" not in summary
    assert "… and 2 more files with notes" in summary
    assert "plain.txt" not in summary
