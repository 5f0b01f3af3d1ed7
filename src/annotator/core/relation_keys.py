"""How review, agreement and merge name a relation apart from row ids: its type and its two
spans' (label, start, end); a symmetric type's ends in text order (start, end, then label), as
storage orders them, so A↔B and B↔A are one."""

from __future__ import annotations

End = tuple[str, int, int]
"""One end of a relation: its span's label, start, end (code points)."""
RelationKey = tuple[str, End, End]
"""(type, head, tail) of a relation."""


def relation_key(type_name: str, head: End, tail: End, *, directed: bool) -> RelationKey:
    """The relation's key; a symmetric type's ends in text order."""
    if not directed and (tail[1], tail[2], tail[0]) < (head[1], head[2], head[0]):
        head, tail = tail, head
    return (type_name, head, tail)
