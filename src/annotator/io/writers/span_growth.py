"""A span that token boundaries would widen by more than a few characters is an error, not an
adjustment: the token formats leave it out and the export report names it."""

from __future__ import annotations

MAX_GROWTH = 2
"""Characters a span may gain when widened to token boundaries (reported as an adjustment);
beyond this it is left out with an error."""
SHOWN_ERRORS = 20
"""Errors the report summary lists one by one; it counts the rest."""


def growth_error(
    document_id: object, title: str, label: str, text: str, start: int, end: int, grown: int
) -> str:
    """One line naming the document and the span that would grow by `grown` characters;
    `text` is the document's text, [start, end) the span in it."""
    covered = text[start:end]
    shown = covered if len(covered) <= 60 else covered[:57] + "..."
    return (
        f"document {document_id} {title!r}: {label} span {shown!r} at {start}-{end} would grow "
        f"by {grown} characters to fit the tokens (more than {MAX_GROWTH}); left out"
    )
