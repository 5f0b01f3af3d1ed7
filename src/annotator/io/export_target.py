"""What an export may write to, and what it may replace.

An export writes to a path that does not exist yet, or (folder exports) to an empty folder. With
`overwrite` it also replaces what is recognisably an earlier export of the same format: a file
that starts the way that format's writer starts its files (or an empty file), or a folder that
holds the marker file `MARKER` of an export of that format and nothing but the files the marker
lists, each unchanged (same SHA-256). It never writes to the open project file, its side files
(`-wal`, `-shm`, `-journal`, the app's lock file, schema backups) or a folder that holds it, nor
replaces a symbolic link. Every refusal is an InputError naming the path and the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import InputError
from annotator.io.writers.base import FormatWriter

MARKER = ".annotator-export.json"
"""The file a folder export writes last: its format and every file it wrote, with SHA-256."""
NOT_WRITTEN = "nothing was written"
_HEAD_BYTES = 4096
_MARKER_MAX_BYTES = 256 * 1024 * 1024


def refuse(path: Path, reason: str) -> InputError:
    """The error of a refused target: `PATH: reason; nothing was written`."""
    return InputError(path, None, f"{reason}; {NOT_WRITTEN}")


def check_target(
    out: Path, writer: FormatWriter, *, folder: bool, overwrite: bool, project: Path | None
) -> None:
    """Raise InputError unless `out` may receive this export (see the module docstring)."""
    if not out.name:
        raise refuse(out, "not a file or folder name")
    try:
        if project is not None:
            _check_not_the_project(out, project)
        _check_folder_exists(out.parent)
        if out.is_symlink():
            raise refuse(out, "is a symbolic link; an export does not replace links")
        if not out.exists():
            return
        if folder:
            _check_folder(out, writer.name, overwrite)
        else:
            _check_file(out, writer, overwrite)
    except OSError as exc:  # e.g. an unreadable file in an earlier export
        raise refuse(out, f"cannot be checked: {exc.strerror or exc}") from None


def write_marker(folder: Path, fmt: str) -> None:
    """Write MARKER into a finished folder export: its format and every file's SHA-256, one
    file at a time (an export of 50,000 documents holds 100,000 files: no table of them is
    kept in memory)."""
    with (folder / MARKER).open("w", encoding="utf-8") as stream:
        stream.write(f'{{\n"format": {json.dumps(fmt, ensure_ascii=False)},\n"files": {{')
        separator = "\n"
        for name, path in _files(folder):
            if name == MARKER:
                continue
            stream.write(f'{separator}{json.dumps(name, ensure_ascii=False)}: "{_digest(path)}"')
            separator = ",\n"
        stream.write("\n}\n}")


def _check_folder_exists(folder: Path) -> None:
    """Refuse unless `folder` is a folder: name the part of it that is a file, or say it is
    missing."""
    if folder.is_dir():
        return
    for part in reversed((folder, *folder.parents)):  # from the top down
        if part.is_dir():
            continue
        if part.exists():
            raise refuse(part, "is a file, not a folder" if part.is_file() else "is not a folder")
        break
    raise refuse(folder, "no such folder")


def _check_not_the_project(out: Path, project: Path) -> None:
    where = out.resolve()
    if where == project:
        raise refuse(out, "is the open project file; an export never replaces it")
    if project.is_relative_to(where):
        raise refuse(out, f"holds the open project {project.name}; an export never replaces it")
    side_files = {
        f"{project.name}-wal",
        f"{project.name}-shm",
        f"{project.name}-journal",
        f".{project.name}.lock",
    }
    if where.parent == project.parent and (
        where.name in side_files or where.name.startswith(f"{project.name}.backup-")
    ):
        raise refuse(out, f"belongs to the open project {project.name}; choose another name")


_EXISTS = (
    "exists; choose another name, or overwrite it (--force; in the app, confirm the replacement)"
)


def _check_file(out: Path, writer: FormatWriter, overwrite: bool) -> None:
    if out.is_dir():
        raise refuse(out, "is a folder; choose a file name")
    if not overwrite:
        raise refuse(out, _EXISTS)
    if not out.is_file():
        raise refuse(out, "is not a regular file; an export replaces only an earlier export")
    with out.open("rb") as stream:
        head = stream.read(_HEAD_BYTES)
    if head and not writer.recognises(head):
        raise refuse(
            out,
            f"is not an earlier {writer.name} export, so it is not replaced; "
            "choose another name, or remove it yourself",
        )


def _check_folder(out: Path, fmt: str, overwrite: bool) -> None:
    if not out.is_dir():
        raise refuse(out, "is not a folder; this export writes a folder: choose a folder name")
    if not any(out.iterdir()):
        return  # an empty folder: nothing to lose
    if not overwrite:
        raise refuse(out, _EXISTS)
    problem = _not_an_earlier_export(out, fmt)
    if problem:
        raise refuse(out, f"{problem}, so it is not replaced; choose another folder")


def _not_an_earlier_export(folder: Path, fmt: str) -> str | None:
    """Why `folder` is not an unchanged earlier export of `fmt`, or None when it is one."""
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        return f"not a folder written by an annotator export (no {MARKER})"
    try:
        if marker.stat().st_size > _MARKER_MAX_BYTES:
            raise ValueError
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        made_as, files = recorded["format"], dict(recorded["files"])
    except (ValueError, KeyError, TypeError):
        return f"its {MARKER} is damaged"
    if made_as != fmt:
        return f"an earlier {made_as} export, not {fmt}"
    for name, path in _files(folder):
        if name == MARKER:
            continue
        if path.is_symlink() or not path.is_file():
            return f"holds {name}, which is not a regular file"
        if name not in files:
            return f"holds {name}, which the export did not write"
        if _digest(path) != files[name]:
            return f"{name} was changed after the export"
    return None


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every entry under `folder` that is not a folder (a link to one included), by its
    '/'-separated relative path; read lazily (os.scandir), so a folder of 100,000 files is
    never listed in memory."""
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                else:
                    yield path.relative_to(folder).as_posix(), path


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
