"""New pending suggestions as rows: what a suggestion run or an import may add to a project.

A suggestion is added only on a label the project has, inside its text, where nobody decided
the same label on the same offsets (whatever model proposed it) and where it is not already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from annotator.core.model import NewSuggestion
from annotator.core.storage.bulk import insert_new_rows
from annotator.core.storage.orm import SuggestionRow

Place = tuple[int, int, int, int]
"""(document id, label id, start, end)."""
_COLUMNS = ("document_id", "label_id", "start", "end", "score")
_CHUNK = 500


def suggestion_places(conn: Connection, document_ids: Sequence[int], *where: Any) -> set[Place]:
    """The places of these documents' suggestions that meet the `where` conditions."""
    ids = sorted(set(document_ids))
    found: set[Place] = set()
    for start in range(0, len(ids), _CHUNK):
        query = select(
            SuggestionRow.document_id,
            SuggestionRow.label_id,
            SuggestionRow.start,
            SuggestionRow.end,
        ).where(SuggestionRow.document_id.in_(ids[start : start + _CHUNK]), *where)
        found.update((d, lab, st, en) for d, lab, st, en in conn.execute(query))
    return found


def add_pending(
    conn: Connection,
    model: str,
    batch: Mapping[int, Sequence[NewSuggestion]],
    lengths: Mapping[int, int],
    labels: Mapping[str, int],
    taken: set[Place],
) -> int:
    """Insert `model`'s pending suggestions of `batch` (by document id) on known labels, inside
    the document's `lengths`, not on a `taken` place, each place once (the first; nor where the
    model has one already); return how many.

    A row per suggestion is all the Python there is per suggestion (a corpus run stores half a
    million of them beside the matching): the database leaves out repeated places, and only
    a document holding a taken place is filtered here."""
    in_taken = {place[0] for place in taken}
    rows: list[tuple[int, int, int, int, float]] = []
    for document_id, items in batch.items():
        length = lengths[document_id]
        found = [
            (document_id, labels[label], start, end, score)
            for start, end, label, score in items
            if 0 <= start < end <= length and label in labels
        ]
        if document_id in in_taken:
            found = [row for row in found if row[:4] not in taken]
        rows += found
    constants = {"model": model, "status": "pending"}
    return insert_new_rows(conn, SuggestionRow.__table__, _COLUMNS, rows, constants)
