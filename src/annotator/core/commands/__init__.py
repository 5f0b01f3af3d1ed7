"""Undoable commands: each holds ids and values, and `revert` restores them (same ids).

Composite commands are one transaction: undone all or not at all. base: the Command protocol,
`carried_out` (one transaction per apply or revert) and MacroCommand; spans, labels and
suggestions: the commands of each concern.
"""

from annotator.core.commands.base import (
    Command,
    MacroCommand,
    carried_out,
    is_bulk,
    with_span_values,
)
from annotator.core.commands.labels import AddLabelCommand, RemoveLabelCommand, UpdateLabelCommand
from annotator.core.commands.spans import (
    AddSpanCommand,
    RelabelSpanCommand,
    RemoveSpanCommand,
    ResizeSpanCommand,
    SetStatusCommand,
    StartDocument,
)
from annotator.core.commands.suggestions import (
    AcceptSuggestionCommand,
    AcceptSuggestionsCommand,
    RejectSuggestionCommand,
)

__all__ = [
    "AcceptSuggestionCommand",
    "AcceptSuggestionsCommand",
    "AddLabelCommand",
    "AddSpanCommand",
    "Command",
    "MacroCommand",
    "RejectSuggestionCommand",
    "RelabelSpanCommand",
    "RemoveLabelCommand",
    "RemoveSpanCommand",
    "ResizeSpanCommand",
    "SetStatusCommand",
    "StartDocument",
    "UpdateLabelCommand",
    "carried_out",
    "is_bulk",
    "with_span_values",
]
