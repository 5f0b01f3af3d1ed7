"""Writing a file atomically: a temp file beside the target, fsync, then os.replace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "\n"
) -> Iterator[TextIO]:
    """Yield a text stream whose content replaces `path` only if the block ends without error.

    The temp file lives in the target's folder (so os.replace is atomic) and is removed on any
    exception, KeyboardInterrupt and cancellation included; the old file, if any, stays intact.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
