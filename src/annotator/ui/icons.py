"""The app icon, drawn once as SVG in resources/icons and rendered crisp at each standard size.

The SVG goes through Qt's image plugin (imageformats/qsvg) from bytes, so it works whether the
resources are plain files, inside a zip or in a frozen bundle, and needs no QtSvg import.
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QIcon, QImageReader, QPixmap

log = logging.getLogger(__name__)

ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def icon_bytes(name: str = "annotator.svg") -> bytes:
    """The raw contents of an icon shipped in annotator.resources/icons."""
    return (resources.files("annotator.resources") / "icons" / name).read_bytes()


def app_icon() -> QIcon:
    """The application icon at every standard size; a null QIcon (logged) if SVG is unreadable."""
    icon = QIcon()
    try:
        data = QByteArray(icon_bytes())
    except OSError:
        log.warning("the app icon is missing from the installed resources")
        return icon
    for size in ICON_SIZES:
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer, QByteArray(b"svg"))
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if image.isNull():
            log.warning("cannot render the app icon: %s", reader.errorString())
            return QIcon()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon
