"""Undoable commands: each holds ids and values, and `revert` restores them (same ids).

Composite commands are one transaction: undone all or not at all. base: the Command protocol,
`carried_out` (one transaction per apply or revert) and MacroCommand; spans, labels, relations
and suggestions: the commands of each concern.
"""

from annotator.core.commands.base import Command, MacroCommand, carried_out, with_span_values
from annotator.core.commands.labels import AddLabelCommand, RemoveLabelCommand, UpdateLabelCommand
from annotator.core.commands.relations import (
    AddRelationCommand,
    AddRelationTypeCommand,
    RemoveRelationCommand,
    RemoveRelationTypeCommand,
    UpdateRelationTypeCommand,
)
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
    "AddRelationCommand",
    "AddRelationTypeCommand",
    "AddSpanCommand",
    "Command",
    "MacroCommand",
    "RejectSuggestionCommand",
    "RelabelSpanCommand",
    "RemoveLabelCommand",
    "RemoveRelationCommand",
    "RemoveRelationTypeCommand",
    "RemoveSpanCommand",
    "ResizeSpanCommand",
    "SetStatusCommand",
    "StartDocument",
    "UpdateLabelCommand",
    "UpdateRelationTypeCommand",
    "carried_out",
    "with_span_values",
]
