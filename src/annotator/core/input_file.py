"""Reading a file a user names: regular files only, never more than a limit, even while reading.

A named pipe is opened without waiting for a writer and refused, a device (/dev/zero) is refused
before it is opened, and a file that grows or states a wrong size (/proc) is refused once more
than the limit was read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import InputError

_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 2**20
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_regular_file(path: Path, limit: int) -> bytes:
    """A regular file's bytes, or InputError when it is not a regular file (a named pipe, a
    device, a socket, or a link to one) or holds more than `limit` bytes; OSError passes, for
    the caller to say what it could not read."""
    refuse_unless_regular(path, os.stat(path))
    fd = os.open(path, os.O_RDONLY | _NO_WAIT)  # no wait for a pipe's writer (swapped in)
    with open(fd, "rb", buffering=0) as stream:
        info = os.fstat(fd)
        refuse_unless_regular(path, info)
        return _read_bounded(path, stream, info.st_size, limit)


def regular_file_lines(path: Path, limit: int) -> Iterator[bytes]:
    """A regular file's lines (each with its b"\\n"), read as they are asked for: the same
    refusals as read_regular_file, the limit checked as the lines come."""
    refuse_unless_regular(path, os.stat(path))
    fd = os.open(path, os.O_RDONLY | _NO_WAIT)
    with open(fd, "rb") as stream:
        info = os.fstat(fd)
        refuse_unless_regular(path, info)
        _refuse_stated_size(path, info.st_size, limit)
        total = 0
        while line := stream.readline(limit + 1 - total):  # never more than the limit at once
            total += len(line)
            _refuse_read_size(path, info.st_size, total, limit)
            yield line


def refuse_unless_regular(path: Path, info: os.stat_result) -> None:
    """InputError `not a regular file (KIND)` unless `info` (a stat result) is a regular file."""
    if not stat.S_ISREG(info.st_mode):
        raise InputError(str(path), None, f"not a regular file ({_kind(info.st_mode)})")


def _read_bounded(path: Path, stream: BinaryIO, size: int, limit: int) -> bytes:
    """At most `limit` bytes from `stream`, refusing a stated `size` or a content beyond it."""
    _refuse_stated_size(path, size, limit)
    chunks: list[bytes] = []
    total, want = 0, size + 1  # one read holds a file of the size it states
    while chunk := stream.read(min(want, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        _refuse_read_size(path, size, total, limit)
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _refuse_stated_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise InputError(str(path), None, f"file of {size:,} bytes is over the {limit:,} limit")


def _refuse_read_size(path: Path, size: int, read: int, limit: int) -> None:
    if read > limit:
        reason = f"file is over the {limit:,} limit (it states {size:,} bytes but holds more)"
        raise InputError(str(path), None, reason)


def _kind(mode: int) -> str:
    """What a non-regular file is, for people."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a file of data"
