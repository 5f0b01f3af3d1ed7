"""Review of nested spans in a real window: both annotators marked "Azerbaijan's Ministry of
Defense" and, inside it, "Azerbaijan"; the reviewer accepts one candidate after the other and the
gold layer keeps both."""

from __future__ import annotations

import json

from desktop import spans_of, wait_until

TEXT = "Baykar sold TB2 drones to Azerbaijan's Ministry of Defense in 2020."
OUTER = "Azerbaijan's Ministry of Defense"
INNER = "Azerbaijan"


def _two_annotators_nested(app):
    start = TEXT.index(OUTER)
    spans = [
        {"start": start, "end": start + len(OUTER), "label": "ACTOR"},
        {"start": start, "end": start + len(INNER), "label": "ACTOR"},
    ]
    lines = [
        json.dumps({"text": TEXT, "annotator": who, "status": "done", "spans": spans})
        for who in ("bob", "carol")
    ]
    source = app.work / "layers.jsonl"
    source.write_text("\n".join(lines) + "\n")
    db = app.work / "project.db"
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db))
    return db


def test_accepting_nested_candidates_one_by_one_keeps_both_in_gold(app, desktop):
    db = _two_annotators_nested(app)
    app.start(["gui", "--db", str(db)])
    app.menu("r", "r")  # Review → Start Review…
    dialog = desktop.window("^Review$")
    desktop.shot("start-review")
    desktop.focus(dialog)
    desktop.key("Return")
    desktop.gone("^Review$")
    desktop.shot("reviewing")

    app.click_article()
    desktop.key("shift+Return")  # accept the current candidate into gold
    first = wait_until(lambda: spans_of(db, "gold"), "the first gold span", 10)
    desktop.shot("one-accepted")
    desktop.key("shift+Return")  # the next open candidate is current now
    wait_until(lambda: len(spans_of(db, "gold")) == 2, "the second gold span", 10)
    desktop.shot("both-accepted")
    assert sorted(text for _s, _e, text in spans_of(db, "gold")) == [INNER, OUTER], first
    assert app.quit() == 0


def test_f8_works_after_the_start_review_dialog_closes_without_a_click(app, desktop):
    """No window manager gives the focus back when a dialog closes: the app does (issue 17:
    "F8 sometimes does nothing"). F8 and Shift+Enter reach the window with no click first."""
    text = "Baykar sold TB2 drones to Azerbaijan in 2020; Saab met Airbus."
    lines = [
        json.dumps({"text": text, "annotator": who, "spans": [_actor(text, w) for w in words]})
        for who, words in (("bob", ["Baykar", "Saab"]), ("carol", ["Azerbaijan", "Airbus"]))
    ]
    source = app.work / "layers.jsonl"
    source.write_text("\n".join(lines) + "\n")
    db = app.work / "project.db"
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db))
    app.start(["gui", "--db", str(db)])
    app.menu("r", "r")  # Review → Start Review…
    dialog = desktop.window("^Review$")
    desktop.focus(dialog)
    desktop.key("Return")
    desktop.gone("^Review$")
    desktop.shot("review-dialog-closed")
    desktop.key("F8", "F8")  # Baykar is current; then Azerbaijan, then Saab
    desktop.key("shift+Return")
    wait_until(lambda: spans_of(db, "gold"), "F8 and Shift+Enter to reach the window", 10)
    desktop.shot("third-accepted")
    assert [t for _s, _e, t in spans_of(db, "gold")] == ["Saab"]
    assert app.quit() == 0


def _actor(text: str, word: str) -> dict:
    return {"start": text.index(word), "end": text.index(word) + len(word), "label": "ACTOR"}
