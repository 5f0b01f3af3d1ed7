"""Model suggestions in the article: show them, step through them, accept or reject one, accept
all (AcceptAllController), compute them for a document or all, train and tune the suggesters;
the project model also retrains in the background as documents are marked done
(BackgroundTraining)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from annotator.core.commands import (
    AcceptSuggestionCommand,
    RejectSuggestionCommand,
    StartDocument,
)
from annotator.core.model import Changes, Document, SpanSource, Suggestion
from annotator.core.open_document import OpenDocumentListener
from annotator.core.settings import Settings
from annotator.ui.accept_all import AcceptAllController
from annotator.ui.article_view import ArticleView
from annotator.ui.background_training import BackgroundTraining
from annotator.ui.plain import inform
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.status_bar import StatusBarController
from annotator.ui.suggestion_service import SuggestionService
from annotator.ui.wording import plural
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

SUGGEST_AFTER_SHOW_MS = 400
SUGGEST_AFTER_TAGGING_MS = 700
"""A pause in tagging by hand after which the open article is suggested for again."""


class SuggestionController(QObject):
    """The Suggestions menu and keys; `parent` is where its dialogs appear."""

    current_changed = Signal()  # the suggestion the keys act on

    def __init__(
        self,
        workspace: Workspace,
        article: ArticleView,
        suggester: SuggestionService,
        accept_all: AcceptAllController,
        runner: TaskRunner,
        status: StatusBarController,
        settings: Settings,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.article = article
        self.suggester = suggester
        self.accept_all = accept_all
        self.runner = runner
        self.status = status
        self.settings = settings
        self._parent = parent
        self.suggesting = False  # set once the window is on screen: spaCy loads after that
        self.after_tagging = QTimer(self)
        self.after_tagging.setSingleShot(True)
        self.after_tagging.setInterval(SUGGEST_AFTER_TAGGING_MS)
        self.after_tagging.timeout.connect(self._on_after_tagging_timeout)
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
        workspace.opened.listeners.append(_SuggestionsRelay(self._on_opened_suggestions_changed))
        article.suggestion_clicked.connect(self.set_current)
        accept_all.accepted.connect(self._on_accept_all_accepted)
        accept_all.cancelled.connect(self._on_accept_all_cancelled)
        suggester.failed.connect(self._on_suggester_failed)
        self.learning = BackgroundTraining(workspace, status, self)
        self.learning.trained.connect(self._on_model_trained)
        suggester.all_started.connect(self._on_suggester_all_started)

    def start_after_show(self) -> None:
        """The window is shown: suggestions begin after the first paint, so the window
        appears before spaCy is imported (the import then happens in a worker)."""
        if not self.suggesting:
            QTimer.singleShot(SUGGEST_AFTER_SHOW_MS, self._start_suggesting)

    def _start_suggesting(self) -> None:
        self.suggesting = True
        doc = self.workspace.document
        if doc is not None and self.settings.auto_suggest:
            self.suggester.suggest_document(doc.id)

    # -- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        self.article.show_suggestions(self.workspace.opened.suggestions)
        self.current_changed.emit()

    def set_current(self, suggestion: Suggestion | None) -> None:
        """Make `suggestion` the one Enter and Backspace act on (None: no current one)."""
        self.article.set_current_suggestion(suggestion)
        if suggestion is None:
            self.status.clear_hint()
        else:
            self.status.hint(
                f"Suggested {suggestion.label} ({suggestion.model}, score {suggestion.score:.2f})"
                ": Enter accepts, Backspace rejects, Ctrl+. goes to the next one"
            )
        self.current_changed.emit()

    def _on_workspace_document_opened(self, document: Document | None) -> None:
        self.after_tagging.stop()
        self._show()
        if document is not None and self.settings.auto_suggest and self.suggesting:
            self.suggester.suggest_document(document.id)

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        """A phrase tagged by hand in the open article teaches the lexicon: once the tagging
        pauses, the article is suggested for again (accepting suggestions does not restart it:
        the one Enter moved to stays current)."""
        doc = self.workspace.document
        if doc is None or not (self.settings.auto_suggest and self.suggesting):
            return
        changed = {*changes.spans_added, *changes.spans_updated}
        if any(
            span.id in changed and span.document_id == doc.id and span.source is SpanSource.MANUAL
            for span in changes.spans
        ):
            self.after_tagging.start()

    def _on_after_tagging_timeout(self) -> None:
        doc = self.workspace.document
        if doc is not None:
            self.suggester.suggest_document(doc.id)

    def _on_opened_suggestions_changed(self) -> None:
        shown, opened = self.article.document_shown, self.workspace.document
        if (shown and shown.id) == (opened and opened.id):  # else shown with the document
            self._show()

    # -- deciding ------------------------------------------------------------------------

    def accept_suggestion(self) -> None:
        """Enter: the current suggestion becomes a span; the next one becomes current."""
        current = self.article.current_suggestion
        if current is None:
            return
        following = self.article.neighbour_suggestion(+1)
        annotator = self.workspace.annotator
        start = StartDocument(current.document_id, annotator)
        if self.workspace.execute(AcceptSuggestionCommand(current.id, annotator, start)):
            self.set_current(None if following is current else following)

    def reject_suggestion(self) -> None:
        """Backspace: the current suggestion is dismissed; the next one becomes current."""
        current = self.article.current_suggestion
        if current is None:
            return
        following = self.article.neighbour_suggestion(+1)
        if self.workspace.execute(RejectSuggestionCommand(current.id, self.workspace.annotator)):
            self.set_current(None if following is current else following)

    def next_suggestion(self) -> None:
        """Ctrl+.: the next suggestion of the document."""
        found = self.article.neighbour_suggestion(+1)
        self.set_current(found)
        if found is None:
            self.status.note("No suggestions in this document.", 3000)
        self.article.setFocus()

    def previous_suggestion(self) -> None:
        """Ctrl+,: the previous suggestion of the document."""
        self.set_current(self.article.neighbour_suggestion(-1))
        self.article.setFocus()

    def accept_all_suggestions(self, min_score: float = 0.0) -> None:
        """Accept every pending suggestion of the document (scoring at least `min_score`) as
        one undo step, in the background with a progress dialog (AcceptAllController)."""
        doc = self.workspace.document
        if doc is None:
            return
        chosen = [s for s in self.workspace.opened.suggestions if s.score >= min_score]
        if not chosen:
            self.status.note("No pending suggestions to accept.", 3000)
            return
        self.accept_all.accept(doc.id, tuple(s.id for s in chosen))

    def accept_suggestions_above(self) -> None:
        """Ask for a score, then accept every suggestion scoring at least that."""
        score, ok = QInputDialog.getDouble(
            self._parent,
            "Accept suggestions",
            "Accept every suggestion scoring at least:",
            0.8,
            0,
            1,
            2,
        )
        if ok:
            self.accept_all_suggestions(score)

    def _on_accept_all_accepted(self, _document_id: int) -> None:
        self.set_current(None)

    def _on_accept_all_cancelled(self) -> None:
        self.status.note("Accept All cancelled; nothing was stored.", 5000)

    # -- computing -----------------------------------------------------------------------

    def suggest_document(self) -> None:
        """F5: compute the open document's suggestions again (even if it is done)."""
        doc = self.workspace.document
        if doc is not None:
            self.suggester.invalidate()
            self.suggester.suggest_document(doc.id, include_done=True)
            self.status.note("Computing suggestions…", 3000)

    def suggest_all(self) -> None:
        """Compute suggestions for every document, with a progress dialog; asked while a
        computation runs, it starts when that one ends."""
        if self.workspace.read_only:
            self.status.note("This project is open read-only: suggestions cannot be stored.", 5000)
        elif self.suggester.suggest_all() is None:
            self.status.note(
                "Suggest for All Documents starts when the running computation ends.", 8000
            )

    def _on_suggester_all_started(self, handle: TaskHandle) -> None:
        TaskProgressDialog(handle, self._parent, label="Suggesting for every document…")
        handle.succeeded.connect(self._on_suggest_all_succeeded)

    def _on_suggest_all_succeeded(self, result) -> None:
        _suggesters, report = result
        stored = sum(report.stored.values())
        outdated = sum(report.outdated.values())
        what = "Stopped" if report.cancelled else "Done"
        inform(
            self._parent,
            "Suggestions",
            f"{what}: {report.documents} of {plural(report.total, 'document')}, "
            f"{plural(stored, 'suggestion')} from {', '.join(report.suggesters) or 'no suggester'}."
            + (
                f"\nLeft alone {plural(report.done_skipped, 'document')} you marked done."
                if report.done_skipped
                else ""
            )
            + (
                f"\nSuggested again in {plural(outdated, 'document')}: the lexicon changed since "
                "(your decisions are kept)."
                if outdated
                else ""
            )
            + ("\nRun it again to resume." if report.cancelled else ""),
        )

    def _on_suggester_failed(self, message: str) -> None:
        self.status.note(f"Suggestions unavailable: {message}", 8000)

    def train_model(self) -> None:
        """Suggestions → Train Project Model (not while it trains in the background)."""
        from annotator.ui.training_dialog import TrainingDialog

        if self.learning.is_training():
            self.status.note(
                "The project model is training in the background already; its scores show here "
                "when it ends.",
                8000,
            )
            return
        dialog = TrainingDialog(self.workspace, self.runner, self._parent)
        dialog.trained.connect(self._on_model_trained)
        dialog.exec()

    def _on_model_trained(self, _report) -> None:
        self.suggester.invalidate()
        if self.workspace.document is not None and self.settings.auto_suggest:
            self.suggester.suggest_document(self.workspace.document.id)

    def suggestion_settings(self) -> None:
        """Suggestions → Suggestion Settings."""
        from annotator.ui.suggestion_settings import SuggestionSettingsDialog

        if SuggestionSettingsDialog(self.workspace, self._parent).exec():
            self.suggester.invalidate()

    def suggestion_quality(self) -> None:
        """Suggestions → Suggestion Quality."""
        from annotator.ui.quality_dialog import QualityDialog

        QualityDialog(self.workspace.project, self.workspace.annotator, self._parent).exec()


class _SuggestionsRelay(OpenDocumentListener):
    """Calls back when the open document's pending suggestions change."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self._changed = changed

    def suggestions_changed(self) -> None:
        self._changed()
