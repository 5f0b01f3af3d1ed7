"""Light, dark or system look (Fusion everywhere), label highlight tints and the reading font.

Highlights are concrete opaque colours, not alpha: a tint blended over the article background
once, here, so overlaps, stripes and gutters show the same colour on every widget and platform.
Each tint is checked against the theme's text colour for WCAG AA contrast (4.5:1) and lightened
(light theme) or darkened (dark theme) further when a bright label colour would fall short.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

THEMES: tuple[str, ...] = ("system", "light", "dark")
MIN_CONTRAST = 4.5  # WCAG 2 AA for body text
LIGHT_BLEND = 0.35  # share of the label colour over white
DARK_BLEND = 0.45  # share of the label colour over the dark base
READING_SCALE = 1.15

LIGHT_BASE, LIGHT_TEXT = "#FFFFFF", "#000000"
DARK_BASE, DARK_TEXT = "#1E1E1E", "#EDEDED"
_DARK_ROLES = {
    QPalette.ColorRole.Window: "#2B2B2B",
    QPalette.ColorRole.WindowText: "#E6E6E6",
    QPalette.ColorRole.Base: DARK_BASE,
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: DARK_TEXT,
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#E6E6E6",
    QPalette.ColorRole.BrightText: "#FF6B6B",
    QPalette.ColorRole.Highlight: "#2F6FB5",
    QPalette.ColorRole.HighlightedText: "#FFFFFF",
    QPalette.ColorRole.Link: "#6CB4F0",
    QPalette.ColorRole.LinkVisited: "#B59BE8",
    QPalette.ColorRole.ToolTipBase: "#2B2B2B",
    QPalette.ColorRole.ToolTipText: "#E6E6E6",
    QPalette.ColorRole.PlaceholderText: "#8C8C8C",
    QPalette.ColorRole.Light: "#4A4A4A",
    QPalette.ColorRole.Midlight: "#3C3C3C",
    QPalette.ColorRole.Mid: "#2E2E2E",
    QPalette.ColorRole.Dark: "#1A1A1A",
    QPalette.ColorRole.Shadow: "#0F0F0F",
}
_DARK_DISABLED = (
    "#7A7A7A",
    (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.HighlightedText,
    ),
)
_FOLLOWER_NAME = "annotator-theme-follower"


def apply_theme(app: QApplication, choice: str) -> None:
    """Use Fusion with a light or dark palette; 'system' follows the OS scheme as it changes."""
    if choice not in THEMES:
        log.warning("unknown theme %r; using 'system'", choice)
        choice = "system"
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    follower = _follower(app)
    follower.choice = choice
    hints = app.styleHints()
    if choice == "system":
        if hasattr(hints, "unsetColorScheme"):  # Qt >= 6.8: stop forcing a scheme
            hints.unsetColorScheme()
        dark = hints.colorScheme() == Qt.ColorScheme.Dark
    else:
        dark = choice == "dark"
        if hasattr(hints, "setColorScheme"):  # Qt >= 6.8: native title bars follow
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    _set_palette(app, dark)


def is_dark(app: QGuiApplication | None = None) -> bool:
    """Whether the current palette is a dark one (light text on a dark base)."""
    palette = (app or QGuiApplication.instance()).palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return text.lightnessF() > base.lightnessF()


def highlight_color(hex_color: str, dark: bool) -> QColor:
    """The opaque tint drawn behind text for a label colour, readable with the theme's text."""
    return QColor(_highlight_hex(QColor(hex_color).name(), dark))


def text_color(dark: bool) -> QColor:
    """The article text colour of a theme (what highlight_color is checked against)."""
    return QColor(DARK_TEXT if dark else LIGHT_TEXT)


def text_font(point_size: float | None = None) -> QFont:
    """The article font: the system's general font, ~1.15x larger, or at `point_size` points."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if point_size:
        font.setPointSizeF(float(point_size))
    elif font.pointSizeF() > 0:
        font.setPointSizeF(round(font.pointSizeF() * READING_SCALE * 2) / 2)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * READING_SCALE))
    return font


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + (0.0722 * channel(color.blue()))
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1 .. 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=256)
def _highlight_hex(color: str, dark: bool) -> str:
    """The blended tint as #rrggbb, backing off towards the base until the contrast holds."""
    label = QColor(color)
    base, text = QColor(DARK_BASE if dark else LIGHT_BASE), text_color(dark)
    share = DARK_BLEND if dark else LIGHT_BLEND
    while True:
        tint = _blend(label, base, share)
        if share <= 0 or contrast_ratio(tint, text) >= MIN_CONTRAST:
            return tint.name()
        share = round(share - 0.01, 2)


def _blend(top: QColor, bottom: QColor, share: float) -> QColor:
    """`share` of `top` over `1 - share` of `bottom`, per sRGB channel, opaque."""
    mix = [
        round(share * t + (1 - share) * b)
        for t, b in zip(top.getRgb()[:3], bottom.getRgb()[:3], strict=True)
    ]
    return QColor(*mix)


def _set_palette(app: QApplication, dark: bool) -> None:
    """Install the dark palette or Fusion's own light one."""
    if dark:
        palette = QPalette()
        for role, value in _DARK_ROLES.items():
            palette.setColor(role, QColor(value))
        disabled, roles = _DARK_DISABLED
        for role in roles:
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    else:
        palette = app.style().standardPalette()
    app.setPalette(palette)


class _SchemeFollower(QObject):
    """Re-applies the palette when the OS switches light/dark while 'system' is chosen."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_FOLLOWER_NAME)
        self.choice = "system"
        self._app = app
        app.styleHints().colorSchemeChanged.connect(self._on_hints_color_scheme_changed)

    def _on_hints_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        try:
            if self.choice == "system":
                _set_palette(self._app, scheme == Qt.ColorScheme.Dark)
        except Exception:
            log.exception("cannot follow the system colour scheme")


def _follower(app: QApplication) -> _SchemeFollower:
    """The app's one scheme follower, created on first use."""
    found = app.findChild(_SchemeFollower, _FOLLOWER_NAME)
    return found if found is not None else _SchemeFollower(app)
