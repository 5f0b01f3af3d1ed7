"""Import and export through their menus and dialogs, each ending in success and in a failure
the user caused; the window answers keys afterwards and Ctrl+Q ends the app with exit code 0."""

from __future__ import annotations

import json

from desktop import NAME, query, spans_of, wait_until

ARTICLE = "Baykar sold TB2 drones to Azerbaijan's Ministry of Defense in 2020.\n"


def _file_dialog(app, desktop, menu_item: str, title: str, path) -> None:
    app.menu("f", menu_item)
    dialog = desktop.window(f"^{title}$")
    desktop.shot(title.lower().replace(" ", "-"))
    desktop.focus(dialog)
    desktop.type(str(path))
    desktop.key("Return")


def _dismiss(app, desktop, title: str) -> None:
    """Wait for a message box, screenshot it, close it with Return."""
    box = desktop.window(f"^{title}$")
    desktop.shot(title.lower().replace(" ", "-"))
    desktop.focus(box)
    desktop.key("Return")
    desktop.gone(f"^{title}$")


def test_import_files_stores_a_good_file_and_refuses_a_bad_one_unchanged(app, desktop):
    db = app.work / "project.db"
    app.cli("init", "--db", str(db))
    good = app.work / "baykar.txt"
    good.write_text(ARTICLE)
    bad = app.work / "broken.txt"
    bad.write_bytes(b"Baykar \x00\x00 binary")
    app.start(["gui", "--db", str(db)])

    _file_dialog(app, desktop, "i", "Import Files", good)
    _dismiss(app, desktop, "Import Finished")
    assert query(db, "SELECT title FROM document") == [
        ("Baykar sold TB2 drones to Azerbaijan's Ministry of Defense in 2020.",)
    ]
    wait_until(lambda: "Baykar" in app.title(), "the imported article to open")

    _file_dialog(app, desktop, "i", "Import Files", bad)
    _dismiss(app, desktop, "Import Failed")
    assert query(db, "SELECT count(*) FROM document") == [(1,)]

    app.label_first_word("1")
    wait_until(lambda: spans_of(db, NAME) == [(0, 6, "Baykar")], "the span Baykar", 10)
    desktop.shot("responsive-after-import")
    assert app.quit() == 0


def _export(app, desktop, path) -> None:
    """File → Export…, the output path typed in its field (the sixth in tab order), OK."""
    app.menu("f", "e")
    dialog = desktop.window("^Export$")
    desktop.focus(dialog)
    desktop.key(*["Tab"] * 5)
    desktop.type(str(path))
    desktop.shot("export-dialog")
    desktop.key("Return")


def test_export_writes_the_file_and_reports_an_unwritable_place(app, desktop):
    db = app.work / "project.db"
    source = app.work / "in.jsonl"
    source.write_text(
        json.dumps({"text": ARTICLE, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}) + "\n"
    )
    app.cli("init", "--db", str(db))
    app.cli("import", str(source), "--db", str(db), "--annotator", NAME)
    app.start(["gui", "--db", str(db)])

    out = app.work / "out.jsonl"
    _export(app, desktop, out)
    _dismiss(app, desktop, "Export Finished")
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["text"] == ARTICLE

    unwritable = "/sys/annotator-export.jsonl"  # refused to every user, root included
    _export(app, desktop, unwritable)
    _dismiss(app, desktop, "Export Failed")
    desktop.gone("^Export$")

    app.focus()
    desktop.key("ctrl+z")  # undo needs a responsive window: nothing to undo, nothing changes
    assert spans_of(db, NAME) == [(0, 6, "Baykar")]
    assert app.quit() == 0
