"""Suggestions through the menus: Suggest for All Documents, and Accept All in a 400,000-character
article (its progress dialog if it takes over 300 ms), with the window answering keys and closing
cleanly afterwards."""

from __future__ import annotations

import json
import time

from bench.article_data import news_text
from bench.synthetic import ACTORS
from desktop import NAME, query, spans_of, wait_until

LONG_CHARS = 400_000
ACCEPTING = r"^Accept [\d,]+ suggestions?$"  # the progress dialog's title


def _seed_line() -> str:
    """One document in which NAME marked every actor name: the lexicon learns them from it."""
    text = "Actors: " + "; ".join(ACTORS) + "."
    spans = []
    for name in ACTORS:
        start = text.index(name)
        spans.append({"start": start, "end": start + len(name), "label": "ACTOR"})
    return json.dumps({"title": "seed", "text": text, "spans": spans, "annotator": NAME})


def _project(app, *texts: str):
    db = app.work / "project.db"
    source = app.work / "articles.jsonl"
    lines = [_seed_line()] + [
        json.dumps({"title": f"article {n}", "text": t}) for n, t in enumerate(texts, 1)
    ]
    source.write_text("\n".join(lines) + "\n")
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db), "--annotator", NAME)
    return db


def _suggestions(db, title: str) -> int:
    return query(
        db,
        "SELECT count(*) FROM suggestion s JOIN document d ON d.id = s.document_id "
        "WHERE d.title = ?",
        title,
    )[0][0]


def _suggest_all(app, desktop) -> int:
    """Suggestions → Suggest for All Documents… once, right after start, while the open
    document's suggestions are still computed: it waits for them, then runs (never "try
    again"); the result box."""
    app.menu("s", "d")
    desktop.shot("suggest-all-asked")
    desktop.window("^(Suggesting|Suggestions)$", timeout=180)
    desktop.shot("suggesting")
    return desktop.window("^Suggestions$", timeout=180)


def test_suggest_for_all_documents_reports_and_stores_suggestions(app, desktop):
    db = _project(app, news_text(3_000, seed=1), news_text(3_000, seed=2))
    app.start(["gui", "--db", str(db)])
    box = _suggest_all(app, desktop)
    desktop.shot("suggestions-done")
    assert _suggestions(db, "article 1") > 0 and _suggestions(db, "article 2") > 0
    desktop.focus(box)
    desktop.key("Return")
    desktop.gone("^Suggestions$")
    app.label_first_word("2")
    wait_until(lambda: len(spans_of(db, NAME)) == len(ACTORS) + 1, "the new span", 10)
    assert app.quit() == 0


def test_a_phrase_tagged_by_hand_is_suggested_elsewhere_in_the_open_article(app, desktop):
    """Issue 17 item 8: the open article's suggestions did not follow tagging (only opening it
    again did)."""
    text = "Vestel drones flew over the coast. Later Vestel drones landed at the base."
    db = _project(app, text)
    app.start(["gui", "--db", str(db)])
    app.focus()
    desktop.key("alt+Right")  # Document → Next Document: the article
    wait_until(lambda: app.title().startswith("article 1 — "), "the article to open", 60)
    app.label_first_word("1")  # "Vestel", by hand
    wait_until(lambda: len(spans_of(db, NAME)) == len(ACTORS) + 1, "the tagged span", 20)
    second = text.rindex("Vestel")
    wait_until(
        lambda: query(db, "SELECT 1 FROM suggestion WHERE start = ?", second),
        "the other mention suggested without opening the article again",
        60,
    )
    desktop.shot("suggested-after-tagging")
    assert app.title().startswith("article 1 — ")
    assert app.quit() == 0


def _pending(db, title: str) -> int:
    """Suggestions in the document that NAME has neither accepted nor rejected."""
    return len(
        query(
            db,
            'SELECT s.start, s."end", s.label_id FROM suggestion s '
            "JOIN document d ON d.id = s.document_id WHERE d.title = ? "
            'EXCEPT SELECT p.start, p."end", p.label_id FROM span p '
            "JOIN document d ON d.id = p.document_id "
            "JOIN annotator a ON a.id = p.annotator_id WHERE d.title = ? AND a.name = ?",
            title,
            title,
            NAME,
        )
    )


def test_accept_all_in_a_400k_article_stores_every_span_and_stays_responsive(app, desktop):
    db = _project(app, news_text(LONG_CHARS, seed=7))
    app.cli("suggest", "--all", "--db", str(db), "--annotator", NAME)
    suggested = _suggestions(db, "article 1")
    assert suggested > 2_000, suggested
    app.start(["gui", "--db", str(db)])
    app.focus()
    desktop.key("alt+Right")  # Document → Next Document: the long article
    wait_until(lambda: app.title().startswith("article 1 — "), "the long article to open", 60)
    desktop.shot("long-article")

    app.menu("s", "l")  # Suggestions → Accept All in Document
    # Its progress dialog shows after 300 ms; the accept itself may end sooner (since the bulk
    # insert, ~2,000 suggestions commit in less), so either is what the user sees first.
    wait_until(
        lambda: desktop.shown(ACCEPTING) or _pending(db, "article 1") == 0,
        "the progress dialog, or every suggestion accepted",
        30,
    )
    desktop.shot("accepting")
    wait_until(lambda: _pending(db, "article 1") == 0, "every suggestion accepted", 180)
    started = time.monotonic()
    desktop.gone(ACCEPTING, timeout=60)
    caught_up = time.monotonic() - started
    desktop.shot("accepted")
    accepted = query(
        db,
        "SELECT count(*) FROM span s JOIN document d ON d.id = s.document_id "
        "WHERE d.title = 'article 1'",
    )[0][0]
    assert accepted == suggested
    assert caught_up < 10, f"the window took {caught_up:.1f} s to show what was committed"

    _undo_redo(app, desktop, db, "ctrl+z", "Undo", suggested)  # one step takes them all back
    desktop.shot("undone")
    _undo_redo(app, desktop, db, "ctrl+shift+z", "Redo", 0)  # and brings them all back
    desktop.shot("redone")
    _undo_redo(app, desktop, db, "ctrl+z", "Undo", suggested)
    app.focus()
    desktop.key("ctrl+Return")  # Mark Done and Continue: the window answers within seconds
    wait_until(lambda: _status(db, "article 1") == "done", "the document marked done", 20)
    desktop.shot("marked-done")
    assert app.quit() == 0


def _undo_redo(app, desktop, db, chord: str, verb: str, pending: int) -> None:
    """Undo or redo Accept All: it runs in a worker (its progress dialog, titled "Undo Accept N
    suggestions", shows if it takes over 300 ms) and the window takes it in within seconds."""
    app.focus()
    desktop.key(chord)
    pressed = time.monotonic()
    wait_until(
        lambda: _pending(db, "article 1") == pending,
        f"the {verb.lower()} of Accept All ({pending:,} suggestions pending)",
        180,
    )
    # The worker commits, then its outcome reaches the window, which closes the dialog; one
    # that was not up yet would be by now (it shows 300 ms after the press).
    step = rf"^{verb} Accept [\d,]+ suggestions$"
    wait_until(
        lambda: time.monotonic() - pressed > 1.5 and not desktop.shown(step),
        f"the window to take in the {verb.lower()}",
        30,
    )


def _status(db, title: str) -> str | None:
    rows = query(
        db,
        "SELECT s.status FROM document_state s JOIN document d ON d.id = s.document_id "
        "JOIN annotator a ON a.id = s.annotator_id WHERE d.title = ? AND a.name = ?",
        title,
        NAME,
    )
    return rows[0][0] if rows else None
