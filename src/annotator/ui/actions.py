"""Every action of the app, declared once as data: id, text, shortcut, menu, handler, when on.

MainWindow builds QActions and menus from this table; the shortcut sheet reads it too. Label
hotkeys (1-9, a-z) come from the project's schema and are checked against these shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

MENUS = ("&File", "&Edit", "&View", "&Document", "&Suggestions", "&Review", "&Help")

# When an action is enabled: always, with a document open, with a span selected, when the
# project can be written to (not read-only) and a document is open, or with a current suggestion.
ALWAYS, DOCUMENT, SPAN, WRITABLE, SUGGESTION = (
    "always",
    "document",
    "span",
    "writable",
    "suggestion",
)
REVIEW = "review"  # while review mode is on
# Where its shortcut works: anywhere in the window, or only while the article has the focus
# (Enter and Backspace must keep their usual meaning in lists and text fields).
WINDOW, ARTICLE = "window", "article"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    handler: str
    shortcuts: tuple[str, ...] = ()
    enabled_when: str = ALWAYS
    checkable: bool = False
    tip: str = ""
    separator_before: bool = False
    scope: str = WINDOW


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.new", "&New Project…", "&File", "new_project", ("Ctrl+N",)),
    ActionSpec("file.open", "&Open Project…", "&File", "open_project", ("Ctrl+O",)),
    ActionSpec(
        "file.connect",
        "Connect to &Server…",
        "&File",
        "connect_to_server",
        tip="Open a project on a lab's PostgreSQL server",
    ),
    ActionSpec(
        "file.import", "&Import Files…", "&File", "import_files", ("Ctrl+I",), separator_before=True
    ),
    ActionSpec(
        "file.import_folder", "Import &Folder…", "&File", "import_folder", ("Ctrl+Shift+I",)
    ),
    ActionSpec(
        "file.merge",
        "&Merge Project…",
        "&File",
        "merge_project",
        tip="Bring in collaborators' project files or JSONL (documents, spans, statuses)",
    ),
    ActionSpec("file.export", "&Export…", "&File", "export", ("Ctrl+E",)),
    ActionSpec(
        "file.save_copy",
        "Save a &Copy…",
        "&File",
        "save_copy",
        tip="Write the whole project to a new file, e.g. to send it to a collaborator",
    ),
    ActionSpec(
        "file.annotator", "Change &Annotator…", "&File", "change_annotator", separator_before=True
    ),
    ActionSpec("file.quit", "&Quit", "&File", "close", ("Ctrl+Q",), separator_before=True),
    ActionSpec("edit.undo", "&Undo", "&Edit", "undo", ("Ctrl+Z",)),
    ActionSpec("edit.redo", "&Redo", "&Edit", "redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec(
        "edit.delete_span",
        "&Delete Span",
        "&Edit",
        "delete_span",
        ("Delete",),
        SPAN,
        separator_before=True,
    ),
    ActionSpec("edit.deselect", "Deselect Span", "&Edit", "deselect_span", ("Esc",), SPAN),
    ActionSpec(
        "edit.find",
        "&Find in Article…",
        "&Edit",
        "open_find_bar",
        ("Ctrl+F",),
        DOCUMENT,
        separator_before=True,
    ),
    ActionSpec("edit.find_next", "Find &Next", "&Edit", "find_next", ("F3",), DOCUMENT),
    ActionSpec(
        "edit.find_previous", "Find Pre&vious", "&Edit", "find_previous", ("Shift+F3",), DOCUMENT
    ),
    ActionSpec("view.zoom_in", "Zoom &In", "&View", "zoom_in", ("Ctrl++", "Ctrl+=")),
    ActionSpec("view.zoom_out", "Zoom &Out", "&View", "zoom_out", ("Ctrl+-",)),
    ActionSpec("view.zoom_reset", "&Actual Size", "&View", "zoom_reset", ("Ctrl+0",)),
    ActionSpec(
        "view.snap",
        "&Snap Selections to Words",
        "&View",
        "toggle_snap",
        checkable=True,
        separator_before=True,
        tip="Widen a sloppy selection to whole words before it becomes a span",
    ),
    ActionSpec("doc.next", "&Next Document", "&Document", "next_document", ("Alt+Right",)),
    ActionSpec(
        "doc.previous", "&Previous Document", "&Document", "previous_document", ("Alt+Left",)
    ),
    ActionSpec(
        "doc.next_unfinished",
        "Next &Unfinished Document",
        "&Document",
        "next_unfinished",
        ("Alt+Down",),
    ),
    ActionSpec(
        "doc.done",
        "Mark &Done and Continue",
        "&Document",
        "mark_done",
        ("Ctrl+Return",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec(
        "doc.skip",
        "&Skip and Continue",
        "&Document",
        "skip_document",
        ("Ctrl+Shift+Return",),
        WRITABLE,
    ),
    ActionSpec(
        "doc.reopen",
        "&Reopen (Mark In Progress)",
        "&Document",
        "reopen_document",
        enabled_when=WRITABLE,
    ),
    ActionSpec(
        "suggest.accept",
        "&Accept Suggestion",
        "&Suggestions",
        "accept_suggestion",
        ("Return", "Enter"),
        SUGGESTION,
        scope=ARTICLE,
    ),
    ActionSpec(
        "suggest.reject",
        "&Reject Suggestion",
        "&Suggestions",
        "reject_suggestion",
        ("Backspace",),
        SUGGESTION,
        scope=ARTICLE,
    ),
    ActionSpec(
        "suggest.next", "&Next Suggestion", "&Suggestions", "next_suggestion", ("Ctrl+.",), DOCUMENT
    ),
    ActionSpec(
        "suggest.previous",
        "&Previous Suggestion",
        "&Suggestions",
        "previous_suggestion",
        ("Ctrl+,",),
        DOCUMENT,
    ),
    ActionSpec(
        "suggest.accept_all",
        "Accept A&ll in Document",
        "&Suggestions",
        "accept_all_suggestions",
        ("Ctrl+Shift+A",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec(
        "suggest.accept_above",
        "Accept All &Above Score…",
        "&Suggestions",
        "accept_suggestions_above",
        enabled_when=WRITABLE,
    ),
    ActionSpec(
        "suggest.document",
        "&Suggest for This Document",
        "&Suggestions",
        "suggest_document",
        ("F5",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec("suggest.all", "Suggest for All &Documents…", "&Suggestions", "suggest_all"),
    ActionSpec(
        "suggest.train",
        "&Train Project Model…",
        "&Suggestions",
        "train_model",
        separator_before=True,
    ),
    ActionSpec("suggest.settings", "Suggestion S&ettings…", "&Suggestions", "suggestion_settings"),
    ActionSpec("suggest.quality", "Suggestion &Quality…", "&Suggestions", "suggestion_quality"),
    ActionSpec(
        "review.start",
        "Start &Review…",
        "&Review",
        "start_review",
        ("Ctrl+Shift+R",),
        tip="Compare annotators' layers and adjudicate the gold layer",
    ),
    ActionSpec(
        "review.accept",
        "&Accept into Gold",
        "&Review",
        "review_accept",
        ("Shift+Return", "Shift+Enter"),
        REVIEW,
        scope=ARTICLE,
        separator_before=True,
    ),
    ActionSpec(
        "review.reject",
        "Re&ject",
        "&Review",
        "review_reject",
        ("Shift+Backspace",),
        REVIEW,
        scope=ARTICLE,
    ),
    ActionSpec(
        "review.accept_agreed",
        "Accept All A&greed in Document",
        "&Review",
        "review_accept_agreed",
        ("Ctrl+Shift+G",),
        REVIEW,
    ),
    ActionSpec("review.next", "&Next Disagreement", "&Review", "review_next", ("F8",), REVIEW),
    ActionSpec(
        "review.previous",
        "&Previous Disagreement",
        "&Review",
        "review_previous",
        ("Shift+F8",),
        REVIEW,
    ),
    ActionSpec("review.leave", "&Leave Review", "&Review", "leave_review", (), REVIEW),
    ActionSpec(
        "review.agreement", "&Agreement…", "&Review", "show_agreement", separator_before=True
    ),
    ActionSpec("help.shortcuts", "&Keyboard Shortcuts", "&Help", "show_shortcuts", ("F1", "?")),
    ActionSpec("help.guidelines", "Annotation &Guidelines", "&Help", "show_guidelines"),
    ActionSpec("help.about", "&About annotator", "&Help", "show_about"),
)


def all_shortcuts(extra: Iterable[str] = ()) -> list[str]:
    """Every shortcut in portable text form (the table's plus `extra`, e.g. label hotkeys)."""
    keys = [QKeySequence(s).toString() for spec in ACTIONS for s in spec.shortcuts]
    return keys + [QKeySequence(s).toString() for s in extra]


def build_actions(window: QMainWindow, handlers: object, article: QWidget) -> dict[str, QAction]:
    """Create a QAction per spec, wired to `handlers.<handler>`, in the window's menus; the
    shortcuts of ARTICLE-scoped actions work only while `article` has the focus."""
    menus: dict[str, QMenu] = {name: window.menuBar().addMenu(name) for name in MENUS}
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        action.setObjectName(spec.id)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.checkable)
        if spec.tip:
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
        handler: Callable = getattr(handlers, spec.handler)
        if spec.checkable:
            action.toggled.connect(handler)
        else:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        if spec.separator_before:
            menus[spec.menu].addSeparator()
        menus[spec.menu].addAction(action)
        if spec.scope == ARTICLE:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            article.addAction(action)
        else:
            window.addAction(action)
        actions[spec.id] = action
    return actions
