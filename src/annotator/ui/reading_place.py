"""Where the reader was in a project: the open document and the text at the top of the article,
remembered per project (QSettings, beside the window layout), so the app reopens there."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QTextCursor

from annotator.ui.article_view import ArticleView

_KEY = "reading_place/{}"


def remember_place(location: str, document_id: int | None, position: int) -> None:
    """Keep `document_id` and the code point `position` at the top of the article."""
    value = [] if document_id is None else [document_id, position]
    QSettings().setValue(_KEY.format(location), value)


def remembered_place(location: str) -> tuple[int, int] | None:
    """The document and top code point remembered for a project, if any."""
    value = QSettings().value(_KEY.format(location), [], type=list)
    try:
        document_id, position = (int(part) for part in value)
    except (TypeError, ValueError):  # nothing kept, or a value from elsewhere
        return None
    return document_id, max(position, 0)


def top_position(article: ArticleView) -> int:
    """The code point shown at the top left of the article."""
    return article.offsets.to_py(article.cursorForPosition(QPoint(0, 0)).position())


def scroll_to_top(article: ArticleView, position: int) -> None:
    """Scroll so that code point `position` is on the article's first visible line."""
    qt = article.offsets.to_qt(min(position, len(article.document_shown.text)))
    cursor = QTextCursor(article.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    article.setTextCursor(cursor)
    article.ensureCursorVisible()  # from below, the target line then lands at the top
    cursor.setPosition(qt)
    article.setTextCursor(cursor)
    article.ensureCursorVisible()
