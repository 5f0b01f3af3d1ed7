"""Every action of the app, declared once as data: id, text, shortcut, menu, handler, when on.

A handler is "controller.method": the method of one of the window's controllers (annotate,
relations, relation_suggestions, suggestions, review, find, view, project) that the action
calls. MainWindow builds
QActions and menus from this table; the shortcut sheet reads it too. Label
hotkeys (1-9, a-z; never the Relate key r) come from the project's schema and are checked
against these shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from annotator.core import labelrules

MENUS = ("&File", "&Edit", "&View", "&Document", "&Suggestions", "&Review", "&Help")

# When an action is enabled: always, with a document open, with a span selected, with a span or
# a relation selected, when the project can be written to (not read-only) and a document is
# open, or with a current suggestion.
ALWAYS, DOCUMENT, SPAN, SELECTED, WRITABLE, SUGGESTION = (
    "always",
    "document",
    "span",
    "selected",
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
    ActionSpec("file.new", "&New Project…", "&File", "project.new_project", ("Ctrl+N",)),
    ActionSpec("file.open", "&Open Project…", "&File", "project.open_project", ("Ctrl+O",)),
    ActionSpec(
        "file.connect",
        "Connect to &Server…",
        "&File",
        "project.connect_to_server",
        tip="Open a project on a lab's PostgreSQL server",
    ),
    ActionSpec(
        "file.import",
        "&Import Files…",
        "&File",
        "project.import_files",
        ("Ctrl+I",),
        separator_before=True,
    ),
    ActionSpec(
        "file.import_folder", "Import &Folder…", "&File", "project.import_folder", ("Ctrl+Shift+I",)
    ),
    ActionSpec(
        "file.merge",
        "&Merge Project…",
        "&File",
        "project.merge_project",
        tip="Bring in collaborators' project files or JSONL (documents, spans, statuses)",
    ),
    ActionSpec("file.export", "&Export…", "&File", "project.export", ("Ctrl+E",)),
    ActionSpec(
        "file.save_copy",
        "Save a &Copy…",
        "&File",
        "project.save_copy",
        tip="Write the whole project to a new file, e.g. to send it to a collaborator",
    ),
    ActionSpec(
        "file.annotator",
        "Change &Annotator…",
        "&File",
        "project.change_annotator",
        separator_before=True,
    ),
    ActionSpec("file.quit", "&Quit", "&File", "project.quit", ("Ctrl+Q",), separator_before=True),
    ActionSpec("edit.undo", "&Undo", "&Edit", "undo.undo", ("Ctrl+Z",)),
    ActionSpec("edit.redo", "&Redo", "&Edit", "undo.redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec(
        "edit.delete_span",
        "&Delete Span or Relation",
        "&Edit",
        "relations.delete_selected",
        ("Delete",),
        SELECTED,
        separator_before=True,
        tip="Remove the selected relation, else the selected span with its relations",
    ),
    ActionSpec("edit.deselect", "Deselect", "&Edit", "relations.deselect", ("Esc",), SELECTED),
    ActionSpec(
        "edit.relate",
        "&Relate Span to…",
        "&Edit",
        "relations.start_relation",
        (labelrules.RELATE_KEY.upper(),),
        WRITABLE,
        tip="Link the selected span (or the one at the caret) to another: Tab chooses the span, "
        "a type's key the type",
    ),
    ActionSpec(
        "edit.find",
        "&Find in Article…",
        "&Edit",
        "find.open_bar",
        ("Ctrl+F",),
        DOCUMENT,
        separator_before=True,
    ),
    ActionSpec("edit.find_next", "Find &Next", "&Edit", "find.find_next", ("F3",), DOCUMENT),
    ActionSpec(
        "edit.find_previous",
        "Find Pre&vious",
        "&Edit",
        "find.find_previous",
        ("Shift+F3",),
        DOCUMENT,
    ),
    ActionSpec(
        "edit.labels",
        "&Labels…",
        "&Edit",
        "project.edit_labels",
        tip="Add, rename, recolour, re-key, describe or remove labels (undoable)",
        separator_before=True,
    ),
    ActionSpec(
        "edit.relation_types",
        "Relation &Types…",
        "&Edit",
        "project.edit_relation_types",
        tip="Add, rename, recolour, re-key, describe or remove relation types (undoable)",
    ),
    ActionSpec("view.zoom_in", "Zoom &In", "&View", "view.zoom_in", ("Ctrl++", "Ctrl+=")),
    ActionSpec("view.zoom_out", "Zoom &Out", "&View", "view.zoom_out", ("Ctrl+-",)),
    ActionSpec("view.zoom_reset", "&Actual Size", "&View", "view.zoom_reset", ("Ctrl+0",)),
    ActionSpec(
        "view.snap",
        "&Snap Selections to Words",
        "&View",
        "view.toggle_snap",
        checkable=True,
        separator_before=True,
        tip="Widen a sloppy selection to whole words before it becomes a span",
    ),
    ActionSpec(
        "view.label_tags",
        "Label Ta&gs",
        "&View",
        "view.toggle_label_tags",
        checkable=True,
        tip="Write each span's label name above its first word",
    ),
    ActionSpec("doc.next", "&Next Document", "&Document", "annotate.next_document", ("Alt+Right",)),
    ActionSpec(
        "doc.previous",
        "&Previous Document",
        "&Document",
        "annotate.previous_document",
        ("Alt+Left",),
    ),
    ActionSpec(
        "doc.next_unfinished",
        "Next &Unfinished Document",
        "&Document",
        "annotate.next_unfinished",
        ("Alt+Down",),
    ),
    ActionSpec(
        "doc.done",
        "Mark &Done and Continue",
        "&Document",
        "annotate.mark_done",
        ("Ctrl+Return",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec(
        "doc.skip",
        "&Skip and Continue",
        "&Document",
        "annotate.skip_document",
        ("Ctrl+Shift+Return",),
        WRITABLE,
    ),
    ActionSpec(
        "doc.reopen",
        "&Reopen (Mark In Progress)",
        "&Document",
        "annotate.reopen_document",
        enabled_when=WRITABLE,
    ),
    ActionSpec(
        "suggest.accept",
        "&Accept Suggestion",
        "&Suggestions",
        "suggestions.accept_suggestion",
        ("Return", "Enter"),
        SUGGESTION,
        scope=ARTICLE,
    ),
    ActionSpec(
        "suggest.reject",
        "&Reject Suggestion",
        "&Suggestions",
        "suggestions.reject_suggestion",
        ("Backspace",),
        SUGGESTION,
        scope=ARTICLE,
    ),
    ActionSpec(
        "suggest.next",
        "&Next Suggestion",
        "&Suggestions",
        "suggestions.next_suggestion",
        ("Ctrl+.",),
        DOCUMENT,
    ),
    ActionSpec(
        "suggest.previous",
        "&Previous Suggestion",
        "&Suggestions",
        "suggestions.previous_suggestion",
        ("Ctrl+,",),
        DOCUMENT,
    ),
    ActionSpec(
        "suggest.accept_all",
        "Accept A&ll in Document",
        "&Suggestions",
        "suggestions.accept_all_suggestions",
        ("Ctrl+Shift+A",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec(
        "suggest.accept_above",
        "Accept All &Above Score…",
        "&Suggestions",
        "suggestions.accept_suggestions_above",
        enabled_when=WRITABLE,
    ),
    ActionSpec(
        "suggest.document",
        "&Suggest for This Document",
        "&Suggestions",
        "suggestions.suggest_document",
        ("F5",),
        WRITABLE,
        separator_before=True,
    ),
    ActionSpec(
        "suggest.all", "Suggest for All &Documents…", "&Suggestions", "suggestions.suggest_all"
    ),
    ActionSpec(
        "suggest.relations",
        "Suggest &Relations in This Document",
        "&Suggestions",
        "relation_suggestions.suggest",
        ("Shift+F5",),
        WRITABLE,
        tip="Propose relations between your spans, learned from the relations you made",
    ),
    ActionSpec(
        "suggest.train",
        "&Train Project Model…",
        "&Suggestions",
        "suggestions.train_model",
        separator_before=True,
    ),
    ActionSpec(
        "suggest.settings",
        "Suggestion S&ettings…",
        "&Suggestions",
        "suggestions.suggestion_settings",
    ),
    ActionSpec(
        "suggest.quality", "Suggestion &Quality…", "&Suggestions", "suggestions.suggestion_quality"
    ),
    ActionSpec(
        "review.start",
        "Start &Review…",
        "&Review",
        "review.start",
        ("Ctrl+Shift+R",),
        tip="Compare annotators' layers and adjudicate the gold layer",
    ),
    ActionSpec(
        "review.accept",
        "&Accept into Gold",
        "&Review",
        "review.accept",
        ("Shift+Return", "Shift+Enter"),
        REVIEW,
        scope=ARTICLE,
        separator_before=True,
    ),
    ActionSpec(
        "review.reject",
        "Re&ject",
        "&Review",
        "review.reject",
        ("Shift+Backspace",),
        REVIEW,
        scope=ARTICLE,
    ),
    ActionSpec(
        "review.accept_agreed",
        "Accept All A&greed in Document",
        "&Review",
        "review.accept_agreed",
        ("Ctrl+Shift+G",),
        REVIEW,
    ),
    ActionSpec("review.next", "&Next Disagreement", "&Review", "review.next", ("F8",), REVIEW),
    ActionSpec(
        "review.previous",
        "&Previous Disagreement",
        "&Review",
        "review.previous",
        ("Shift+F8",),
        REVIEW,
    ),
    ActionSpec("review.leave", "&Leave Review", "&Review", "review.leave", (), REVIEW),
    ActionSpec(
        "review.agreement",
        "&Agreement…",
        "&Review",
        "project.show_agreement",
        separator_before=True,
    ),
    ActionSpec(
        "help.shortcuts", "&Keyboard Shortcuts", "&Help", "project.show_shortcuts", ("F1", "?")
    ),
    ActionSpec("help.guidelines", "Annotation &Guidelines", "&Help", "project.show_guidelines"),
    ActionSpec("help.about", "&About annotator", "&Help", "project.show_about"),
)


def all_shortcuts(extra: Iterable[str] = ()) -> list[str]:
    """Every shortcut in portable text form (the table's plus `extra`, e.g. label hotkeys)."""
    keys = [QKeySequence(s).toString() for spec in ACTIONS for s in spec.shortcuts]
    return keys + [QKeySequence(s).toString() for s in extra]


def build_actions(
    window: QMainWindow, controllers: Mapping[str, object], article: QWidget
) -> dict[str, QAction]:
    """Create a QAction per spec, wired to its controller's method, in the window's menus; the
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
        owner, method = spec.handler.split(".")
        handler: Callable = getattr(controllers[owner], method)
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
