"""A relation made by keyboard alone in the real window (issue 20): the caret at "Azerbaijan",
R, B (BUYS: the nearest platform), Enter; the project file holds BUYS Azerbaijan → JF-17C
Thunder and the screen shows its arc in the type's colour above the text."""

from __future__ import annotations

import json

from desktop import NAME, query, wait_until
from PySide6.QtGui import QImage

TEXT = (  # from the seed article, its sentence starting at the caret's first place
    "Azerbaijan's recent agreement with Pakistan to purchase JF-17C Thunder fighter jets and its "
    "participation in Turkey's TF Kaan fifth-generation fighter program. The shift is motivated "
    "by concerns over the reliability of Russian military technology."
)
SPANS = (
    ("Azerbaijan", "ACTOR"),
    ("Pakistan", "ACTOR"),
    ("JF-17C Thunder", "PLATFORM"),
    ("Turkey", "ACTOR"),
    ("TF Kaan", "PLATFORM"),
    ("concerns over the reliability of Russian military technology", "MOTIVATION"),
)


def _project(app):
    spans = [
        {"start": TEXT.index(w), "end": TEXT.index(w) + len(w), "label": lab} for w, lab in SPANS
    ]
    source = app.work / "seed.jsonl"
    source.write_text(json.dumps({"text": TEXT, "annotator": NAME, "spans": spans}) + "\n")
    db = app.work / "project.db"
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db))
    return db


def _relations(db):
    return query(
        db,
        'SELECT t.name, substr(d.text, h.start + 1, h."end" - h.start), '
        'substr(d.text, s.start + 1, s."end" - s.start) FROM relation r '
        "JOIN relation_type t ON t.id = r.type_id JOIN span h ON h.id = r.head_span_id "
        "JOIN span s ON s.id = r.tail_span_id JOIN document d ON d.id = r.document_id",
    )


def _pixels(image: QImage, colour: str) -> int:
    return sum(
        image.pixelColor(x, y).name() == colour
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )


def test_buys_made_by_keyboard_alone_is_stored_and_drawn(app, desktop):
    db = _project(app)
    app.start(["gui", "--db", str(db)])
    buys = query(db, "SELECT color FROM relation_type WHERE name = 'BUYS'")[0][0].lower()
    before = _pixels(QImage(str(desktop.shot("spans-only"))), buys)
    app.click_article()  # the focus (below the text: no span is hit)
    desktop.key("ctrl+Home", "r", "b")
    making = wait_until(  # the relation being made: a dashed arc in BUYS's colour
        lambda: _pixels(QImage(str(desktop.shot("making"))), buys) - before or None,
        "the dashed arc of the relation being made",
    )
    desktop.key("Return")
    wait_until(lambda: _relations(db), "the relation in the project file", 20)
    assert _relations(db) == [("BUYS", "Azerbaijan", "JF-17C Thunder")]
    wait_until(  # the arc drawn solid: more of its colour than the dashes
        lambda: _pixels(QImage(str(desktop.shot("buys-drawn"))), buys) - before > making + 10,
        "the solid arc of the relation made",
    )
    assert app.quit() == 0
