"""ANNOTATOR_STARTUP_T0: report the time to the first painted main window, then quit.

For measuring a build (packaging/smoke.py): the launcher puts `time.time()` in the variable just
before it starts the app, so the figure includes the interpreter's (or the bundle's) own start.
"""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)
ENV = "ANNOTATOR_STARTUP_T0"


def watch_from_environment(window: QWidget) -> None:
    """With ANNOTATOR_STARTUP_T0 set, print the seconds to `window`'s first paint, then quit."""
    value = os.environ.get(ENV)
    if not value:
        return
    try:
        t0 = float(value)
    except ValueError:
        log.warning("%s=%r is not a time.time() value; not measuring", ENV, value)
        return

    def probe() -> None:
        handle = window.windowHandle()
        if window.isVisible() and handle is not None and handle.isExposed():
            QApplication.processEvents()  # flush the paint the expose scheduled
            spacy = "imported" if "spacy" in sys.modules else "not imported"
            print(f"first window: {time.time() - t0:.3f} s (spaCy {spacy})", flush=True)
            QApplication.exit(0)
            return
        QTimer.singleShot(1, probe)

    QTimer.singleShot(0, probe)
