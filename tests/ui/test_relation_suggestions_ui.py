"""Suggested relations in the Relations dock: Suggest runs in a worker, the selected suggestion
is the article's pending arc, Enter accepts and Delete rejects (each undoable)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

TRAINING = [
    ("Azerbaijan bought JF-17C Thunder jets from Pakistan.", "JF-17C Thunder"),
    ("Morocco bought C390 transports from Brazil.", "C390"),
    ("Indonesia bought KF-21 fighters from Korea.", "KF-21"),
]
NEW = ("Egypt bought Rafale jets from France.", "Rafale")


def mark(project, text: str, platform: str, *, relate: bool) -> int:
    (doc,) = project.add_document(text, text.split(" ")[0]).documents
    words = text.rstrip(".").split(" ")
    ids = {}
    for label, word in (("ACTOR", words[0]), ("PLATFORM", platform), ("ACTOR", words[-1])):
        start = text.index(word)
        ids[word] = project.add_span(doc, "alice", label, start, start + len(word)).spans_added[0]
    if relate:
        project.add_relation(doc, "alice", "BUYS", ids[words[0]], ids[platform])
        project.add_relation(doc, "alice", "SUPPLIES", ids[words[-1]], ids[platform])
    return doc


@pytest.fixture
def window(qtbot, project):
    for text, platform in TRAINING:
        mark(project, text, platform, relate=True)
    new = mark(project, *NEW, relate=False)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.resize(1300, 700)
    win.show()
    qtbot.waitExposed(win)
    win.workspace.open_document(new)
    win.relations_dock.show()
    win.relations_dock.raise_()
    return win


def suggested(win) -> list[tuple[str, str, str]]:
    model, text = win.relation_suggestions.model, win.workspace.document.text
    rows = []
    for row in range(model.rowCount()):
        found = model.suggestion_at(row)
        head, tail = win.workspace.layer.get(found.head), win.workspace.layer.get(found.tail)
        rows.append((found.type, text[head.start : head.end], text[tail.start : tail.end]))
    return rows


def suggest(qtbot, win) -> None:
    win.actions_by_id["suggest.relations"].trigger()
    qtbot.waitUntil(lambda: win.relation_suggestions.model.rowCount() == 2, timeout=10_000)


def test_suggest_lists_proposals_and_the_chosen_one_is_the_pending_arc(qtbot, window) -> None:
    suggest(qtbot, window)
    assert sorted(suggested(window)) == [
        ("BUYS", "Egypt", "Rafale"),
        ("SUPPLIES", "France", "Rafale"),
    ]
    assert (
        window.relation_suggestions.note.text() == "Learned from 6 relations; 2 suggestions here."
    )
    panel = window.relation_suggestions
    panel.view.selectRow(0)
    found = panel.model.suggestion_at(0)
    assert window.article.pending_relation == (found.head, found.tail, found.type)
    panel.view.clearSelection()
    panel.view.setCurrentIndex(panel.model.index(-1, -1))
    assert window.article.pending_relation is None


def test_enter_accepts_and_undo_brings_the_suggestion_back(qtbot, window) -> None:
    suggest(qtbot, window)
    panel, ws = window.relation_suggestions, window.workspace
    panel.view.setFocus()
    panel.view.selectRow(0)
    found = panel.model.suggestion_at(0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    (relation,) = ws.project.relations(ws.document.id, "alice")
    assert (relation.type, relation.head, relation.tail) == (found.type, found.head, found.tail)
    assert relation.id in ws.relations  # the article and the Relations table have it
    assert panel.model.rowCount() == 1
    assert panel.current() == panel.model.suggestion_at(0)  # Enter and Delete go on
    ws.undo()
    assert ws.project.relations(ws.document.id, "alice") == []
    assert panel.model.rowCount() == 2


def test_delete_rejects_for_good(qtbot, window) -> None:
    suggest(qtbot, window)
    panel, ws = window.relation_suggestions, window.workspace
    panel.view.setFocus()
    panel.view.selectRow(0)
    rejected = panel.model.suggestion_at(0)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == 1
    assert ws.project.relations(ws.document.id, "alice") == []
    suggest_again = window.actions_by_id["suggest.relations"]
    suggest_again.trigger()
    qtbot.waitUntil(lambda: window.relation_suggestions.progress_dialog is None, timeout=10_000)
    assert rejected.id not in {
        panel.model.suggestion_at(r).id for r in range(panel.model.rowCount())
    }
    assert panel.model.rowCount() == 1


def test_nothing_learned_yet_says_so(qtbot, project) -> None:
    new = mark(project, *NEW, relate=False)
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.workspace.open_document(new)
    win.relation_suggestions.suggest()
    qtbot.waitUntil(lambda: bool(win.relation_suggestions.note.text()), timeout=10_000)
    assert win.relation_suggestions.note.text().startswith("Nothing to suggest yet")
    assert win.relation_suggestions.model.rowCount() == 0
