"""The one guard for Qt virtual overrides (paintEvent, keyPressEvent, data(), eventFilter, ...).

On Python 3.11 an exception escaping a Python override that Qt calls from C++ can abort the
process (PySide6: a built-in's exception inside `highlightBlock` exits with a segfault). Every
override in `ui/` therefore carries `@qt_override(fallback)`: an exception is logged with its
traceback (the log is where a bug report's details come from) and `fallback` is returned to Qt
in its place. tests/ui/test_pyside_guard.py checks that every override is decorated.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
GUARDED = "__qt_override_guarded__"  # set on every guarded method; the guard test looks for it

Method = TypeVar("Method", bound=Callable[..., Any])


def qt_override(fallback: Any = None) -> Callable[[Method], Method]:
    """Decorate a Qt override: an exception is logged and `fallback` returned to Qt instead."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception:
                log.exception("%s.%s failed", type(self).__name__, method.__name__)
                return fallback

        setattr(guarded, GUARDED, True)
        return guarded  # type: ignore[return-value]

    return decorate


def is_guarded(method: object) -> bool:
    """Whether `method` carries the override guard."""
    return bool(getattr(method, GUARDED, False))
