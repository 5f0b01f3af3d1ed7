"""The desktop app on a server project: it opens, and a reviewer's navigator picks up others'
progress without a reload."""

from __future__ import annotations

import pytest

from annotator.core.model import Status
from annotator.core.project import Project
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

pytestmark = pytest.mark.postgresql


@pytest.fixture
def window(qtbot, pg_url):
    project = Project.create(pg_url)
    project.add_document("Baykar sold the TB2 to Azerbaijan.", "TB2")
    project.add_document("Pakistan built the JF-17 with China.", "JF-17")
    win = MainWindow(Workspace(project, "rita"), Settings(auto_suggest=False), lambda *args: None)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    project.close()


def test_the_navigator_shows_another_annotators_progress(qtbot, window, pg_url, tmp_path):
    assert window.live is not None and "postgresql+psycopg://" in window.windowTitle()
    model = window.navigator.model
    qtbot.waitUntil(lambda: window.live.seen is not None)
    with Project.open(pg_url) as other:
        first = model.summary(0).id
        other.add_span(first, "ana", "ACTOR", 0, 6)
        other.set_status(first, "ana", Status.DONE)
    window.live.poll()
    qtbot.waitUntil(lambda: model.summary(0).done_by == 1, timeout=5000)
    window.grab().save(str(tmp_path / "server-window.png"))
