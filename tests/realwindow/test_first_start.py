"""A new user's first start: the name prompt, the default project with its samples, a span,
Ctrl+Q."""

from __future__ import annotations

import getpass
import json

from desktop import NAME, START_S, query, spans_of, wait_until

from annotator.core import labelrules


def test_first_start_asks_the_name_opens_the_samples_and_records_spans_under_it(app, desktop):
    app.start()
    desktop.shot("main-window")
    db = app.home / ".local/share/annotator/default.db"
    assert query(db, "SELECT count(*) FROM document") == [(3,)]
    assert " — default — annotator" in app.title()

    app.label_first_word("1")
    spans = wait_until(lambda: spans_of(db, NAME), "the span to be committed", 10)
    desktop.shot("first-span")
    assert len(spans) == 1 and spans[0][2].isalpha(), spans

    assert app.quit() == 0
    settings = json.loads((app.home / ".config/annotator/settings.json").read_text())
    assert settings["annotator_name"] == NAME


def test_cancel_on_the_name_prompt_keeps_the_login_name_and_opens_the_window(app, desktop):
    app.start(name=None)
    prompt = desktop.window("^Annotator$", timeout=START_S, alive=app.alive)
    desktop.focus(prompt)
    desktop.key("Escape")
    app.main_window()
    desktop.shot("after-cancel")
    assert app.quit() == 0
    settings = json.loads((app.home / ".config/annotator/settings.json").read_text())
    login = labelrules.normal_name(getpass.getuser())
    assert settings["annotator_name"] in (login, "annotator")  # "annotator": login unusable
