"""Checks shared by the project's parts: refusals, annotator names for writes, span offsets."""

from __future__ import annotations

from sqlalchemy.orm import Session

from annotator.core import labelrules
from annotator.core.errors import ConflictError
from annotator.core.storage import repo


def writer_id(s: Session, name: str) -> int:
    """The id of annotator `name`, added on first use unless the name passes for another's."""
    found = repo.annotator_id(s, name, create=False)
    if found is not None:
        return found
    require(labelrules.lookalike_problem("annotator", name, repo.annotator_ids(s)))
    return created_annotator_id(s, name)


def created_annotator_id(s: Session, name: str) -> int:
    """The id of annotator `name`, added when new, without the name checks of a new writer
    (for putting back what was stored before)."""
    found = repo.annotator_id(s, name, create=True)
    assert found is not None, "create=True always yields an id"
    return found


def changed_since(what: str, *, many: bool = False) -> ConflictError:
    """The refusal of an undo or redo whose target (`many`: several) another writer changed
    meanwhile."""
    was = "were" if many else "was"
    return ConflictError(f"{what} {was} changed by someone else since; nothing was changed")


def removed_since(what: str, *, many: bool = False) -> ConflictError:
    """The refusal of an undo or redo whose target (`many`: several) another writer removed
    meanwhile."""
    was = "were" if many else "was"
    return ConflictError(f"{what} {was} removed by someone else since; nothing was changed")


def require(problem: str | None) -> None:
    """Refuse (ConflictError) when a rule of core.labelrules found a problem."""
    if problem is not None:
        raise ConflictError(problem)


def writer(s: Session, name: str) -> int:
    """The id of annotator `name` for a write (added on first use, see writer_id)."""
    name = labelrules.normal_name(name)
    require(labelrules.annotator_problem(name))
    return writer_id(s, name)


def check_integer_offsets(start: int, end: int) -> None:
    """Refuse offsets that are not integers."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ConflictError("span offsets must be integers")


def check_offsets(start: int, end: int, length: int) -> None:
    """Refuse offsets that are not integers or do not fit a text of `length` characters."""
    check_integer_offsets(start, end)
    if not 0 <= start < end <= length:
        raise ConflictError(
            f"span [{start}, {end}) does not fit the text (0 <= start < end <= {length})"
        )
