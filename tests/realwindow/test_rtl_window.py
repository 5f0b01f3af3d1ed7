"""Span edges in a right-to-left paragraph, as the screen shows them: the bars marking a span's
ends sit at the edges of its highlighted words (issue 17: they were drawn around " signed"
instead of "Azerbaijan" in a mixed Arabic/English paragraph)."""

from __future__ import annotations

import json

from desktop import NAME, wait_until
from PySide6.QtGui import QImage

TEXT = "وقعت أذربيجان Azerbaijan signed a deal مع باكستان لشراء طائرات JF-17C Thunder في 2024."
WORDS = ("Azerbaijan", "باكستان")
ACTOR = "#0072b2"  # the default schema's ACTOR colour: the edge bars are drawn in it
BAR_REACH = 4  # a bar is 2 px wide, just outside the highlighted glyphs


def _project(app):
    spans = [
        {"start": TEXT.index(w), "end": TEXT.index(w) + len(w), "label": "ACTOR"} for w in WORDS
    ]
    source = app.work / "rtl.jsonl"
    source.write_text(json.dumps({"text": TEXT, "annotator": NAME, "spans": spans}) + "\n")
    db = app.work / "project.db"
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db))
    return db


def _runs(xs: list[int]) -> list[tuple[int, int]]:
    """Consecutive x values as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for x in sorted(xs):
        if runs and x == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


def test_span_edges_sit_at_their_words_in_a_right_to_left_paragraph(app, desktop):
    db = _project(app)
    app.start(["gui", "--db", str(db)])
    tint = _tint_colour()

    def painted() -> tuple[QImage, list[int]] | None:
        image = QImage(str(desktop.shot("rtl-paragraph")))
        rows = [y for y in range(0, image.height()) if _xs(image, y, tint)]
        return (image, rows) if rows else None

    image, rows = wait_until(painted, "the highlighted spans on the screen", 20)
    # Glyphs cover part of the tint on any one row: a word's highlight is the union of rows.
    tinted = sorted({x for y in rows for x in _xs(image, y, tint)})
    highlighted = [(a, b) for a, b in _runs(tinted) if b - a >= 10]
    assert len(highlighted) == len(WORDS), highlighted
    around = range(highlighted[0][0] - 20, highlighted[-1][1] + 21)  # the article, not the docks
    middle = rows[len(rows) // 2]
    bars = [x for x in _xs(image, middle, ACTOR) if x in around]
    for first, last in highlighted:
        assert any(first - BAR_REACH <= x < first for x in bars), (first, last, bars)
        assert any(last < x <= last + BAR_REACH for x in bars), (first, last, bars)
    near = [x for x in bars if any(a - BAR_REACH <= x <= b + BAR_REACH for a, b in highlighted)]
    assert near == bars, f"edge bars away from every highlighted word: {set(bars) - set(near)}"
    assert app.quit() == 0


def _xs(image: QImage, y: int, colour: str) -> list[int]:
    return [x for x in range(image.width()) if image.pixelColor(x, y).name() == colour]


def _tint_colour() -> str:
    """The ACTOR highlight as drawn (the light theme's tint of the label colour)."""
    from annotator.ui.theme import highlight_color

    return highlight_color(ACTOR, False).name()
