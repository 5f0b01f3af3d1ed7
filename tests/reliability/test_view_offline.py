"""The article view shows markup as text: it loads no image, style or page, local or remote."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolTip

from annotator.core.model import Document, Span, SpanSource
from annotator.ui.article_view import ArticleView


def test_the_article_view_never_loads_what_the_text_points_at(qtbot, listener):
    url = listener.url
    text = (
        f'<img src="{url}/i.png"> <link rel="stylesheet" href="{url}/s.css">\n'
        f'<iframe src="{url}/f"></iframe> ![x]({url}/md.png) <img src="file:///etc/hostname">'
    )
    document = Document(1, f'<img src="{url}/title.png">', "", text, "0" * 64)
    span = Span(1, 1, "alice", "ACTOR", 0, 10, SpanSource.MANUAL, "")
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show_document(document, [span], {"ACTOR": QColor("#0072B2")})
    view.show()
    view.grab()  # lay out and paint everything
    assert listener.hits() == 0
    assert view.toPlainText() == text
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            assert not fragments.fragment().charFormat().isImageFormat()
            fragments += 1
        block = block.next()


def test_span_tooltips_show_names_as_text_not_markup(qtbot, listener, monkeypatch):
    label = f'<img src="{listener.url}/l.png">'
    document = Document(1, "t", "", "Baykar sold TB2 drones.", "0" * 64)
    span = Span(1, 1, "<b>bo</b>", label, 0, 6, SpanSource.MANUAL, "")
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show_document(document, [span], {label: QColor("#0072B2")})
    view.show()
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_: shown.append(text))
    cursor = view.textCursor()
    cursor.setPosition(2)
    where = view.viewport().mapToGlobal(view.cursorRect(cursor).center())
    view._show_tooltip(SimpleNamespace(globalPos=lambda: where))
    assert shown == [
        f"<b>&lt;img src=&quot;{listener.url}/l.png&quot;&gt;</b> — &lt;b&gt;bo&lt;/b&gt; (manual)"
    ]
    assert listener.hits() == 0
