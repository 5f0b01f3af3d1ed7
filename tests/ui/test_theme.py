"""Theme: palettes, system scheme following, readable highlight tints, reading font, app icon."""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase, QPalette

from annotator.core.labelrules import PALETTE
from annotator.ui.icons import ICON_SIZES, app_icon, icon_bytes
from annotator.ui.theme import (
    apply_theme,
    contrast_ratio,
    highlight_color,
    is_dark,
    text_color,
    text_font,
)


def luminance(color: QColor) -> float:
    """WCAG 2 relative luminance, computed here independently of the module under test."""

    def lin(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(color.red()) + 0.7152 * lin(color.green()) + 0.0722 * lin(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def app(qapp):
    """The test QApplication, its palette restored afterwards."""
    saved = QPalette(qapp.palette())
    yield qapp
    apply_theme(qapp, "system")
    qapp.setPalette(saved)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("color", PALETTE)
def test_text_over_every_highlight_meets_wcag_aa(app, color, dark):
    apply_theme(app, "dark" if dark else "light")
    text = app.palette().color(QPalette.ColorRole.Text)
    assert text == text_color(dark)
    tint = highlight_color(color, dark)
    assert tint.alpha() == 255  # concrete colour, not a translucent one
    assert contrast(tint, text) >= 4.5, (color, tint.name())
    assert contrast_ratio(tint, text) == pytest.approx(contrast(tint, text))
    base = app.palette().color(QPalette.ColorRole.Base)
    assert tint != base and contrast(tint, base) > 1.1  # still visibly a highlight


def test_highlight_is_the_nominal_blend_when_that_is_readable():
    assert highlight_color("#0072B2", False).name() == "#a6cee4"  # 35 % over white
    assert highlight_color("#0072b2", True).name() == "#104461"  # 45 % over #1E1E1E


def test_bright_colour_is_toned_down_on_dark_until_readable():
    nominal = QColor(
        round(0.45 * 0xF0 + 0.55 * 0x1E),
        round(0.45 * 0xE4 + 0.55 * 0x1E),
        round(0.45 * 0x42 + 0.55 * 0x1E),
    )
    assert contrast(nominal, text_color(True)) < 4.5  # yellow at 45 % would fail
    tint = highlight_color("#F0E442", True)
    assert contrast(tint, text_color(True)) >= 4.5
    assert luminance(tint) < luminance(nominal)
    assert tint.red() > tint.blue() and tint.green() > tint.blue()  # still yellowish


def test_highlights_keep_their_hue_order():
    for dark in (False, True):
        blue, orange, green = (highlight_color(c, dark) for c in PALETTE[:3])
        assert blue.blue() > blue.red()
        assert orange.red() > orange.blue()
        assert green.green() > green.red()


def test_explicit_themes(app):
    apply_theme(app, "dark")
    assert app.style().name().lower() == "fusion"
    assert is_dark(app)
    assert app.palette().color(QPalette.ColorRole.Base).name() == "#1e1e1e"
    apply_theme(app, "light")
    assert not is_dark(app)
    assert app.palette().color(QPalette.ColorRole.Base) == QColor("#FFFFFF")


def test_system_theme_follows_scheme_changes(app):
    hints = app.styleHints()
    apply_theme(app, "system")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(app)
    apply_theme(app, "light")  # an explicit choice stops following
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not is_dark(app)
    apply_theme(app, "dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert is_dark(app)


def test_repeated_apply_keeps_one_follower(app):
    from PySide6.QtCore import QObject

    for choice in ("system", "dark", "light", "system"):
        apply_theme(app, choice)
    assert len(app.findChildren(QObject, "annotator-theme-follower")) == 1


def test_unknown_theme_falls_back_to_system(app, caplog):
    with caplog.at_level(logging.WARNING, logger="annotator.ui.theme"):
        apply_theme(app, "purple")
    assert "unknown theme 'purple'" in caplog.text
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(app)


def test_text_font_is_a_larger_general_font(qapp):
    general = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font = text_font()
    assert font.family() == general.family()
    if general.pointSizeF() > 0:
        assert font.pointSizeF() == pytest.approx(general.pointSizeF() * 1.15, abs=0.5)
        assert font.pointSizeF() > general.pointSizeF()
    assert text_font(18).pointSizeF() == 18


def test_app_icon_renders_at_every_size(qapp):
    assert icon_bytes().lstrip().startswith(b"<svg")
    icon = app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert sizes >= set(ICON_SIZES)
    image = icon.pixmap(256, 256).toImage()
    assert image.width() == 256
    assert image.pixelColor(128, 85).name() == "#0072b2"  # the blue highlight bar
    assert image.pixelColor(100, 125).name() == "#e69f00"  # orange
    assert image.pixelColor(100, 195).name() == "#009e73"  # green
    assert image.pixelColor(2, 2).alpha() == 0  # transparent around the page
