"""The navigator's "Most uncertain first" at 10,000 documents (issue 22 item 3): the order, which
needs every pending suggestion's score, is read by a worker; the GUI thread only reads pages by
id, so the event loop never stalls (the watchdog of conftest.py watches every wait here)."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from bench.suggested_list import ANNOTATOR, build
from PySide6.QtCore import QTimer

from annotator.core.storage import repo
from annotator.ui.document_model import PAGE
from annotator.ui.navigator import UNCERTAIN_TEXT, NavigatorPanel
from annotator.ui.workspace import Workspace

DOCUMENTS = 10_000
WAIT_MS = 10_000


@pytest.fixture
def ranked_on(monkeypatch) -> list[bool]:
    """For each uncertainty statement built: whether it was built on the GUI thread."""
    built: list[bool] = []
    original = repo.pending_uncertainty

    def recorded(annotator):
        built.append(threading.current_thread() is threading.main_thread())
        return original(annotator)

    monkeypatch.setattr(repo, "pending_uncertainty", recorded)
    return built


def test_most_uncertain_first_at_10000_documents_is_ordered_off_the_gui_thread(
    qtbot, project, ranked_on
):
    made = build(project.path, DOCUMENTS, 3, seed=1)
    expected = made.expected_order()
    panel = NavigatorPanel(Workspace(project, ANNOTATOR))
    qtbot.addWidget(panel)
    panel.resize(500, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE, timeout=WAIT_MS)
    assert panel.model.loaded_ids()[:3] == made.ids[:3]  # id order, the default

    combo = panel.status_combo
    QTimer.singleShot(0, lambda: combo.setCurrentIndex(combo.findText(UNCERTAIN_TEXT)))
    qtbot.waitUntil(lambda: panel.model.ranking, timeout=WAIT_MS)
    assert panel.model.loaded_ids()[:3] == made.ids[:3]  # the list stays while the worker reads
    qtbot.waitUntil(lambda: panel.model.loaded_ids() == expected[:PAGE], timeout=WAIT_MS)

    for pages in (2, 3):  # scrolling to the end fetches the next page, by id
        QTimer.singleShot(0, panel.view.scrollToBottom)
        qtbot.waitUntil(lambda n=pages: panel.model.rowCount() == n * PAGE, timeout=WAIT_MS)
    assert panel.model.loaded_ids() == expected[: 3 * PAGE]
    assert expected[0] not in made.done and expected[-1] in made.done
    assert ranked_on == [False]  # one read of the order, on a worker
