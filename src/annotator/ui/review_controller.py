"""Review mode: compare annotators, adjudicate their candidates into the gold layer.

While it is on, the workspace annotator is the gold layer (so what the reviewer marks goes to
gold and the article tints gold spans), the compared annotators' candidates are drawn over the
text (review_overlay) and listed in the Review dock, with their relation candidates below (a
click makes one current; the same keys accept or reject it). Every decision is a core command run
through the workspace, so it is stored at once and undoable; so is making the gold layer when
entering review mode in a project without one, and undoing that step ends review mode.

The dock is built with the window (`build_dock`; the window places it), hidden, so the saved
window layout restores its place, size, floating and tab group like the other docks'. It stays
hidden until review mode starts, even if it was open when the app closed: the compared
annotators are not remembered, so review mode is never resumed by itself.

The controller talks to the article, the navigator and the status bar it is given, and tells
the window through signals (`mode_changed`, `dock_first_shown`).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from annotator.core.adjudication import Candidate, DocumentReview, Key, RelationCandidate
from annotator.core.errors import AnnotatorError
from annotator.core.model import Changes, Document
from annotator.core.project.review import DEFAULT_GOLD
from annotator.core.relation_keys import RelationKey
from annotator.core.review_commands import (
    AcceptCandidateCommand,
    AcceptRelationCandidateCommand,
    MarkGoldCommand,
    RejectCandidateCommand,
    RejectRelationCandidateCommand,
    accept_agreed_command,
)
from annotator.ui.article_view import ArticleView
from annotator.ui.error_dialog import show_error
from annotator.ui.navigator import NavigatorPanel
from annotator.ui.plain import plain_label
from annotator.ui.review_dialog import ask_review_annotators
from annotator.ui.review_overlay import ReviewLayer
from annotator.ui.review_panel import ReviewPanel
from annotator.ui.review_tally import ReviewTally
from annotator.ui.status_bar import StatusBarController
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

KEYS_HINT = (
    "Shift+Enter accepts into gold, a label key accepts with that label, "
    "Shift+Backspace rejects, F8 next disagreement"
)


class ReviewController(QObject):
    """Review mode of one main window: its state, its dock and its key handlers; `parent`
    hosts its dialogs."""

    mode_changed = Signal()  # entered or left review mode, or another candidate is current
    dock_first_shown = Signal(object)  # the dock, shown for the first time without a layout

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        article: ArticleView,
        navigator: NavigatorPanel,
        status: StatusBarController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.workspace = workspace
        self.article = article
        self.navigator = navigator
        self.status_bar = status
        self.active = False
        self.annotators: tuple[str, ...] = ()
        self.gold = DEFAULT_GOLD
        self.review: DocumentReview | None = None
        self.current: Key | None = None
        self.current_relation: RelationKey | None = None
        self._previous_annotator = self.workspace.annotator
        self.tally = ReviewTally(runner, self)
        self.tally.counted.connect(self._show_progress)
        self.tally.failed.connect(self._on_tally_failed)
        self.panel: ReviewPanel | None = None
        self.dock: QDockWidget | None = None
        self._sized = False  # the dock's default size is applied once, unless a layout was restored
        self.status = plain_label(parent=parent)
        self.status.setObjectName("review_status")
        self.status.hide()
        status.add_permanent(self.status)
        self.workspace.document_opened.connect(self._on_workspace_document_opened)
        self.workspace.changes_applied.connect(self._on_workspace_changes_applied)
        article.candidate_clicked.connect(self._on_article_candidate_clicked)

    # -- entering and leaving ------------------------------------------------------------

    def start(self) -> None:
        """Ask which annotators to compare, then enter (or re-enter) review mode."""
        project = self.workspace.project
        gold = project.gold_annotator() or DEFAULT_GOLD
        names = [a.name for a in project.annotators() if a.name != gold]
        if len(names) < 2:
            show_error(self._parent, "Review", "Reviewing needs at least two annotators' work.")
            return
        chosen = ask_review_annotators(self._parent, names, self.annotators or names, gold)
        if chosen:
            self.enter(chosen)

    def enter(self, annotators: list[str]) -> bool:
        """Compare these annotators; the workspace then annotates the gold layer."""
        ws = self.workspace
        try:
            shared = ws.project.review_documents(annotators)  # refuses a bad choice at once
            gold = ws.project.gold_annotator()
        except AnnotatorError as exc:
            show_error(self._parent, "Review", str(exc))
            return False
        if gold is None:  # the reviewer's own marks count as gold at once: an undo step
            gold = DEFAULT_GOLD
            if not ws.read_only and not ws.execute(MarkGoldCommand(gold)):
                return False
        if not self.active:
            self._previous_annotator = ws.annotator
        self.active, self.annotators, self.gold = True, tuple(annotators), gold
        ws.annotator = gold
        self.tally.start(ws.project.location, self.annotators)
        self._show_dock()
        self.status.show()
        self._switch_layers(ws.document.id if ws.document else (shared[0] if shared else None))
        return True

    def leave(self) -> None:
        """Back to annotating as before review mode."""
        if not self.active:
            return
        self.active = False
        self.tally.cancel()
        self.workspace.annotator = self._previous_annotator
        self.article.review_layer = None
        self.article.show_relation_candidates(())
        self.review, self.current, self.current_relation = None, None, None
        self.dock.hide()
        self.dock.toggleViewAction().setVisible(False)
        self.status.hide()
        self.status_bar.clear_hint()
        doc = self.workspace.document
        self._switch_layers(doc.id if doc else None)

    def _switch_layers(self, document_id: int | None) -> None:
        """Show the workspace annotator's layer everywhere after a switch."""
        self.navigator.refresh()
        self.workspace.open_document(document_id)
        self.status_bar.refresh()
        self.mode_changed.emit()

    def build_dock(self, actions: Mapping[str, QAction], parent: QWidget) -> QDockWidget:
        """The Review dock (its buttons trigger `actions`), hidden until review mode; the
        window places it (tabbed with Spans)."""
        self.panel = ReviewPanel(actions, parent)
        self.panel.candidate_chosen.connect(self._on_panel_candidate_chosen)
        self.panel.relation_chosen.connect(self._on_panel_relation_chosen)
        dock = QDockWidget("Review", parent)
        dock.setObjectName("review_dock")
        dock.setWidget(self.panel)
        dock.hide()
        dock.toggleViewAction().setVisible(False)  # not offered in the docks' menu outside review
        self.dock = dock
        return dock

    def layout_restored(self) -> None:
        """The window restored a saved layout: keep its dock size, stay hidden until review."""
        self._sized = True
        if not self.active:
            self.dock.hide()

    def _show_dock(self) -> None:
        self.dock.toggleViewAction().setVisible(True)
        self.dock.show()
        self.dock.raise_()
        if not self._sized:
            self._sized = True
            self.dock_first_shown.emit(self.dock)

    # -- decisions -----------------------------------------------------------------------

    def current_candidate(self) -> Candidate | None:
        """The candidate the keys act on."""
        return self.review.find(self.current) if self.review else None

    def current_relation_candidate(self) -> RelationCandidate | None:
        """The relation candidate the keys act on (when one is chosen in the dock)."""
        return self.review.find_relation(self.current_relation) if self.review else None

    def accept(self) -> None:
        """Accept the current candidate into gold, then go to the next open disagreement (or,
        after a relation, the next open relation candidate)."""
        if not self._decide_relation(AcceptRelationCandidateCommand):
            self._decide(AcceptCandidateCommand)

    def reject(self) -> None:
        """Keep the current candidate out of gold, then go to the next open disagreement (or,
        after a relation, the next open relation candidate)."""
        if not self._decide_relation(RejectRelationCandidateCommand):
            self._decide(RejectCandidateCommand)

    def _decide_relation(self, command_type) -> bool:
        """Decide the current relation candidate; False when none is current."""
        chosen = self.current_relation_candidate()
        if chosen is None:
            return False
        command = command_type(self.review.document_id, chosen.key, new_gold=self.gold)
        if self.workspace.execute(command):  # the review reloads on changes_applied
            order = [r.key for r in self.review.relations]
            later = order[order.index(chosen.key) + 1 :] if chosen.key in order else order
            following = [self.review.find_relation(key) for key in later]
            self._set_current_relation(next((r for r in following if r and not r.decided), None))
        self.article.setFocus()
        return True

    def choose_label(self, label: str) -> bool:
        """A label key with nothing selected: put the current candidate's text into gold with
        that label (a label choice in one key); False when review mode has no current one."""
        if not self.active or self.current_candidate() is None:
            return False
        self._decide(AcceptCandidateCommand, label)
        return True

    def _decide(self, command_type, label: str | None = None) -> None:
        candidate = self.current_candidate()
        if candidate is None:
            self._hint("No candidate chosen: press F8 for the next disagreement.")
            return
        doc_id = self.review.document_id
        command = command_type(
            doc_id, label or candidate.label, candidate.start, candidate.end, new_gold=self.gold
        )
        if self.workspace.execute(command):  # the review reloads on changes_applied
            self._set_current(self._after(candidate.key))
        self.article.setFocus()

    def _after(self, key: Key | None) -> Candidate | None:
        """Where to go after deciding `key` (None: on opening a document): the next open
        disagreement, else any open one."""
        review = self.review
        return (
            review.neighbour_disagreement(key, +1)
            or review.neighbour_disagreement(None, +1)
            or next(iter(review.open_agreed()), None)
        )

    def accept_agreed(self) -> None:
        """Accept every open agreed candidate of the document as one undo step."""
        command = accept_agreed_command(self.review, self.gold) if self.review else None
        if command is None:
            self._hint("No open agreed spans in this document.")
            return
        self.workspace.execute(command)

    # -- moving --------------------------------------------------------------------------

    def next(self, step: int = +1) -> None:
        """The next (or previous) open disagreement, in this document (spans, then relations)
        or the following ones."""
        if self.review is None:
            return
        found = self.review.next_stop(self.current, self.current_relation, step)
        if found is None:
            target = self.tally.next_document(self.review.document_id, step)
            if target is not None:
                self.workspace.open_document(target)
            found = self.review.first_stop(step)
        if found is None:
            self._hint("No open disagreements left. " + self._progress_text())
        if isinstance(found, RelationCandidate):
            self._set_current_relation(found)
        else:
            self._set_current(found)
        self.article.setFocus()

    def previous(self) -> None:
        """The previous open disagreement."""
        self.next(-1)

    def _set_current(self, candidate: Candidate | None) -> None:
        self.current = candidate.key if candidate else None
        self.current_relation = None
        self.article.set_current_relation_candidate(None)
        layer = self.article.review_layer
        if layer is not None:
            layer.current = self.current
        if candidate is not None:
            self.article.scroll_to(candidate.start, candidate.end)
            who = ", ".join(candidate.annotators)
            kind = "all agree" if candidate.agreed else "disagreement"
            self.status_bar.hint(f"{candidate.label} marked by {who} ({kind}): {KEYS_HINT}")
        else:
            self.status_bar.clear_hint()
        self.panel.select(self.current)
        self.article.viewport().update()
        self.mode_changed.emit()

    def _set_current_relation(self, candidate: RelationCandidate | None) -> None:
        """Make a relation candidate current (the span candidates then have none)."""
        self._set_current(None)
        if candidate is None:
            return
        self.current_relation = candidate.key
        self.article.set_current_relation_candidate(candidate.key)
        ends = (candidate.head, candidate.tail)
        self.article.scroll_to(min(e[1] for e in ends), max(e[2] for e in ends))
        kind = "all agree" if candidate.agreed else "disagreement"
        self.status_bar.hint(
            f"{candidate.type} linked by {', '.join(candidate.annotators)} ({kind}): "
            "Shift+Enter accepts it into gold with its spans, Shift+Backspace rejects it"
        )
        self.panel.select(None, self.current_relation)
        self.mode_changed.emit()

    def _hint(self, text: str, timeout: int = 4000) -> None:
        self.status_bar.note(text, timeout)

    # -- showing -------------------------------------------------------------------------

    def _reload(self) -> None:
        """Recompute the open document's candidates and show them."""
        doc = self.workspace.document
        article = self.article
        self.review = None
        if doc is not None:
            self.review = self.workspace.project.document_review(doc.id, self.annotators)
            self.tally.update(self.review)
        if self.review is not None and self.review.find(self.current) is None:
            self.current = None
        if self.review is None or self.review.find_relation(self.current_relation) is None:
            self.current_relation = None
        article.show_relation_candidates(
            self.review.relations if self.review else (), self.current_relation
        )
        article.show_suggestions([])  # model suggestions would blur the annotators' layers
        article.review_layer = ReviewLayer(self.review.candidates if self.review else ())
        article.review_layer.current = self.current
        article.viewport().update()
        self.panel.model.colors = {lab.name: lab.color for lab in self.workspace.labels}
        kinds = self.workspace.project.relation_types()
        self.panel.relation_model.colors = {kind.name: kind.color for kind in kinds}
        self.panel.relation_model.symmetric = {kind.name for kind in kinds if not kind.directed}
        self.panel.show_review(self.review, doc.text if doc else "", self.gold)
        self.panel.select(self.current, self.current_relation)
        self._show_progress()

    def _show_progress(self) -> None:
        self.panel.set_progress(self._progress_text())
        overall = self.tally.summary()
        counted = f"{overall.adjudicated} / {overall.documents}" if overall else "…"
        self.status.setText(f"Review: {counted} documents adjudicated")

    def _progress_text(self) -> str:
        overall = self.tally.summary()
        shared = "counting documents…"
        if overall is not None:
            shared = f"{overall.adjudicated} of {overall.documents} documents adjudicated"
        if self.review is None:
            return shared
        return f"{self.review.decided} / {self.review.total} decided in this document · {shared}"

    def _on_workspace_document_opened(self, document: Document | None) -> None:
        if not self.active:
            return
        if self.workspace.annotator != self.gold:  # File → Change Annotator ends review mode
            self._previous_annotator = self.workspace.annotator
            self.leave()
            return
        self.current, self.current_relation = None, None
        self._reload()
        if document is not None and self.review is not None:
            self._set_current(self._after(None))

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        ws = self.workspace
        if self.active and not ws.read_only and ws.project.gold_annotator() != self.gold:
            self.leave()  # e.g. undo of making the gold layer: review mode has nothing to fill
            self._hint(f"Review mode ended: {self.gold!r} is no longer the gold layer.", 8000)
            return
        doc = ws.document
        if self.active and doc is not None and doc.id in changes.documents | changes.suggestions:
            self._reload()

    def _on_tally_failed(self, message: str) -> None:
        self._hint(f"Could not count the review progress: {message}", 8000)

    def _on_article_candidate_clicked(self, candidate: Candidate) -> None:
        if self.active:
            self._set_current(candidate)

    def _on_panel_relation_chosen(self, key: RelationKey) -> None:
        if self.review is not None:
            self._set_current_relation(self.review.find_relation(key))
            self.article.setFocus()

    def _on_panel_candidate_chosen(self, key: Key) -> None:
        if self.review is not None:
            self._set_current(self.review.find(key))
            self.article.setFocus()
