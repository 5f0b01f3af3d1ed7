"""A 1024×700 window (a small laptop screen): the window accepts that size, asks for no more,
and annotating works in it."""

from __future__ import annotations

from desktop import NAME, spans_of, wait_until

SIZE = (1024, 700)


def test_a_1024_by_700_window_fits_and_annotates(app, desktop):
    app.start()
    desktop.resize(app.window, *SIZE)
    wait_until(lambda: desktop.geometry(app.window)[2:] == SIZE, "the window at 1024×700", 10)
    minimum = desktop.min_size(app.window)
    assert minimum is None or (minimum[0] <= SIZE[0] and minimum[1] <= SIZE[1]), minimum
    desktop.shot("1024x700")

    db = app.home / ".local/share/annotator/default.db"
    app.label_first_word("2")
    wait_until(lambda: spans_of(db, NAME), "the span", 10)
    desktop.shot("1024x700-span")
    assert app.quit() == 0
