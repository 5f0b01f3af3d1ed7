"""atomic_write: the target is replaced only on success, and no temp file is ever left behind."""

from __future__ import annotations

import pytest

from annotator.core.files import atomic_write


def test_success_writes_the_file_with_lf_line_ends(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_write(target) as stream:
        stream.write("first\nsecond ü\n")
        assert not target.exists(), "nothing is visible before the block ends"
    assert target.read_bytes() == "first\nsecond ü\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_success_replaces_an_existing_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with atomic_write(target, encoding="utf-16") as stream:
        stream.write("new\n")
    assert target.read_text(encoding="utf-16") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("error", [ValueError("boom"), KeyboardInterrupt()])
def test_an_exception_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, error):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(type(error)), atomic_write(target) as stream:
        stream.write("half-written")
        raise error
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_an_exception_creates_no_file_where_none_was(tmp_path):
    target = tmp_path / "new.txt"
    with pytest.raises(RuntimeError), atomic_write(target):
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
