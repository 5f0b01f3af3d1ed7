"""The View menu: the article's text size, whether selections snap to whole words, whether
label names are written above the spans, and the theme (system, light, dark), all remembered in
the settings."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication, QMenu

from annotator.core.settings import THEMES, Settings, save_settings
from annotator.ui.article_view import ArticleView
from annotator.ui.theme import apply_theme, text_font


class ViewController(QObject):
    """Zoom, snapping and label tags of one article view, and the app's theme."""

    theme_changed = Signal()

    def __init__(self, article: ArticleView, settings: Settings) -> None:
        super().__init__(article)
        self.article = article
        self.settings = settings
        article.setFont(text_font())
        article.snap_to_words = settings.snap_to_words
        article.set_label_tags(settings.label_tags)
        if settings.font_size:
            font = article.font()
            font.setPointSize(settings.font_size)
            article.setFont(font)

    def zoom_in(self) -> None:
        """Larger text."""
        self.article.zoomIn(1)
        self._remember_font_size()

    def zoom_out(self) -> None:
        """Smaller text."""
        self.article.zoomOut(1)
        self._remember_font_size()

    def zoom_reset(self) -> None:
        """The theme's text size."""
        self.article.setFont(text_font())
        self._remember_font_size()

    def _remember_font_size(self) -> None:
        self.settings.font_size = self.article.font().pointSize()
        save_settings(self.settings)

    def toggle_snap(self, on: bool) -> None:
        """Widen sloppy selections to whole words (or not); the settings file is written only
        when the choice changed (the window ticks the stored choice as it opens)."""
        self.article.snap_to_words = on
        if self.settings.snap_to_words != on:
            self.settings.snap_to_words = on
            save_settings(self.settings)

    def toggle_label_tags(self, on: bool) -> None:
        """Write label names above the spans (or not); saved only when the choice changed."""
        self.article.set_label_tags(on)
        if self.settings.label_tags != on:
            self.settings.label_tags = on
            save_settings(self.settings)

    def fill_theme_menu(self, menu: QMenu) -> None:
        """View → Theme: System, Light, Dark (each with its key: S, L, D), the one in use ticked."""
        menu.clear()
        group = QActionGroup(menu)
        for choice in THEMES:
            action = menu.addAction(f"&{choice.capitalize()}")
            action.setCheckable(True)
            action.setChecked(choice == self.settings.theme)
            group.addAction(action)
            action.triggered.connect(lambda _on=False, c=choice: self.use_theme(c))

    def use_theme(self, choice: str) -> None:
        """Switch the whole app to a theme now, and keep it for the next start."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, choice)
        self.settings.theme = choice
        save_settings(self.settings)
        self.theme_changed.emit()
