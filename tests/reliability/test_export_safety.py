"""Every export writer stays inside the chosen target whatever the titles hold, and never
replaces an existing file or folder unless asked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.io.exporter import export
from annotator.io.writers.registry import WRITERS

PROJECT_FILES = ("project.db", "project.db-wal", "project.db-shm")
HOSTILE_TITLES = [
    "../../escaped",
    "/etc/passwd",
    "..",
    "CON",
    "nul\x00byte",
    "C:\\Windows\\win.ini",
    "~/.bashrc",
    ".hidden",
    "a" * 300,
    "",
]


@pytest.fixture
def hostile(project):
    """Documents whose titles try to name paths outside the export folder."""
    for n, title in enumerate(HOSTILE_TITLES):
        text = f"Document {n}: Baykar sold TB2 drones."
        doc_id = next(iter(project.add_document(text, title=title).documents))
        project.add_span(doc_id, "alice", "ACTOR", text.index("Baykar"), text.index(" sold"))
    return project


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_exports_stay_inside_the_target_and_never_overwrite_unasked(hostile, tmp_path, fmt):
    area = tmp_path / "area"
    area.mkdir()
    out = area / f"export{WRITERS[fmt].suffix}"
    report = export(hostile, fmt, out, layer="alice")
    assert report.documents == len(HOSTILE_TITLES)
    written = tree(area)
    assert written and all(Path(area, name).resolve().is_relative_to(out) for name in written)
    assert {p.name for p in tmp_path.iterdir()} <= {"area", *PROJECT_FILES}
    assert not (tmp_path.parent / "escaped").exists()
    if out.is_dir():
        names = [p.name for p in out.iterdir()]
        assert len(names) == len(set(names))
        assert not any(name.startswith(".") or name.upper().startswith("CON.") for name in names)

    with pytest.raises(InputError, match="exists; choose another name or allow overwriting"):
        export(hostile, fmt, out, layer="alice")
    assert tree(area) == written
    export(hostile, fmt, out, layer="alice", overwrite=True)
    assert set(tree(area)) == set(written)
