"""Whether the desktop app has a screen to open on, asked before Qt is (Qt aborts the process
with a misleading "libxcb-cursor0 is needed" message when no display is set)."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = (
    "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): start "
    "annotator from a desktop session, or use its command line (annotator --help)"
)


def missing_display(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why the app cannot show a window here ("" when it can, or when Qt's platform is chosen
    explicitly with QT_QPA_PLATFORM, e.g. offscreen). Only Linux and BSD need a display server."""
    env = os.environ if environ is None else environ
    if not platform.startswith(("linux", "freebsd", "openbsd")) or env.get("QT_QPA_PLATFORM"):
        return ""
    return "" if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") else NO_DISPLAY
