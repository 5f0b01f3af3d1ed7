"""In the window, a document the annotator marked done gets no new suggestions from Suggest for
All Documents (the result says so) but does from Suggest for This Document (issue 17 item 7)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator.core.commands import AddSpanCommand
from annotator.core.model import Status
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

WAIT_MS = 20_000


def test_suggest_all_leaves_a_done_document_alone_and_suggest_this_document_does_not(
    qtbot, project, monkeypatch
):
    first, second = (
        next(iter(project.add_document(text, title).documents))
        for text, title in (("Baykar met Saab.", "One"), ("Saab and Baykar", "Two"))
    )
    project.add_span(first, "alice", "ACTOR", 0, 6)
    project.add_span(first, "bob", "ACTOR", 11, 15)
    project.set_status(second, "alice", Status.DONE)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), print)
    qtbot.addWidget(window)
    window.workspace.open_document(second)

    def pending() -> list[str]:
        found = project.suggestions(second, annotator="alice")
        return ["Saab and Baykar"[s.start : s.end] for s in found]

    window.actions_by_id["suggest.all"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert "Left alone 1 document you marked done." in shown[0]
    assert pending() == []
    window.actions_by_id[
        "suggest.document"
    ].trigger()  # Suggestions > Suggest for This Document: asked for by name
    qtbot.waitUntil(lambda: pending() != [], timeout=WAIT_MS)
    assert pending() == ["Baykar"]  # Alice's phrase; Bob's "Saab" is not learned


def test_suggest_all_again_after_a_new_span_says_which_documents_were_redone(
    qtbot, project, monkeypatch
):
    for text, title in (("Baykar met Saab.", "One"), ("Saab and Baykar", "Two")):
        project.add_document(text, title)
    project.add_span(1, "alice", "ACTOR", 0, 6)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), print)
    qtbot.addWidget(window)
    window.actions_by_id["suggest.all"].trigger()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT_MS)
    assert "suggested again" not in shown[0]
    window.workspace.execute(AddSpanCommand(1, "alice", "ACTOR", 11, 15))  # a new phrase: "Saab"
    window.actions_by_id["suggest.all"].trigger()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=WAIT_MS)
    assert "Suggested again in 2 documents: the lexicon changed since" in shown[1]
    found = project.suggestions(2, annotator="alice")
    assert sorted("Saab and Baykar"[s.start : s.end] for s in found) == ["Baykar", "Saab"]
